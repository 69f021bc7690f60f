/**
 * What a run returns: thresholds judged, and the metrics in the shape of k6's summary data
 * (`metrics[name].values`), so a k6 user's tooling reads `--summary-export` without changes.
 */
import type { RunAggregate, TimelinePoint } from './metrics/aggregate.ts';
import { METRICS, type MetricName, type MetricType } from './metrics/catalog.ts';
import { queryMetric, rateOf, trendOf } from './metrics/query.ts';
import type { RunPlan } from './plan.ts';
import { evaluateThresholds, type ThresholdOutcome } from './thresholds/evaluate.ts';
import { parseThresholdKey } from './thresholds/parse.ts';

export interface MetricSummary {
  type: MetricType;
  contains: 'time' | 'data' | 'default';
  values: Record<string, number>;
  /** Keyed by the threshold expression, as in k6's summary data. */
  thresholds?: Record<string, { ok: boolean }>;
}

export type AbortReason = { reason: 'threshold'; thresholds: string[] } | { reason: 'signal' };

export interface LoadTestResult {
  plan: RunPlan;
  startedAt: string;
  /** Epoch ms (sub-ms precision) of the start every worker used: timeline `t` counts from here. */
  startEpochMs: number;
  /** From the start to the last worker's end, graceful stops included. */
  durationMs: number;
  aborted?: AbortReason;
  thresholds: ThresholdOutcome[];
  /** Every threshold held. */
  passed: boolean;
  /** k6's: 99 when a threshold failed, 105 when stopped from outside (Ctrl-C), else 0. */
  exitCode: 0 | 99 | 105;
  /** Base metrics by name, and sub-metrics by `name{tag:value}`. */
  metrics: Record<string, MetricSummary>;
  checks: { name: string; passes: number; fails: number }[];
  scenarios: { name: string; executor: string; completed: number; interrupted: number; dropped: number }[];
  /** Responses by status (`0`: no response). */
  statuses: Record<string, number>;
  /** Transport errors by code. */
  errors: Record<string, number>;
  timeline: TimelinePoint[];
  /** http_req_duration in log-spaced bins, for the report's histogram. */
  latencyBins: { fromMs: number; toMs: number; count: number }[];
}

export const EXPECTED_RESPONSE = 'http_req_duration{expected_response:true}';

export function buildResult(
  agg: RunAggregate,
  meta: { startEpochMs: number; durationMs: number; aborted?: AbortReason },
): LoadTestResult {
  const plan = agg.plan;
  const thresholds = evaluateThresholds(plan.thresholds, agg, meta.durationMs);
  const passed = thresholds.every((t) => t.ok);
  const metrics: Record<string, MetricSummary> = {};
  const keys = new Set<string>([...Object.keys(METRICS), EXPECTED_RESPONSE, ...plan.thresholds.map((t) => t.key)]);
  for (const key of keys) {
    const parsed = parseThresholdKey(key);
    if (!parsed.ok) continue;
    const stats = new Set([...plan.summaryTrendStats, 'p(99)']);
    for (const t of plan.thresholds)
      if (t.key === key && t.aggregation.kind === 'percentile') stats.add(`p(${t.aggregation.percentile})`);
    const summary = summarize(agg, parsed.value.metric, parsed.value.tags, [...stats], meta.durationMs);
    const own = thresholds.filter((o) => o.threshold.key === key);
    if (own.length) summary.thresholds = Object.fromEntries(own.map((o) => [o.threshold.source, { ok: o.ok }]));
    metrics[key] = summary;
  }

  const checks = new Map<string, { name: string; passes: number; fails: number }>();
  for (const c of agg.checks.values()) {
    const entry = checks.get(c.name) ?? { name: c.name, passes: 0, fails: 0 };
    entry.passes += c.pass;
    entry.fails += c.fail;
    checks.set(c.name, entry);
  }
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  for (const s of agg.series.values()) {
    statuses[s.status] = (statuses[s.status] ?? 0) + s.trend.count;
    for (const [code, n] of Object.entries(s.errors)) errors[code] = (errors[code] ?? 0) + n;
  }
  return {
    plan,
    startedAt: new Date(meta.startEpochMs).toISOString(),
    startEpochMs: meta.startEpochMs,
    durationMs: meta.durationMs,
    aborted: meta.aborted,
    thresholds,
    passed,
    exitCode: meta.aborted?.reason === 'signal' ? 105 : passed ? 0 : 99,
    metrics,
    checks: [...checks.values()],
    scenarios: plan.scenarios.map((s) => {
      const it = agg.iterations.get(s.index);
      return {
        name: s.name,
        executor: s.executor.type,
        completed: it?.completed ?? 0,
        interrupted: it?.interrupted ?? 0,
        dropped: it?.dropped ?? 0,
      };
    }),
    statuses,
    errors,
    timeline: agg.timeline,
    latencyBins: trendOf(agg, { metric: 'http_req_duration', tags: {} }).bins(),
  };
}

function summarize(
  agg: RunAggregate,
  metric: MetricName,
  tags: Record<string, string>,
  stats: string[],
  elapsedMs: number,
): MetricSummary {
  const info = METRICS[metric];
  const contains = 'unit' in info ? (info.unit === 'ms' ? 'time' : 'data') : 'default';
  const query = { metric, tags };
  switch (info.type) {
    case 'trend': {
      const trend = trendOf(agg, query);
      return { type: 'trend', contains, values: Object.fromEntries(stats.map((s) => [s, trend.stat(s)])) };
    }
    case 'rate': {
      const { passes, total } = rateOf(agg, query);
      return { type: 'rate', contains, values: { rate: total ? passes / total : 0, passes, fails: total - passes } };
    }
    case 'counter': {
      const count = queryMetric(agg, query, { kind: 'count' }, elapsedMs).value;
      return { type: 'counter', contains, values: { count, rate: count / Math.max(elapsedMs / 1000, 1e-9) } };
    }
    case 'gauge': {
      const value = (kind: 'value' | 'min' | 'max') => queryMetric(agg, query, { kind }, elapsedMs).value;
      return { type: 'gauge', contains, values: { value: value('value'), min: value('min'), max: value('max') } };
    }
  }
}
