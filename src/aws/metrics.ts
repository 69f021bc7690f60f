/**
 * CloudWatch metric namespaces, names and dimensions exactly as AWS spells them. Telemetry publishes
 * them locally, the dashboard and alarms of the config name them, the CDK app points CloudWatch at
 * them: one spelling for all. `ColdStarts` is gantry's addition, published as Powertools' metric is.
 */

export const API_GATEWAY_NAMESPACE = 'AWS/ApiGateway';
export const LAMBDA_NAMESPACE = 'AWS/Lambda';
export const DYNAMODB_NAMESPACE = 'AWS/DynamoDB';

/** The namespaces a user's alarms and dashboard may watch. */
export type WatchedNamespace = typeof API_GATEWAY_NAMESPACE | typeof LAMBDA_NAMESPACE;
export const WATCHED_NAMESPACES = [API_GATEWAY_NAMESPACE, LAMBDA_NAMESPACE] as const;

/** HTTP API metrics, dimensions `ApiId` (+ `Stage`, + `Route` with detailed metrics). */
export const API_METRICS = ['Count', '4xx', '5xx', 'Latency', 'IntegrationLatency', 'DataProcessed'] as const;
export type ApiMetricName = (typeof API_METRICS)[number];

/**
 * Published only for functions with provisioned concurrency ("Monitoring concurrency"):
 * executions on provisioned environments (Maximum), invocations they served and those that spilled
 * over to on-demand ones (Sum; the two add up to Invocations), and in-use ÷ allocated (Maximum).
 */
export const PROVISIONED_CONCURRENCY_METRICS = [
  'ProvisionedConcurrentExecutions',
  'ProvisionedConcurrencyInvocations',
  'ProvisionedConcurrencySpilloverInvocations',
  'ProvisionedConcurrencyUtilization',
] as const;

/** Lambda metrics, dimension `FunctionName` (or none: the account's aggregate). */
export const LAMBDA_METRICS = [
  'Invocations',
  'Errors',
  'Throttles',
  'Duration',
  'ConcurrentExecutions',
  'ColdStarts',
  ...PROVISIONED_CONCURRENCY_METRICS,
] as const;
export type LambdaMetricName = (typeof LAMBDA_METRICS)[number];

/** DynamoDB table metrics, dimension `TableName`. */
export const DYNAMODB_METRICS = ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits'] as const;
