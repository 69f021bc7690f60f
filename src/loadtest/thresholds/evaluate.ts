/** Thresholds checked against the run's metrics: during the run for abortOnFail, and at the end. */
import type { RunAggregate } from '../metrics/aggregate.ts';
import { queryMetric } from '../metrics/query.ts';
import type { Comparison, ParsedThreshold } from './parse.ts';

export interface ThresholdOutcome {
  threshold: ParsedThreshold;
  ok: boolean;
  /** The aggregated value compared; undefined when the metric had no samples (that fails the threshold). */
  actual: number | undefined;
}

export function compare(actual: number, comparison: Comparison, expected: number): boolean {
  switch (comparison) {
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '==':
    case '===':
      return actual === expected;
    case '!=':
      return actual !== expected;
  }
}

export function evaluateThresholds(
  thresholds: ParsedThreshold[],
  agg: RunAggregate,
  elapsedMs: number,
): ThresholdOutcome[] {
  return thresholds.map((threshold) => {
    const { value, samples } = queryMetric(agg, threshold, threshold.aggregation, elapsedMs);
    // A threshold with nothing to judge (a tag filter matching no request) fails: passing it would be a
    // green light for a test that measured nothing.
    if (samples === 0) return { threshold, ok: false, actual: undefined };
    return { threshold, ok: compare(value, threshold.comparison, threshold.value), actual: value };
  });
}

/** The abortOnFail thresholds failing now (only those past their delayAbortEval and with samples). */
export function thresholdsToAbort(
  thresholds: ParsedThreshold[],
  agg: RunAggregate,
  elapsedMs: number,
): ThresholdOutcome[] {
  const due = thresholds.filter((t) => t.abortOnFail && elapsedMs >= t.delayAbortEvalMs);
  return evaluateThresholds(due, agg, elapsedMs).filter((o) => !o.ok && o.actual !== undefined);
}
