/**
 * `gantry federate`'s page: polls `/api/federation` every second (the view is a few hundred bytes)
 * and redraws the endpoints table, the policy and the events.
 */
import './style.css';
import type { FederationEndpointView, FederationView } from '../src/console/api-types.ts';
import { h, ms } from './dom.ts';

const connection = document.getElementById('connection')!;

function probe(e: FederationEndpointView): string {
  const last = e.lastProbe;
  if (!last) return '–';
  const status = last.status === undefined ? 'no answer' : `HTTP ${last.status}`;
  // The reason adds something only when it is not the status again (timed out, connection refused).
  const reason = last.reason && last.reason !== `status ${last.status}` ? ` · ${last.reason}` : '';
  return `${last.ok ? 'pass' : 'FAIL'} · ${status}${reason}`;
}

function row(e: FederationEndpointView): HTMLElement {
  const cells = [
    h('td', {}, e.id),
    h('td', { class: e.healthy ? undefined : 'bad' }, e.healthy ? 'healthy' : 'UNHEALTHY'),
    h('td', {}, e.serving ? '◀ serving' : ''),
    h('td', {}, String(e.answered)),
    h('td', {}, e.answered ? `${(100 * e.share).toFixed(1)} %` : '–'),
    h('td', {}, ms(e.latencyMs)),
    h('td', {}, String(e.probes ?? '–')),
    h('td', { class: e.lastProbe && !e.lastProbe.ok ? 'bad' : undefined }, probe(e)),
    h('td', {}, e.url),
  ];
  return h('tr', { 'data-endpoint': e.id, 'data-healthy': String(e.healthy) }, ...cells);
}

function render(view: FederationView): void {
  document.getElementById('entry')!.textContent = view.url;
  const check = view.healthCheck
    ? ` · probes GET ${view.healthCheck.path} every ${view.healthCheck.intervalMs} ms, timeout ${view.healthCheck.timeoutMs} ms, threshold ${view.healthCheck.failureThreshold}`
    : ' · no health check: every endpoint counts as healthy';
  document.getElementById('policy')!.textContent =
    `steering ${view.policy} · serving ${view.serving.join(', ') || 'nothing'}${check}`;
  document.getElementById('last-resort')!.hidden = !view.lastResort;
  document.getElementById('endpoints')!.replaceChildren(...view.endpoints.map(row));
  document.getElementById('events')!.replaceChildren(...view.events.slice(-12).map((line) => h('li', {}, line)));
}

async function poll(): Promise<void> {
  try {
    const res = await fetch('/api/federation');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    render((await res.json()) as FederationView);
    connection.dataset.state = 'live';
    connection.textContent = 'live';
  } catch (error) {
    connection.dataset.state = 'lost';
    connection.textContent = `gantry federate is not answering (${(error as Error).message}); retrying`;
  }
  setTimeout(poll, 1000);
}

void poll();
