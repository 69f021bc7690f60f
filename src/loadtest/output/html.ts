/** The run as one self-contained HTML file: summary tables and inline-SVG charts, nothing fetched. */
import type { LoadTestResult } from '../result.ts';
import type { ScaleReport } from '../scale/report.ts';
import { formatBytes, formatMs, formatPercent, formatRate, trim } from './format.ts';
import { formatActual } from './summary.ts';
import { escapeHtml, histogramChart, lineChart } from './svg.ts';

const COLORS = ['#2563eb', '#d97706', '#dc2626', '#6b7280', '#059669', '#7c3aed', '#db2777'];

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:940px;color:#111827}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
td,th{padding:3px 10px;border-bottom:1px solid #e5e7eb;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#059669}.fail{color:#dc2626}svg{display:block;margin:12px 0;background:#fff}
.grid{stroke:#e5e7eb}.axis{font-size:11px;fill:#6b7280}.legend{font-size:11px;fill:#374151}.title{font-size:13px;font-weight:600;fill:#111827}
.bar{fill:#2563eb}`;

export interface HtmlReportOptions {
  title?: string;
  target?: string;
  scale?: ScaleReport;
}

export function renderHtmlReport(result: LoadTestResult, options: HtmlReportOptions = {}): string {
  const m = result.metrics;
  const d = m.http_req_duration.values;
  // Each interval is drawn at its middle, so the first one does not hang at x = 1 s.
  const t = result.timeline.map((p) => ({ ...p, t: p.t - p.seconds / 2 }));
  const sections: string[] = [];
  const verdict = result.passed
    ? '<p class="ok">✓ all thresholds passed</p>'
    : '<p class="fail">✗ thresholds failed (exit code 99)</p>';

  if (result.thresholds.length) {
    const rows = result.thresholds.map((o) => {
      const cls = o.ok ? 'ok' : 'fail';
      const actual = escapeHtml(formatActual(o));
      return `<tr><td class="${cls}">${o.ok ? '✓' : '✗'}</td><td>${escapeHtml(o.threshold.key)}</td><td>${escapeHtml(o.threshold.source)}</td><td class="n">${actual}</td></tr>`;
    });
    sections.push(
      `<h2>Thresholds</h2><table><tr><th></th><th>metric</th><th>threshold</th><th>actual</th></tr>${rows.join('')}</table>`,
    );
  }

  const metricRows = [
    ['http_req_duration', result.plan.summaryTrendStats.map((s) => `${s}=${formatMs(d[s])}`).join(' ')],
    [
      'http_req_failed',
      `${formatPercent(m.http_req_failed.values.rate)} (${m.http_req_failed.values.passes} of ${m.http_reqs.values.count})`,
    ],
    ['http_reqs', `${m.http_reqs.values.count} (${formatRate(m.http_reqs.values.rate)})`],
    ['iterations', `${m.iterations.values.count} (${formatRate(m.iterations.values.rate)})`],
    ['dropped_iterations', String(m.dropped_iterations.values.count)],
    ['vus_max', String(m.vus_max.values.value)],
    ['data_received', formatBytes(m.data_received.values.count)],
    ['data_sent', formatBytes(m.data_sent.values.count)],
  ];
  sections.push(
    `<h2>Metrics</h2><table>${metricRows.map(([k, v]) => `<tr><td>${k}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
  );

  if (result.checks.length) {
    const rows = result.checks.map((c) => {
      const cls = c.fails ? 'fail' : 'ok';
      return `<tr><td class="${cls}">${c.fails ? '✗' : '✓'}</td><td>${escapeHtml(c.name)}</td><td class="n">${c.passes}</td><td class="n">${c.fails}</td></tr>`;
    });
    sections.push(
      `<h2>Checks</h2><table><tr><th></th><th>check</th><th>passed</th><th>failed</th></tr>${rows.join('')}</table>`,
    );
  }

  sections.push(
    '<h2>Latency over time</h2>',
    lineChart({
      title: 'http_req_duration per interval',
      xLabel: 'seconds',
      yFormat: formatMs,
      series: [
        { name: 'p50', color: COLORS[0], points: t.map((p) => [p.t, p.p50Ms]) },
        { name: 'p95', color: COLORS[1], points: t.map((p) => [p.t, p.p95Ms]) },
        { name: 'p99', color: COLORS[2], points: t.map((p) => [p.t, p.p99Ms]) },
        { name: 'max', color: COLORS[3], points: t.map((p) => [p.t, p.maxMs]), dashed: true },
      ],
    }),
    lineChart({
      title: 'throughput and errors',
      xLabel: 'seconds',
      yFormat: (y) => trim(y, 1),
      series: [
        { name: 'req/s', color: COLORS[0], points: t.map((p) => [p.t, p.rps]) },
        { name: 'failed/s', color: COLORS[2], points: t.map((p) => [p.t, p.failed / p.seconds]) },
      ],
    }),
    lineChart({
      title: 'VUs and dropped iterations',
      xLabel: 'seconds',
      yFormat: (y) => trim(y, 1),
      series: [
        { name: 'VUs', color: COLORS[4], points: t.map((p) => [p.t, p.vus]) },
        { name: 'dropped/s', color: COLORS[3], points: t.map((p) => [p.t, p.dropped / p.seconds]), dashed: true },
      ],
    }),
    '<h2>Latency distribution</h2>',
    histogramChart('http_req_duration histogram', result.latencyBins, formatMs),
  );

  if (options.scale) {
    const names = options.scale.functions.filter((f) => f.invocations > 0).map((f) => f.name);
    const series = names.flatMap((name, i) => [
      {
        name: `${name} busy`,
        color: COLORS[(i * 2) % COLORS.length],
        points: options.scale!.timeline.map((p): [number, number] => [p.t, p.functions[name].busy]),
      },
      {
        name: `${name} alive`,
        color: COLORS[(i * 2 + 1) % COLORS.length],
        points: options.scale!.timeline.map((p): [number, number] => [p.t, p.functions[name].alive]),
        dashed: true,
      },
    ]);
    series.push({
      name: 'demand (req/s × latency)',
      color: '#111827',
      points: options.scale.timeline.map((p) => [p.t, p.demand]),
      dashed: true,
    });
    const rows = options.scale.functions.map(
      (f) =>
        `<tr><td>${escapeHtml(f.name)}</td><td class="n">${f.invocations}</td><td class="n">${f.coldStarts}</td><td class="n">${f.throttles}</td><td class="n">${f.peakBusy}</td><td class="n">${f.peakAlive}</td><td class="n">${f.timeToPeakS === undefined ? '-' : `${trim(f.timeToPeakS, 1)}s`}</td><td class="n">${f.reservedConcurrency ?? '-'}</td></tr>`,
    );
    sections.push(
      '<h2>Scaling</h2>',
      `<table><tr><th>function</th><th>invocations</th><th>cold starts</th><th>throttles</th><th>peak busy</th><th>peak alive</th><th>time to scale</th><th>reserved</th></tr>${rows.join('')}</table>`,
      lineChart({ title: 'concurrency vs load', xLabel: 'seconds', yFormat: (y) => trim(y, 1), series }),
    );
  }

  const title = options.title ?? 'gantry load report';
  const target = options.target ? ` against ${escapeHtml(options.target)}` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1><p>${escapeHtml(result.startedAt)}${target}, ${trim(result.durationMs / 1000, 1)} s</p>${verdict}
${sections.join('\n')}
</body></html>
`;
}
