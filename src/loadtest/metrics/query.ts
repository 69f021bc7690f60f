/**
 * Answers "this aggregation of this metric, narrowed by these tags" from a RunAggregate: what a threshold
 * (`http_req_duration{name:list}: p(95)<200`) and the summary ask.
 */
import type { Aggregation } from '../thresholds/parse.ts';
import type { RunAggregate, SeriesAggregate } from './aggregate.ts';
import type { MetricName } from './catalog.ts';
import { TrendAggregate } from './trend.ts';

export interface MetricQuery {
  metric: MetricName;
  tags: Record<string, string>;
}

/** `samples` is 0 when a trend or rate has nothing to aggregate: its value then means nothing. */
export interface QueryResult {
  value: number;
  samples: number;
}

function matches(tags: Record<string, string>, filter: Record<string, string>): boolean {
  for (const [name, value] of Object.entries(filter)) if (tags[name] !== value) return false;
  return true;
}

function seriesTags(agg: RunAggregate, s: SeriesAggregate): Record<string, string> {
  return { ...agg.stepOf(s.scenario, s.step).tags, status: String(s.status), expected_response: String(!s.failed) };
}

function matchingSeries(agg: RunAggregate, filter: Record<string, string>): SeriesAggregate[] {
  const all = [...agg.series.values()];
  return Object.keys(filter).length ? all.filter((s) => matches(seriesTags(agg, s), filter)) : all;
}

/** The merged trend of a trend metric under a tag filter. */
export function trendOf(agg: RunAggregate, query: MetricQuery): TrendAggregate {
  const trend = new TrendAggregate();
  if (query.metric === 'http_req_duration') {
    for (const s of matchingSeries(agg, query.tags)) trend.addTrend(s.trend);
  } else if (query.metric === 'iteration_duration') {
    agg.plan.scenarios.forEach((scenario) => {
      const it = agg.iterations.get(scenario.index);
      if (it && matches({ scenario: scenario.name }, query.tags)) trend.addTrend(it.duration);
    });
  }
  return trend;
}

function counter(agg: RunAggregate, query: MetricQuery): number {
  switch (query.metric) {
    case 'http_reqs':
      return matchingSeries(agg, query.tags).reduce((n, s) => n + s.trend.count, 0);
    case 'iterations':
    case 'dropped_iterations': {
      let n = 0;
      for (const scenario of agg.plan.scenarios) {
        const it = agg.iterations.get(scenario.index);
        if (it && matches({ scenario: scenario.name }, query.tags))
          n += query.metric === 'iterations' ? it.completed : it.dropped;
      }
      return n;
    }
    case 'data_received':
      return agg.bytesReceived;
    case 'data_sent':
      return agg.bytesSent;
    default:
      return 0;
  }
}

/** Passes and total of a rate metric. */
export function rateOf(agg: RunAggregate, query: MetricQuery): { passes: number; total: number } {
  if (query.metric === 'http_req_failed') {
    let passes = 0;
    let total = 0;
    for (const s of matchingSeries(agg, query.tags)) {
      total += s.trend.count;
      if (s.failed) passes += s.trend.count;
    }
    return { passes, total };
  }
  let passes = 0;
  let total = 0;
  for (const c of agg.checks.values()) {
    if (!matches({ ...agg.stepOf(c.scenario, c.step).tags, check: c.name }, query.tags)) continue;
    passes += c.pass;
    total += c.pass + c.fail;
  }
  return { passes, total };
}

export function queryMetric(
  agg: RunAggregate,
  query: MetricQuery,
  aggregation: Aggregation,
  elapsedMs: number,
): QueryResult {
  switch (query.metric) {
    case 'http_req_duration':
    case 'iteration_duration': {
      const trend = trendOf(agg, query);
      const stat = aggregation.kind === 'percentile' ? `p(${aggregation.percentile})` : aggregation.kind;
      return { value: trend.stat(stat), samples: trend.count };
    }
    case 'http_req_failed':
    case 'checks': {
      const { passes, total } = rateOf(agg, query);
      return { value: total ? passes / total : 0, samples: total };
    }
    case 'vus':
    case 'vus_max': {
      const gauge = query.metric === 'vus' ? agg.vus : { value: agg.vusMax, min: agg.vusMax, max: agg.vusMax };
      const value = aggregation.kind === 'min' ? gauge.min : aggregation.kind === 'max' ? gauge.max : gauge.value;
      return { value: Number.isFinite(value) ? value : 0, samples: 1 };
    }
    default: {
      const count = counter(agg, query);
      // Counters are defined with no samples: `dropped_iterations: ['count==0']` holds on an empty run.
      return { value: aggregation.kind === 'rate' ? count / Math.max(elapsedMs / 1000, 1e-9) : count, samples: 1 };
    }
  }
}
