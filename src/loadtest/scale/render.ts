/** The scale report as text, printed after the k6 summary. */
import { formatMs, trim } from '../output/format.ts';
import type { FunctionScale, ScaleReport } from './report.ts';

const MAX_ROWS = 30;

export function renderScaleReport(report: ScaleReport): string {
  const out = [
    '',
    `  █ SCALING (gantry dev console: ${report.samples} samples, one every ${Math.round(report.sampleIntervalMs)}ms)`,
    '',
  ];
  const active = report.functions.filter((f) => f.invocations > 0 || f.throttles > 0);
  if (active.length === 0) out.push('    no function was invoked during the run', '');
  for (const f of active) out.push(...functionLines(f), '');
  if (active.length && report.timeline.length) out.push(...table(report, active), '');
  return out.join('\n');
}

function functionLines(f: FunctionScale): string[] {
  const reserved =
    f.reservedConcurrency === null ? 'no reservedConcurrency' : `reservedConcurrency=${f.reservedConcurrency}`;
  const lines = [
    `    ${f.name}  (${reserved}, ${f.memoryMb} MB)`,
    `      invocations ${f.invocations}  cold starts ${f.coldStarts}  throttles ${f.throttles}  errors ${f.errors}`,
    `      concurrency: peak ${f.peakBusy} busy, ${f.peakAlive} environments alive (${f.aliveBefore} before the run)`,
  ];
  if (f.provisionedConcurrency > 0) {
    lines.push(
      `      provisioned concurrency ${f.provisionedConcurrency}: ${f.provisionedInvocations} invocations on provisioned environments, ` +
        `${f.spilloverInvocations} spilled over to on-demand ones (${f.coldStarts} cold starts)`,
    );
  }
  if (f.timeToPeakS !== undefined) {
    lines.push(
      `      time to scale: ${trim(f.timeToPeakS, 1)}s from the first invocation to ${f.peakAlive} environments`,
    );
  } else if (f.peakAlive <= f.aliveBefore) {
    lines.push('      time to scale: none needed (enough environments were already warm)');
  }
  const impact = f.coldStartImpact;
  if (impact) {
    const delta = impact.p95WithMs - impact.p95WithoutMs;
    lines.push(
      `      cold starts: in ${impact.intervalsWithColdStarts} of ${impact.intervalsWithColdStarts + impact.intervalsWithout} intervals, ` +
        `last at ${trim(f.lastColdStartS ?? 0, 1)}s; p95 there ${formatMs(impact.p95WithMs)} vs ${formatMs(impact.p95WithoutMs)} elsewhere ` +
        `(${delta >= 0 ? '+' : '−'}${formatMs(Math.abs(delta))}), worst ${formatMs(impact.maxWithMs)}`,
    );
  }
  if (f.throttles === 0) {
    const headroom =
      f.reservedConcurrency === null ? '' : ` (peak ${f.peakBusy} of reservedConcurrency ${f.reservedConcurrency})`;
    lines.push(`      throttles: none${headroom}`);
  } else if (f.throttledAtReserved) {
    lines.push(
      `      throttles: ${f.throttles}, from ${trim(f.firstThrottleS ?? 0, 1)}s, at reservedConcurrency ${f.reservedConcurrency} (TooManyRequestsException)`,
    );
  } else {
    const limit =
      f.reservedConcurrency === null ? 'no reservedConcurrency' : `below reservedConcurrency ${f.reservedConcurrency}`;
    lines.push(
      `      throttles: ${f.throttles}, from ${trim(f.firstThrottleS ?? 0, 1)}s, with sampled concurrency ${limit}: ` +
        'the account concurrency limit, or a burst between two samples',
    );
  }
  return lines;
}

function table(report: ScaleReport, functions: FunctionScale[]): string[] {
  const step = Math.ceil(report.timeline.length / MAX_ROWS);
  const header = ['t(s)', 'req/s', 'VUs', 'p95', 'demand', ...functions.map((f) => `${f.name} busy/alive cold`)];
  const rows = report.timeline
    .filter((_, i) => i % step === 0 || i === report.timeline.length - 1)
    .map((p) => [
      trim(p.t, 1),
      trim(p.rps, 1),
      String(p.vus),
      formatMs(p.p95Ms),
      trim(p.demand, 1),
      ...functions.map((f) => {
        const s = p.functions[f.name];
        return `${s.busy}/${s.alive} ${s.coldStarts}${s.throttles ? ` throttled ${s.throttles}` : ''}`;
      }),
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `    ${cells.map((c, i) => c.padStart(widths[i])).join('  ')}`;
  const note = step > 1 ? [`    (every ${step}th interval shown; the HTML report has them all)`] : [];
  return [line(header), ...rows.map(line), ...note];
}
