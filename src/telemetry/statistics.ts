/**
 * CloudWatch statistics computed from an Aggregate. Percentiles use the nearest-rank definition
 * (the smallest recorded value with at least p % of the samples at or below it), read from the
 * HDR histogram and clamped to the exact minimum and maximum.
 */
import { HISTOGRAM_SCALE } from './histogram.ts';
import type { Aggregate } from './series.ts';

export type ParsedStatistic =
  | { kind: 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount' }
  | { kind: 'percentile'; percentile: number };

const SIMPLE = new Set(['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount']);
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,3})?|100)$/;

export class MetricQueryError extends Error {
  override name = 'MetricQueryError';
}

export function parseStatistic(statistic: string): ParsedStatistic {
  if (SIMPLE.has(statistic)) return { kind: statistic as 'Sum' };
  const match = PERCENTILE.exec(statistic);
  const percentile = match ? Number(match[1]) : Number.NaN;
  if (!match || percentile <= 0 || percentile > 100) {
    throw new MetricQueryError(
      `statistic: "${statistic}" is not one of Sum, Average, Minimum, Maximum, SampleCount or a percentile p0.001…p100 (e.g. p95)`,
    );
  }
  return { kind: 'percentile', percentile };
}

/** The statistic's value, or undefined when the aggregate holds no sample (a missing datapoint). */
export function computeStatistic(aggregate: Aggregate, statistic: ParsedStatistic): number | undefined {
  if (aggregate.count === 0) return undefined;
  switch (statistic.kind) {
    case 'Sum':
      return aggregate.sum;
    case 'SampleCount':
      return aggregate.count;
    case 'Average':
      return aggregate.sum / aggregate.count;
    case 'Minimum':
      return aggregate.min;
    case 'Maximum':
      return aggregate.max;
    case 'percentile': {
      if (!aggregate.histogram) return undefined;
      const raw = aggregate.histogram.valueAtPercentile(statistic.percentile) / HISTOGRAM_SCALE;
      return Math.min(aggregate.max, Math.max(aggregate.min, raw));
    }
  }
}
