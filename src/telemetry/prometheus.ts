/**
 * `/metrics` in the Prometheus text exposition format (version 0.0.4), for users who bring Grafana.
 * Counters are cumulative since `gantry dev` started; latency summaries give quantiles over the last
 * 60 s (from the same histograms as the CloudWatch percentiles) with cumulative `_sum` and `_count`.
 */
import type { Telemetry } from './telemetry.ts';
import type { Statistic } from './types.ts';

export interface PromSample {
  /** Appended to the family name (`_sum`, `_count`); none for plain samples. */
  suffix?: string;
  labels?: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'summary';
  samples: PromSample[];
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const QUANTILES: [string, Statistic][] = [
  ['0.5', 'p50'],
  ['0.9', 'p90'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
];

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** A CloudWatch dimension name as a Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`), clear of ours. */
function promLabelName(name: string): string {
  const safe = name.replace(/[^a-zA-Z0-9_]/g, '_');
  const label = /^[a-zA-Z_]/.test(safe) ? safe : `_${safe}`;
  return label === 'namespace' || label === 'metric_name' || label.startsWith('__') ? `dimension_${label}` : label;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

export function renderExposition(families: PromFamily[]): string {
  let out = '';
  for (const family of families) {
    out += `# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`;
    out += `# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels ?? {});
      const rendered = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
      out += `${family.name}${sample.suffix ?? ''}${rendered} ${formatValue(sample.value)}\n`;
    }
  }
  return out;
}

/** The metric families telemetry exposes; the console appends cost and budget gauges. */
export function telemetryFamilies(telemetry: Telemetry): PromFamily[] {
  const { config, metrics } = telemetry;
  const now = telemetry.clock();
  const api = { api_id: config.apiId, stage: config.stage.name };
  const apiDims = { ApiId: config.apiId, Stage: config.stage.name };

  const routeCounter = (metricName: string, name: string, help: string): PromFamily => {
    const samples: PromSample[] = [];
    let routed = 0;
    for (const routeKey of telemetry.routeKeys()) {
      const series = metrics.find('AWS/ApiGateway', metricName, { ...apiDims, Route: routeKey });
      const value = series?.totalSum ?? 0;
      routed += value;
      samples.push({ labels: { ...api, route: routeKey }, value });
    }
    const total = metrics.find('AWS/ApiGateway', metricName, apiDims)?.totalSum ?? 0;
    // Requests that matched no route have no Route series (as in CloudWatch); Prometheus gets them as route="-".
    if (total - routed > 0) samples.push({ labels: { ...api, route: '-' }, value: total - routed });
    return { name, help, type: 'counter', samples };
  };

  const summary = (
    namespace: 'AWS/ApiGateway' | 'AWS/Lambda',
    metricName: string,
    dimensions: Record<string, string>,
    labels: Record<string, string>,
  ): PromSample[] => {
    const series = metrics.find(namespace, metricName, dimensions);
    if (!series || series.totalCount === 0) return [];
    const samples: PromSample[] = [];
    for (const [quantile, statistic] of QUANTILES) {
      const value = metrics.statisticOver({ namespace, metricName, dimensions }, statistic, now - 60_000, now + 1);
      samples.push({ labels: { ...labels, quantile }, value: value ?? Number.NaN });
    }
    samples.push({ suffix: '_sum', labels, value: series.totalSum });
    samples.push({ suffix: '_count', labels, value: series.totalCount });
    return samples;
  };

  const counters = telemetry.functionCounters();
  const fnFamily = (name: string, help: string, type: PromFamily['type'], pick: (name: string) => number) => ({
    name,
    help,
    type,
    samples: Object.keys(counters).map((fn) => ({ labels: { function_name: fn }, value: pick(fn) })),
  });

  return [
    routeCounter('Count', 'aws_apigateway_count_total', 'API Gateway requests (CloudWatch AWS/ApiGateway Count).'),
    routeCounter('4xx', 'aws_apigateway_4xx_total', 'Requests answered with a 4xx status.'),
    routeCounter('5xx', 'aws_apigateway_5xx_total', 'Requests answered with a 5xx status.'),
    routeCounter('DataProcessed', 'aws_apigateway_data_processed_bytes_total', 'Request plus response bytes.'),
    {
      name: 'aws_apigateway_latency_milliseconds',
      help: 'Request latency at the gateway; quantiles over the last 60 s.',
      type: 'summary',
      samples: summary('AWS/ApiGateway', 'Latency', apiDims, api),
    },
    {
      name: 'aws_apigateway_integration_latency_milliseconds',
      help: 'Time spent in the integration; quantiles over the last 60 s.',
      type: 'summary',
      samples: summary('AWS/ApiGateway', 'IntegrationLatency', apiDims, api),
    },
    fnFamily('aws_lambda_invocations_total', 'Lambda invocations.', 'counter', (fn) => counters[fn].invocations),
    fnFamily(
      'aws_lambda_errors_total',
      'Invocations that ended in a function error.',
      'counter',
      (fn) => counters[fn].errors,
    ),
    fnFamily(
      'aws_lambda_throttles_total',
      'Invocations refused for lack of concurrency.',
      'counter',
      (fn) => counters[fn].throttles,
    ),
    fnFamily(
      'aws_lambda_cold_starts_total',
      'Invocations that started a new execution environment.',
      'counter',
      (fn) => counters[fn].coldStarts,
    ),
    {
      name: 'aws_lambda_duration_milliseconds',
      help: 'Invocation duration; quantiles over the last 60 s.',
      type: 'summary',
      samples: Object.keys(counters).flatMap((fn) =>
        summary('AWS/Lambda', 'Duration', { FunctionName: fn }, { function_name: fn }),
      ),
    },
    fnFamily(
      'aws_lambda_concurrent_executions',
      'Execution environments busy now.',
      'gauge',
      (fn) => counters[fn].busy,
    ),
    fnFamily('gantry_lambda_environments', 'Execution environments alive now.', 'gauge', (fn) => counters[fn].alive),
    {
      name: 'cloudwatch_custom_metric',
      help: 'Metrics the functions published in Embedded Metric Format (Powertools Metrics): sum and count of every value since start, per namespace, metric and dimension set (each dimension a label).',
      type: 'summary',
      samples: telemetry.customMetrics.list().flatMap((metric) => {
        const series = metrics.find(metric.namespace, metric.metricName, metric.dimensions);
        const labels: Record<string, string> = { namespace: metric.namespace, metric_name: metric.metricName };
        for (const [name, value] of Object.entries(metric.dimensions)) labels[promLabelName(name)] = value;
        return [
          { suffix: '_sum', labels, value: series?.totalSum ?? 0 },
          { suffix: '_count', labels, value: series?.totalCount ?? 0 },
        ];
      }),
    },
    {
      name: 'gantry_alarm_state',
      help: 'CloudWatch alarm state: 1 for the current state, 0 for the others.',
      type: 'gauge',
      samples: telemetry.alarms.describe().flatMap((alarm) =>
        (['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const).map((state) => ({
          labels: { alarm_name: alarm.alarmName, state },
          value: alarm.state === state ? 1 : 0,
        })),
      ),
    },
  ];
}
