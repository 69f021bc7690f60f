/**
 * The golden-signals dashboard as data. The local console draws these widgets and the CDK app turns
 * the same list into a CloudWatch dashboard, so the two cannot drift. It lives in config because
 * both console (through telemetry) and infra may read config, and nothing else of each other.
 */
import type { ApiMetricName, LambdaMetricName, WatchedNamespace } from '../aws/metrics.ts';

export type DashboardDimension = 'api' | 'function';

export interface DashboardMetric {
  namespace: WatchedNamespace;
  /** CloudWatch metric name, e.g. `5xx`, `Latency`, `ConcurrentExecutions`. */
  metricName: ApiMetricName | LambdaMetricName;
  /** CloudWatch statistic: Sum, Average, Maximum, Minimum, SampleCount, p50, p95, p99… */
  statistic: string;
  label: string;
  /** `api`: ApiId + Stage dimensions; `function`: one series per FunctionName. */
  dimension: DashboardDimension;
}

export interface DashboardWidget {
  id: string;
  title: string;
  unit: 'Count' | 'Milliseconds' | 'Percent' | 'Bytes';
  metrics: DashboardMetric[];
}

const api = (metricName: ApiMetricName, statistic: string, label: string): DashboardMetric => ({
  namespace: 'AWS/ApiGateway',
  metricName,
  statistic,
  label,
  dimension: 'api',
});
const fn = (metricName: LambdaMetricName, statistic: string, label: string): DashboardMetric => ({
  namespace: 'AWS/Lambda',
  metricName,
  statistic,
  label,
  dimension: 'function',
});

/** Golden signals: traffic, latency, errors, saturation, for the gateway and its functions. */
export const GOLDEN_SIGNALS_DASHBOARD: readonly DashboardWidget[] = [
  { id: 'requests', title: 'Requests', unit: 'Count', metrics: [api('Count', 'Sum', 'Requests')] },
  {
    id: 'latency',
    title: 'Latency',
    unit: 'Milliseconds',
    metrics: [api('Latency', 'p50', 'p50'), api('Latency', 'p95', 'p95'), api('Latency', 'p99', 'p99')],
  },
  { id: 'errors', title: 'Errors', unit: 'Count', metrics: [api('4xx', 'Sum', '4xx'), api('5xx', 'Sum', '5xx')] },
  {
    id: 'integration-latency',
    title: 'Integration latency',
    unit: 'Milliseconds',
    metrics: [api('IntegrationLatency', 'p95', 'p95')],
  },
  { id: 'lambda-duration', title: 'Lambda duration', unit: 'Milliseconds', metrics: [fn('Duration', 'p95', 'p95')] },
  {
    id: 'lambda-errors',
    title: 'Lambda errors and throttles',
    unit: 'Count',
    metrics: [fn('Errors', 'Sum', 'Errors'), fn('Throttles', 'Sum', 'Throttles')],
  },
  {
    id: 'concurrency',
    title: 'Concurrent executions',
    unit: 'Count',
    metrics: [fn('ConcurrentExecutions', 'Maximum', 'Concurrency')],
  },
  { id: 'cold-starts', title: 'Cold starts', unit: 'Count', metrics: [fn('ColdStarts', 'Sum', 'Cold starts')] },
];

/** For an API with provisioned concurrency: how much of it is in use, and the invocations it could not take. */
export const PROVISIONED_CONCURRENCY_WIDGET: DashboardWidget = {
  id: 'provisioned-concurrency',
  title: 'Provisioned concurrency',
  unit: 'Count',
  metrics: [
    fn('ProvisionedConcurrentExecutions', 'Maximum', 'in use'),
    fn('ProvisionedConcurrencySpilloverInvocations', 'Sum', 'spillover'),
  ],
};

/** The golden signals, and the provisioned concurrency widget when a function has provisioned concurrency. */
export function dashboardWidgets(
  functions: Record<string, { provisionedConcurrency: number }>,
): readonly DashboardWidget[] {
  const provisioned = Object.values(functions).some((fn) => fn.provisionedConcurrency > 0);
  return provisioned ? [...GOLDEN_SIGNALS_DASHBOARD, PROVISIONED_CONCURRENCY_WIDGET] : GOLDEN_SIGNALS_DASHBOARD;
}
