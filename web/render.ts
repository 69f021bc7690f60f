/** Everything on the page except the charts, redrawn from each snapshot. */

import type { AlarmStatus, LogEntry, Overview } from '../src/console/api-types.ts';
import { count, h, ms, pct, usd } from './dom.ts';

const $ = (id: string) => document.getElementById(id)!;
const LOG_LIMIT = 200;

const COMPARISON: Record<AlarmStatus['comparison'], string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

export function renderHeader(data: Overview): void {
  $('api-name').textContent = data.api.name;
  $('api-meta').textContent =
    `api id ${data.api.apiId} · stage ${data.api.stage}${data.api.url ? ` · ${data.api.url}` : ''}`;
}

export function renderSignals(data: Overview): void {
  const s = data.signals;
  const tiles: [string, string, string, boolean?][] = [
    ['requests', 'Requests/s', s.requestsPerSecond.toFixed(s.requestsPerSecond < 10 ? 2 : 1)],
    ['latency', 'Latency p95', ms(s.latencyP95)],
    ['4xx', '4xx rate', pct(s.clientErrorRate), (s.clientErrorRate ?? 0) > 0],
    ['5xx', '5xx rate', pct(s.serverErrorRate), (s.serverErrorRate ?? 0) > 0],
    ['duration', 'Lambda p95 duration', ms(s.lambda.durationP95)],
    ['errors', 'Lambda errors', count(s.lambda.errors), s.lambda.errors > 0],
    ['throttles', 'Throttles', count(s.lambda.throttles), s.lambda.throttles > 0],
    ['concurrency', 'Concurrency (peak)', `${s.lambda.concurrency} (${s.lambda.peakConcurrency})`],
    ['cold-starts', 'Cold starts', count(s.lambda.coldStarts)],
  ];
  $('signals').replaceChildren(
    ...tiles.map(([id, label, value, bad]) =>
      h(
        'div',
        { class: bad ? 'tile bad' : 'tile', 'data-signal': id },
        h('span', { class: 'label' }, label),
        h('span', { class: 'value' }, value),
      ),
    ),
  );
  $('routes-window').textContent = `last ${s.windowSeconds} s`;
}

export function renderAlarms(alarms: AlarmStatus[]): void {
  $('alarms').replaceChildren(
    ...alarms.map((a) =>
      h(
        'li',
        { class: 'alarm', 'data-alarm': a.alarmName, 'data-state': a.state },
        h('span', { class: 'badge' }, a.state.replace('_', ' ')),
        h('b', {}, a.alarmName),
        ` ${a.statistic} of ${a.metricName} ${COMPARISON[a.comparison]} ${a.threshold} for ${a.datapointsToAlarm} of ${a.evaluationPeriods} × ${a.period} s`,
        h('p', { class: 'reason' }, a.stateReason),
      ),
    ),
  );
}

export function renderCost(data: Overview): void {
  const c = data.cost;
  const percent = Math.min(100, c.budget.projectedPercent);
  const alerts = c.budget.alerts.map((a) =>
    h(
      'li',
      { class: a.triggered ? 'budget-alert raised' : 'budget-alert', 'data-percent': a.percent },
      `${a.percent} % (${a.on}, ${usd(a.thresholdUsd)}): ${a.triggered ? 'REACHED' : 'not reached'}`,
    ),
  );
  const items = [...c.projectedMonthly.items]
    .filter((i) => i.usd > 0)
    .sort((a, b) => b.usd - a.usd)
    .slice(0, 6);
  $('cost').replaceChildren(
    h(
      'dl',
      { class: 'figures' },
      h('dt', {}, 'so far'),
      h('dd', { id: 'cost-so-far' }, usd(c.soFar.totalUsd)),
      h('dt', {}, 'projected month'),
      h('dd', { id: 'cost-projected' }, usd(c.projectedMonthly.totalUsd)),
      h('dt', {}, 'budget'),
      h('dd', {}, `${usd(c.budget.monthlyUsd)} (${c.budget.projectedPercent.toFixed(1)} %)`),
    ),
    h(
      'div',
      { class: c.budget.alerts.some((a) => a.triggered) ? 'bar over' : 'bar' },
      h('span', { style: `width:${percent}%` }),
    ),
    h('ul', { class: 'alerts' }, ...alerts),
    h(
      'table',
      { class: 'items' },
      ...items.map((i) => h('tr', {}, h('td', {}, `${i.service} ${i.item}`), h('td', { class: 'n' }, usd(i.usd)))),
    ),
    h(
      'p',
      { class: 'note' },
      `projected from the last ${c.windowSeconds} s of traffic · 730 h month · free tier ${c.freeTier ? 'applied' : 'not applied'}`,
    ),
  );
}

export function renderRoutes(data: Overview): void {
  const body = document.querySelector('#routes tbody')!;
  body.replaceChildren(
    ...data.routes.map((r) =>
      h(
        'tr',
        { 'data-route': r.routeKey },
        h('td', {}, r.routeKey),
        h('td', {}, r.target),
        h('td', { class: 'n' }, count(r.requests)),
        h('td', { class: 'n' }, count(r.clientErrors)),
        h('td', { class: r.unauthorized > 0 ? 'n warn' : 'n', 'data-status': '401' }, count(r.unauthorized)),
        h('td', { class: r.forbidden > 0 ? 'n warn' : 'n', 'data-status': '403' }, count(r.forbidden)),
        h('td', { class: r.serverErrors > 0 ? 'n bad' : 'n' }, count(r.serverErrors)),
        h('td', { class: 'n' }, ms(r.latencyP50)),
        h('td', { class: 'n' }, ms(r.latencyP95)),
        h('td', { class: 'n' }, ms(r.latencyP99)),
        h('td', { class: 'n' }, ms(r.integrationLatencyP95)),
        h('td', { class: 'n' }, count(r.totalRequests)),
      ),
    ),
  );
}

let lastSeq = 0;

export function appendLogs(entries: LogEntry[]): void {
  const box = $('logs');
  // A reconnected stream starts with the recent records again: keep each record once.
  const fresh = entries.filter((e) => e.seq > lastSeq);
  if (fresh.length) lastSeq = fresh[fresh.length - 1].seq;
  for (const e of fresh) {
    const who = e.functionName ?? (e.source === 'access' ? 'access' : 'gantry');
    box.append(
      h(
        'div',
        { class: `log ${e.source}${e.json ? ' json' : ''}`, 'data-kind': e.kind },
        h('time', {}, new Date(e.timestamp).toISOString().slice(11, 23)),
        h('span', { class: 'who' }, who),
        h('span', { class: 'message' }, e.message),
      ),
    );
  }
  while (box.childElementCount > LOG_LIMIT) box.firstElementChild?.remove();
  if (fresh.length) box.scrollTop = box.scrollHeight;
}

export function toast(text: string, kind: 'alarm' | 'ok' | 'budget'): void {
  const note = h('div', { class: `toast ${kind}`, role: 'status' }, text);
  $('toasts').append(note);
  setTimeout(() => note.remove(), 8000);
}
