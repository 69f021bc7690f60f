/**
 * k6 threshold syntax: a metric, optionally narrowed by tags (`http_req_duration{name:list,status:200}`),
 * and expressions like `p(95)<200`, `rate<0.01`, `avg<=100`, `count>10`.
 */
import { AGGREGATIONS, isMetricName, METRICS, type MetricName } from '../metrics/catalog.ts';
import { parseDuration } from '../scenario/duration.ts';
import type { ThresholdObject } from '../scenario/types.ts';

export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export type Aggregation =
  | { kind: 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' }
  | { kind: 'percentile'; percentile: number };

export interface ParsedThreshold {
  /** As written in `thresholds`: `http_req_duration{name:list}`. */
  key: string;
  metric: MetricName;
  /** Tag filter; empty for the whole metric. */
  tags: Record<string, string>;
  /** The expression as written: `p(95)<200`. */
  source: string;
  aggregation: Aggregation;
  comparison: Comparison;
  value: number;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}

const EXPRESSION =
  /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/;
const KEY = /^\s*([a-z_][a-z0-9_]*)\s*(?:\{([^}]*)\})?\s*$/i;

export type ThresholdResult<T> = { ok: true; value: T } | { ok: false; problem: string };

export function parseThresholdKey(key: string): ThresholdResult<{ metric: MetricName; tags: Record<string, string> }> {
  const match = KEY.exec(key);
  if (!match)
    return { ok: false, problem: 'expected a metric name, optionally with tags: http_req_duration{name:list}' };
  const metric = match[1];
  if (!isMetricName(metric)) {
    return { ok: false, problem: `unknown metric "${metric}" (known: ${Object.keys(METRICS).join(', ')})` };
  }
  const tags: Record<string, string> = {};
  if (match[2] !== undefined) {
    for (const part of match[2].split(',')) {
      const colon = part.indexOf(':');
      const name = part.slice(0, colon).trim();
      if (colon < 0 || !name) return { ok: false, problem: `expected tags as {name:value,...}, got "{${match[2]}}"` };
      tags[name] = part.slice(colon + 1).trim();
    }
    if (Object.keys(tags).length && METRICS[metric].tags === 'none') {
      return { ok: false, problem: `${metric} has no tags to filter on` };
    }
  }
  return { ok: true, value: { metric, tags } };
}

export function parseThresholdExpression(
  metric: MetricName,
  source: string,
): ThresholdResult<Omit<ParsedThreshold, 'key' | 'metric' | 'tags' | 'abortOnFail' | 'delayAbortEvalMs'>> {
  const match = EXPRESSION.exec(source);
  const type = METRICS[metric].type;
  const expected = `expected "<aggregation> <operator> <number>" with aggregation ${AGGREGATIONS[type]} for ${metric} (a ${type}), e.g. "${example(type)}"`;
  if (!match) return { ok: false, problem: `"${source}": ${expected}` };
  const aggregation: Aggregation =
    match[2] !== undefined ? { kind: 'percentile', percentile: Number(match[2]) } : { kind: match[1] as 'avg' };
  const allowed = aggregationAllowed(type, aggregation);
  if (!allowed) return { ok: false, problem: `"${source}": ${expected}` };
  if (aggregation.kind === 'percentile' && aggregation.percentile > 100) {
    return { ok: false, problem: `"${source}": expected a percentile from 0 to 100` };
  }
  return {
    ok: true,
    value: { source: source.trim(), aggregation, comparison: match[3] as Comparison, value: Number(match[4]) },
  };
}

function aggregationAllowed(type: keyof typeof AGGREGATIONS, aggregation: Aggregation): boolean {
  switch (type) {
    case 'trend':
      return ['avg', 'min', 'max', 'med', 'percentile'].includes(aggregation.kind);
    case 'counter':
      return aggregation.kind === 'count' || aggregation.kind === 'rate';
    case 'rate':
      return aggregation.kind === 'rate';
    case 'gauge':
      return ['value', 'min', 'max'].includes(aggregation.kind);
  }
}

function example(type: keyof typeof AGGREGATIONS): string {
  return { trend: 'p(95)<200', counter: 'count>100', rate: 'rate<0.01', gauge: 'value<100' }[type];
}

/** Parses `options.thresholds`; problems name the threshold as written. */
export function parseThresholds(thresholds: Record<string, string | (string | ThresholdObject)[]>): {
  thresholds: ParsedThreshold[];
  problems: string[];
} {
  const out: ParsedThreshold[] = [];
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(thresholds)) {
    const where = `options.thresholds[${JSON.stringify(key)}]`;
    const parsedKey = parseThresholdKey(key);
    if (!parsedKey.ok) {
      problems.push(`${where}: ${parsedKey.problem}`);
      continue;
    }
    const list = typeof raw === 'string' ? [raw] : raw;
    list.forEach((entry, i) => {
      const item = typeof entry === 'string' ? { threshold: entry } : entry;
      const expression = parseThresholdExpression(parsedKey.value.metric, item.threshold);
      if (!expression.ok) {
        problems.push(`${where}[${i}]: ${expression.problem}`);
        return;
      }
      out.push({
        key: key.trim(),
        ...parsedKey.value,
        ...expression.value,
        abortOnFail: item.abortOnFail ?? false,
        delayAbortEvalMs: item.delayAbortEval === undefined ? 0 : (parseDuration(item.delayAbortEval) ?? 0),
      });
    });
  }
  return { thresholds: out, problems };
}
