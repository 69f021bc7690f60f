/**
 * Which metrics telemetry keeps, in which namespaces, and which keep histograms (percentile
 * statistics). The names themselves are AWS's, from src/aws/metrics.ts.
 */
import {
  API_GATEWAY_NAMESPACE,
  API_METRICS,
  DYNAMODB_METRICS,
  DYNAMODB_NAMESPACE,
  LAMBDA_METRICS,
  LAMBDA_NAMESPACE,
} from '../aws/metrics.ts';
import type { Namespace } from './types.ts';

export const API_GATEWAY: Namespace = API_GATEWAY_NAMESPACE;
export const LAMBDA: Namespace = LAMBDA_NAMESPACE;
export const DYNAMODB: Namespace = DYNAMODB_NAMESPACE;
/** Private namespace: the billable quantities the cost model reads. Never shown as a CloudWatch metric. */
export const USAGE: Namespace = 'Gantry/Usage';

/**
 * Private namespace: per-route counts of the statuses authorization answers with (401, 403), which
 * API Gateway's metrics lump into 4xx. The console's route table reads them; not a CloudWatch metric.
 */
export const GANTRY_API: Namespace = 'Gantry/ApiGateway';
export const STATUS_METRICS = { unauthorized: '401', forbidden: '403' } as const;

export { API_METRICS, LAMBDA_METRICS };

export const USAGE_METRICS = {
  /** API Gateway requests as billed: one per started 512 KB of request + response. */
  meteredRequests: 'MeteredRequests',
  /** Lambda requests, dimension Architecture. */
  lambdaRequests: 'LambdaRequests',
  /** Billed duration × memory on on-demand environments, dimension Architecture. */
  lambdaGbSeconds: 'LambdaGBSeconds',
  /** Billed duration × memory on provisioned environments (priced lower), dimension Architecture. */
  lambdaProvisionedGbSeconds: 'LambdaProvisionedGBSeconds',
  /** UTF-8 bytes of log events ingested (function logs and access logs). */
  logBytes: 'LogBytes',
  readRequestUnits: 'ReadRequestUnits',
  writeRequestUnits: 'WriteRequestUnits',
} as const;

const DISTRIBUTIONS = new Set(['AWS/ApiGateway|Latency', 'AWS/ApiGateway|IntegrationLatency', 'AWS/Lambda|Duration']);

/** A namespace of the user's own (EMF, Powertools Metrics): neither AWS's nor gantry's. */
export function isCustomNamespace(namespace: string): boolean {
  return !namespace.startsWith('AWS/') && !namespace.startsWith('Gantry/');
}

export function isDistribution(namespace: Namespace, metricName: string): boolean {
  return DISTRIBUTIONS.has(`${namespace}|${metricName}`) || isCustomNamespace(namespace);
}

/** The metric names telemetry publishes per namespace, for validating queries and alarms. */
export const KNOWN_METRICS: Record<string, readonly string[]> = {
  'AWS/ApiGateway': API_METRICS,
  'AWS/Lambda': LAMBDA_METRICS,
  'AWS/DynamoDB': DYNAMODB_METRICS,
  'Gantry/Usage': Object.values(USAGE_METRICS),
  'Gantry/ApiGateway': Object.values(STATUS_METRICS),
};
