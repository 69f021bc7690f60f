/**
 * An experiment as one self-contained HTML file, laid out as FIS reports are (before / during / after):
 * the verdict, a table per phase, and the load's charts with the phases and every fault's window
 * shaded over them. Built with the load report's inline-SVG helpers: nothing is fetched.
 */

import type { Band } from '../../loadtest/output/svg.ts';
import { escapeHtml, lineChart } from '../../loadtest/output/svg.ts';
import type { ExperimentResult } from './verdict.ts';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:940px;color:#111827}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
td,th{padding:3px 10px;border-bottom:1px solid #e5e7eb;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#059669}.fail{color:#dc2626}.muted{color:#6b7280}svg{display:block;margin:12px 0;background:#fff}
.grid{stroke:#e5e7eb}.axis{font-size:11px;fill:#6b7280}.legend{font-size:11px;fill:#374151}.title{font-size:13px;font-weight:600;fill:#111827}
.band-label{font-size:10px;fill:#7f1d1d}.verdict{font-size:16px;font-weight:600}`;

const PHASE_COLOR: Record<string, string> = {
  'steady-state': 'rgba(5,150,105,0.06)',
  injection: 'rgba(220,38,38,0.06)',
  recovery: 'rgba(37,99,235,0.06)',
};

function fmtMs(v: number | undefined): string {
  return v === undefined ? '–' : v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(0)} ms`;
}

/** Seconds from the start of the load: where each fault actually ran. */
function faultBands(r: ExperimentResult): Band[] {
  const start = r.load.startEpochMs;
  return r.faults.map((f) => ({
    from: (f.startedAt - start) / 1000,
    to: ((f.endedAt ?? f.endsAt) - start) / 1000,
    label: `${f.name}: ${f.action.split(':').pop()} ${f.target}`,
    color: 'rgba(220,38,38,0.16)',
  }));
}

export function renderExperimentReport(r: ExperimentResult): string {
  const phaseBands: Band[] = r.phases.map((p) => ({
    from: p.fromMs / 1000,
    to: p.toMs / 1000,
    label: p.phase,
    color: PHASE_COLOR[p.phase],
  }));
  const bands = [...phaseBands, ...faultBands(r)];
  const t = r.load.timeline.map((p) => ({ ...p, t: p.t - p.seconds / 2 }));
  const verdictClass = r.verdict === 'held' ? 'ok' : 'fail';
  const verdictText =
    r.verdict === 'held'
      ? '✓ the hypothesis held in every phase (exit 0)'
      : r.verdict === 'stopped'
        ? `✗ stopped by stop condition ${r.stopped?.alarmName} at ${((r.stopped?.atMs ?? 0) / 1000).toFixed(1)} s; its faults removed (exit 99)`
        : `✗ the hypothesis did not hold in ${r.phases
            .filter((p) => p.held === false)
            .map((p) => p.phase)
            .join(', ')} (exit 99)`;
  const phaseRows = r.phases.map(
    (p) =>
      `<tr data-phase="${p.phase}"><td>${p.phase}</td><td class="n">${(p.fromMs / 1000).toFixed(0)}–${(p.toMs / 1000).toFixed(0)} s</td><td class="n">${p.requestsPerSecond.toFixed(1)}</td><td class="n">${(p.errorRate * 100).toFixed(2)} %</td><td class="n">${fmtMs(p.p95Ms)}</td><td class="n">${p.lambdaErrors}</td><td class="n">${p.coldStarts}</td><td class="n">${p.throttles}</td><td>${escapeHtml(p.alarms.join(', ') || '–')}</td><td class="${p.held === undefined ? 'muted' : p.held ? 'ok' : 'fail'}">${p.held === undefined ? 'not run' : p.held ? '✓ held' : '✗ not held'}</td></tr>`,
  );
  const hypothesisRows = r.phases.flatMap((p) =>
    p.hypothesis.map(
      (h) =>
        `<tr><td>${p.phase}</td><td class="${h.ok ? 'ok' : 'fail'}">${h.ok ? '✓' : '✗'}</td><td>${escapeHtml(h.key)}</td><td>${escapeHtml(h.expression)}</td><td class="n">${h.actual === undefined ? 'no requests' : escapeHtml(String(Number(h.actual.toFixed(4))))}</td></tr>`,
    ),
  );
  const faultRows = r.faults.map(
    (f) =>
      `<tr><td>${escapeHtml(f.name)}</td><td>${escapeHtml(f.action)}</td><td>${escapeHtml(f.target)}</td><td>${escapeHtml(
        Object.entries(f.parameters)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
      )}</td><td class="n">${f.hits} / ${f.seen}</td><td class="n">${f.seed}</td><td>${escapeHtml(f.endReason ?? f.state)}</td></tr>`,
  );
  const charts = [
    lineChart({
      title: 'Requests per second',
      series: [{ name: 'req/s', color: '#2563eb', points: t.map((p) => [p.t, p.rps]) }],
      bands,
      xLabel: 'seconds',
      yFormat: (y) => y.toFixed(0),
    }),
    lineChart({
      title: 'Latency',
      series: [
        { name: 'p50', color: '#059669', points: t.map((p) => [p.t, p.p50Ms]) },
        { name: 'p95', color: '#d97706', points: t.map((p) => [p.t, p.p95Ms]) },
        { name: 'p99', color: '#dc2626', points: t.map((p) => [p.t, p.p99Ms]) },
      ],
      bands,
      xLabel: 'seconds',
      yFormat: (y) => `${y.toFixed(0)} ms`,
    }),
    lineChart({
      title: 'Failed requests (%)',
      series: [
        {
          name: 'http_req_failed',
          color: '#dc2626',
          points: t.map((p) => [p.t, p.requests ? (100 * p.failed) / p.requests : 0]),
        },
      ],
      bands,
      xLabel: 'seconds',
      yFormat: (y) => `${y.toFixed(0)} %`,
    }),
  ];
  const events = r.events.map(
    (e) => `<tr><td class="n">${(e.atMs / 1000).toFixed(1)} s</td><td>${escapeHtml(e.text)}</td></tr>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>gantry chaos: ${escapeHtml(r.name)}</title><style>${STYLE}</style></head><body>
<h1>Chaos experiment ${escapeHtml(r.name)}</h1>
${r.description ? `<p>${escapeHtml(r.description)}</p>` : ''}
<p class="muted">started ${escapeHtml(r.startedAt)} · seed ${r.seed} (gantry chaos run ${escapeHtml(r.name)} --seed ${r.seed} hits the same invocations)</p>
<p class="verdict ${verdictClass}" id="verdict" data-verdict="${r.verdict}">${escapeHtml(verdictText)}</p>
<h2>Phases</h2>
<table id="phases"><tr><th>phase</th><th>window</th><th>req/s</th><th>errors</th><th>p95</th><th>Lambda errors</th><th>cold starts</th><th>throttles</th><th>alarms</th><th>hypothesis</th></tr>${phaseRows.join('')}</table>
<h2>Hypothesis</h2>
<table><tr><th>phase</th><th></th><th>metric</th><th>threshold</th><th>actual</th></tr>${hypothesisRows.join('')}</table>
<h2>Timeline</h2>
<p class="muted">Phases are shaded green (steady state), red (injection) and blue (recovery); each fault's window is a darker red band.</p>
${charts.join('\n')}
<h2>Faults</h2>
<table id="faults"><tr><th>name</th><th>action</th><th>target</th><th>parameters</th><th>hit</th><th>seed</th><th>end</th></tr>${faultRows.join('')}</table>
<h2>Events</h2>
<table>${events.join('')}</table>
</body></html>
`;
}
