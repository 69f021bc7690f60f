/**
 * The drill's HTML report: the verdict, the figures beside AWS's, and a timeline of requests per
 * second (failed ones in red) under the outage, the health flips and the routing changes. Inline SVG,
 * no script, readable offline.
 */
import { escapeHtml } from '../output/svg.ts';
import { renderDrillSummary } from './summary.ts';
import type { DrillEvent, DrillReport } from './types.ts';

const W = 920;
const H = 300;
const PAD = { left: 56, right: 16, top: 24, bottom: 44 };

const MARKS: Record<DrillEvent['type'], { color: string; label: (e: DrillEvent) => string }> = {
  down: { color: '#b91c1c', label: (e) => `${e.region} down` },
  up: { color: '#15803d', label: (e) => `${e.region} up` },
  unhealthy: { color: '#ea580c', label: (e) => `${e.region} unhealthy` },
  healthy: { color: '#0d9488', label: (e) => `${e.region} healthy` },
  serving: { color: '#1d4ed8', label: (e) => `serving ${e.detail ?? ''}` },
};

function timelineChart(report: DrillReport): string {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const span = Math.max(1, (report.endedAt - report.startedAt) / 1000);
  const maxRps = Math.max(1, ...report.timeline.map((p) => p.requests / p.seconds));
  const x = (t: number) => PAD.left + (Math.min(Math.max(t, 0), span) / span) * innerW;
  const y = (v: number) => PAD.top + innerH - (v / maxRps) * innerH;
  const parts: string[] = [];
  const down = report.events.find((e) => e.type === 'down');
  const up = report.events.find((e) => e.type === 'up');
  if (down) {
    const from = x((down.at - report.startedAt) / 1000);
    const to = up ? x((up.at - report.startedAt) / 1000) : x(span);
    parts.push(
      `<rect x="${from}" y="${PAD.top}" width="${Math.max(1, to - from)}" height="${innerH}" fill="#fee2e2"/>`,
    );
  }
  for (const p of report.timeline) {
    const left = x(p.t - p.seconds);
    const width = Math.max(1, x(p.t) - left - 1);
    const ok = (p.requests - p.failed) / p.seconds;
    const failed = p.failed / p.seconds;
    parts.push(`<rect x="${left}" y="${y(ok)}" width="${width}" height="${y(0) - y(ok)}" fill="#60a5fa"/>`);
    if (failed > 0)
      parts.push(
        `<rect x="${left}" y="${y(ok + failed)}" width="${width}" height="${y(0) - y(failed)}" fill="#dc2626"/>`,
      );
  }
  report.events.forEach((e, i) => {
    const at = x((e.at - report.startedAt) / 1000);
    const mark = MARKS[e.type];
    parts.push(
      `<line x1="${at}" x2="${at}" y1="${PAD.top}" y2="${PAD.top + innerH}" stroke="${mark.color}" stroke-width="2"/>`,
    );
    parts.push(
      `<text x="${at + 3}" y="${PAD.top + 12 + (i % 5) * 13}" font-size="11" fill="${mark.color}">${escapeHtml(mark.label(e))}</text>`,
    );
  });
  const ticks: string[] = [];
  const step = span > 120 ? 30 : span > 40 ? 10 : 5;
  for (let t = 0; t <= span; t += step) {
    ticks.push(`<text x="${x(t)}" y="${H - PAD.bottom + 16}" font-size="11" text-anchor="middle">${t}s</text>`);
  }
  ticks.push(
    `<text x="${PAD.left - 6}" y="${y(maxRps) + 4}" font-size="11" text-anchor="end">${Math.round(maxRps)}</text>`,
  );
  ticks.push(`<text x="${PAD.left - 6}" y="${y(0) + 4}" font-size="11" text-anchor="end">0</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="requests per second during the drill">
<text x="${PAD.left}" y="16" font-size="13" font-weight="600">requests per second through the global endpoint (red: failed) — shaded: region down</text>
<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + innerH}" stroke="#888"/>
<line x1="${PAD.left}" x2="${PAD.left + innerW}" y1="${PAD.top + innerH}" y2="${PAD.top + innerH}" stroke="#888"/>
${parts.join('\n')}
${ticks.join('\n')}
<text x="${PAD.left + innerW / 2}" y="${H - 8}" font-size="11" text-anchor="middle">seconds since the drill started</text>
</svg>`;
}

export function renderDrillHtml(report: DrillReport): string {
  const rows = report.checks
    .map(
      (c) =>
        `<tr class="${c.ok ? 'ok' : 'fail'}"><td>${c.ok ? '✓' : '✗'}</td><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.detail)}</td></tr>`,
    )
    .join('\n');
  const events = report.events
    .map(
      (e) =>
        `<tr><td>${((e.at - report.startedAt) / 1000).toFixed(2)} s</td><td>${e.type}</td><td>${escapeHtml(e.region ?? '')}</td><td>${escapeHtml(e.detail ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gantry failover drill: ${escapeHtml(report.region)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #111; max-width: 980px; }
h1 { font-size: 20px; margin: 0 0 4px; } .verdict { font-size: 16px; font-weight: 600; margin: 8px 0 16px; }
.pass { color: #15803d; } .failed { color: #b91c1c; }
table { border-collapse: collapse; margin: 8px 0 20px; } td, th { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; }
tr.ok td:first-child { color: #15803d; } tr.fail td:first-child { color: #b91c1c; font-weight: 700; }
pre { background: #f8fafc; padding: 12px; border: 1px solid #e5e7eb; overflow-x: auto; }
</style></head><body>
<h1>Failover drill: ${escapeHtml(report.region)} down, ${escapeHtml(report.policy)} routing</h1>
<div>${new Date(report.startedAt).toISOString()} · outage ${(report.outageMs / 1000).toFixed(1)} s</div>
<div class="verdict ${report.passed ? 'pass' : 'failed'}">${report.passed ? 'PASSED: every target met' : 'FAILED: a target was missed'}</div>
<table><tr><th></th><th>check</th><th>result</th></tr>
${rows}
</table>
${timelineChart(report)}
<h2>Figures</h2>
<pre>${escapeHtml(renderDrillSummary(report))}</pre>
<h2>Events</h2>
<table><tr><th>time</th><th>event</th><th>region</th><th>detail</th></tr>
${events}
</table>
</body></html>
`;
}
