/** The standard k6 metrics gantry measures, their types and which tags their samples carry. */
export type MetricType = 'trend' | 'counter' | 'rate' | 'gauge';

/** `request`: a request's tags (name, method, status, url, scenario, expected_response, custom tags). */
export type TagFamily = 'request' | 'check' | 'scenario' | 'none';

export interface MetricInfo {
  type: MetricType;
  tags: TagFamily;
  /** Trends are milliseconds; counters of data are bytes. */
  unit?: 'ms' | 'bytes';
}

export const METRICS = {
  http_req_duration: { type: 'trend', tags: 'request', unit: 'ms' },
  http_req_failed: { type: 'rate', tags: 'request' },
  http_reqs: { type: 'counter', tags: 'request' },
  checks: { type: 'rate', tags: 'check' },
  iterations: { type: 'counter', tags: 'scenario' },
  iteration_duration: { type: 'trend', tags: 'scenario', unit: 'ms' },
  dropped_iterations: { type: 'counter', tags: 'scenario' },
  data_received: { type: 'counter', tags: 'none', unit: 'bytes' },
  data_sent: { type: 'counter', tags: 'none', unit: 'bytes' },
  vus: { type: 'gauge', tags: 'none' },
  vus_max: { type: 'gauge', tags: 'none' },
} as const satisfies Record<string, MetricInfo>;

export type MetricName = keyof typeof METRICS;

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}

/** The aggregations k6 allows in a threshold on each metric type. */
export const AGGREGATIONS: Record<MetricType, string> = {
  trend: 'avg, min, med, max, p(N)',
  counter: 'count, rate',
  rate: 'rate',
  gauge: 'value, min, max',
};
