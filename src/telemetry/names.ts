/**
 * Metric and dimension names exactly as CloudWatch spells them, and which metrics keep histograms
 * (percentile statistics). `ColdStarts` is gantry's addition, published like Powertools' metric.
 */
import type { Namespace } from './types.ts';

export const API_GATEWAY: Namespace = 'AWS/ApiGateway';
export const LAMBDA: Namespace = 'AWS/Lambda';
export const DYNAMODB: Namespace = 'AWS/DynamoDB';
/** Private namespace: the billable quantities the cost model reads. Never shown as a CloudWatch metric. */
export const USAGE: Namespace = 'Gantry/Usage';

export const API_METRICS = ['Count', '4xx', '5xx', 'Latency', 'IntegrationLatency', 'DataProcessed'] as const;
export const LAMBDA_METRICS = [
  'Invocations',
  'Errors',
  'Throttles',
  'Duration',
  'ConcurrentExecutions',
  'ColdStarts',
] as const;
export const DYNAMODB_METRICS = ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits'] as const;

export const USAGE_METRICS = {
  /** API Gateway requests as billed: one per started 512 KB of request + response. */
  meteredRequests: 'MeteredRequests',
  /** Lambda requests, dimension Architecture. */
  lambdaRequests: 'LambdaRequests',
  /** Billed duration × memory, dimension Architecture. */
  lambdaGbSeconds: 'LambdaGBSeconds',
  /** UTF-8 bytes of log events ingested (function logs and access logs). */
  logBytes: 'LogBytes',
  readRequestUnits: 'ReadRequestUnits',
  writeRequestUnits: 'WriteRequestUnits',
} as const;

const DISTRIBUTIONS = new Set(['AWS/ApiGateway|Latency', 'AWS/ApiGateway|IntegrationLatency', 'AWS/Lambda|Duration']);

export function isDistribution(namespace: Namespace, metricName: string): boolean {
  return DISTRIBUTIONS.has(`${namespace}|${metricName}`);
}

/** The metric names telemetry publishes per namespace, for validating queries and alarms. */
export const KNOWN_METRICS: Record<Namespace, readonly string[]> = {
  'AWS/ApiGateway': API_METRICS,
  'AWS/Lambda': LAMBDA_METRICS,
  'AWS/DynamoDB': DYNAMODB_METRICS,
  'Gantry/Usage': Object.values(USAGE_METRICS),
};
