/**
 * The end-of-run summary in the layout k6 users read every day: thresholds ✓/✗ first, then checks,
 * HTTP, execution and network metrics.
 */
import { METRICS, type MetricName } from '../metrics/catalog.ts';
import { EXPECTED_RESPONSE, type LoadTestResult, type MetricSummary } from '../result.ts';
import { formatDuration } from '../scenario/duration.ts';
import type { ThresholdOutcome } from '../thresholds/evaluate.ts';
import { dotted, formatBytes, formatMs, formatPercent, formatRate, trim } from './format.ts';

const SECTIONS: [string, MetricName[]][] = [
  ['HTTP', ['http_req_duration', 'http_req_failed', 'http_reqs']],
  ['EXECUTION', ['dropped_iterations', 'iteration_duration', 'iterations', 'vus', 'vus_max']],
  ['NETWORK', ['data_received', 'data_sent']],
];

export function renderSummary(result: LoadTestResult): string {
  const out: string[] = [''];
  const stats = result.plan.summaryTrendStats;

  if (result.thresholds.length) {
    out.push('  █ THRESHOLDS', '');
    const byKey = new Map<string, ThresholdOutcome[]>();
    for (const o of result.thresholds) byKey.set(o.threshold.key, [...(byKey.get(o.threshold.key) ?? []), o]);
    for (const [key, outcomes] of byKey) {
      out.push(`    ${key}`);
      for (const o of outcomes) out.push(`    ${o.ok ? '✓' : '✗'} '${o.threshold.source}' ${formatActual(o)}`);
      out.push('');
    }
    out.push('');
  }

  out.push('  █ TOTAL RESULTS', '');
  const checks = result.metrics.checks.values;
  const checksTotal = checks.passes + checks.fails;
  if (checksTotal > 0) {
    const seconds = result.durationMs / 1000;
    out.push(`    ${dotted('checks_total')}${checksTotal}  ${formatRate(checksTotal / seconds)}`);
    out.push(
      `    ${dotted('checks_succeeded')}${formatPercent(checks.passes / checksTotal)} ${checks.passes} out of ${checksTotal}`,
    );
    out.push(
      `    ${dotted('checks_failed')}${formatPercent(checks.fails / checksTotal)} ${checks.fails} out of ${checksTotal}`,
      '',
    );
    for (const c of result.checks) {
      out.push(`    ${c.fails === 0 ? '✓' : '✗'} ${c.name}`);
      if (c.fails > 0)
        out.push(`      ↳  ${trim((c.passes / (c.passes + c.fails)) * 100, 0)}% — ✓ ${c.passes} / ✗ ${c.fails}`);
    }
    out.push('');
  }

  for (const [title, names] of SECTIONS) {
    out.push(`    ${title}`);
    for (const name of names) {
      if (name === 'dropped_iterations' && result.metrics[name].values.count === 0 && !hasArrivalRate(result)) continue;
      out.push(`    ${dotted(name)}${metricText(name, result.metrics[name], stats)}`);
      if (name === 'http_req_duration') {
        out.push(
          `    ${dotted('  { expected_response:true }')}${metricText(name, result.metrics[EXPECTED_RESPONSE], stats)}`,
        );
      }
      for (const [key, summary] of Object.entries(result.metrics)) {
        if (key.startsWith(`${name}{`) && key !== EXPECTED_RESPONSE) {
          out.push(`    ${dotted(`  ${key.slice(name.length)}`)}${metricText(name, summary, stats)}`);
        }
      }
    }
    out.push('');
  }

  const statuses = Object.entries(result.statuses);
  const errors = Object.entries(result.errors);
  if (statuses.length > 1 || errors.length || (statuses.length === 1 && !statuses[0][0].startsWith('2'))) {
    out.push('    RESPONSES');
    out.push(`    ${dotted('statuses')}${statuses.map(([s, n]) => `${s === '0' ? 'none' : s}×${n}`).join(' ')}`);
    if (errors.length) out.push(`    ${dotted('errors')}${errors.map(([code, n]) => `${code}×${n}`).join(' ')}`);
    out.push('');
  }

  const completed = result.scenarios.reduce((n, s) => n + s.completed, 0);
  const interrupted = result.scenarios.reduce((n, s) => n + s.interrupted, 0);
  out.push(
    `  running (${formatDuration(result.durationMs)}), ${completed} complete and ${interrupted} interrupted iterations`,
  );
  for (const s of result.scenarios) {
    const dropped = s.dropped ? `, ${s.dropped} dropped` : '';
    out.push(`  ${s.name} [${s.executor}] ${s.completed} iterations${dropped}`);
  }
  if (result.aborted?.reason === 'threshold') {
    out.push('', `  aborted: ${result.aborted.thresholds.join(', ')} failed with abortOnFail`);
  } else if (result.aborted?.reason === 'signal') {
    out.push('', '  aborted: stopped before the end (the figures cover the part that ran)');
  }
  if (!result.passed) {
    const failed = result.thresholds.filter((t) => !t.ok).map((t) => `${t.threshold.key}: ${t.threshold.source}`);
    out.push('', `  ✗ thresholds failed: ${failed.join('; ')} (exit code 99)`);
  }
  out.push('');
  return out.join('\n');
}

function hasArrivalRate(result: LoadTestResult): boolean {
  return result.plan.scenarios.some((s) => s.executor.type.endsWith('arrival-rate'));
}

/** `p(95)=12.3ms`, `rate=0.52%`: the value a threshold compared, in its metric's unit. */
export function formatActual(o: ThresholdOutcome): string {
  const agg = o.threshold.aggregation;
  const label = agg.kind === 'percentile' ? `p(${agg.percentile})` : agg.kind;
  if (o.actual === undefined) return `${label}=no samples (nothing matched ${o.threshold.key})`;
  const info = METRICS[o.threshold.metric];
  let value: string;
  if (info.type === 'rate') value = formatPercent(o.actual);
  else if (info.type === 'trend') value = formatMs(o.actual);
  else if (agg.kind === 'rate') value = formatRate(o.actual);
  else value = trim(o.actual);
  return `${label}=${value}`;
}

function metricText(name: MetricName, summary: MetricSummary, stats: string[]): string {
  const v = summary.values;
  const info = METRICS[name];
  switch (info.type) {
    case 'trend':
      return stats.map((s) => `${s}=${s === 'count' ? v[s] : formatMs(v[s])}`).join(' ');
    case 'rate':
      return `${formatPercent(v.rate)} ${v.passes} out of ${v.passes + v.fails}`;
    case 'counter':
      return 'unit' in info ? `${formatBytes(v.count)} ${formatBytes(v.rate)}/s` : `${v.count}  ${formatRate(v.rate)}`;
    case 'gauge':
      return `${v.value}  min=${v.min} max=${v.max}`;
  }
}
