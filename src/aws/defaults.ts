/**
 * The value every optional config field takes when it is left out: the one source for the schema's
 * resolution, the documented `@default`s (a test reads types.ts against this file) and the CDK app.
 * Where AWS has a default of its own, gantry's is AWS's; where gantry differs, the line says why.
 */
import { HTTP_API_INTEGRATION_TIMEOUT_MS, LAMBDA_ACCOUNT_CONCURRENCY } from './limits.ts';

/** The stage API Gateway creates with an HTTP API, served at the root. */
export const DEFAULT_STAGE_NAME = '$default';
/** The account id in local ARNs (AWS's documentation example account); in AWS, the environment's. */
export const DEFAULT_ACCOUNT = '123456789012';
export const DEFAULT_REGION = 'us-east-1';

export const FUNCTION_DEFAULTS = {
  /** Lambda's own default. */
  memoryMb: 128,
  /** Lambda's own default. */
  timeoutSeconds: 3,
  /** Lambda's default is x86_64; gantry picks Graviton, ~20 % cheaper per GB-second for the same code. */
  architecture: 'arm64',
} as const;

export const ROUTE_DEFAULTS = {
  /** HTTP APIs' default payload format for Lambda integrations created by the console and the CDK. */
  payloadFormatVersion: '2.0',
  /** API Gateway's default (and maximum) integration timeout for HTTP APIs. */
  timeoutInMillis: HTTP_API_INTEGRATION_TIMEOUT_MS.max,
} as const;

export const ALARM_DEFAULTS = {
  namespace: 'AWS/ApiGateway',
  statistic: 'Sum',
  comparison: 'GreaterThanThreshold',
  periods: 1,
  periodSeconds: 60,
  treatMissingData: 'missing',
} as const;

/** The alarms an API gets when its config has no `alarms`: server errors, as a team would first want. */
export const DEFAULT_ALARMS: Readonly<Record<string, { threshold: number; periods: number; periodSeconds: number }>> = {
  '5xx': { threshold: 10, periods: 2, periodSeconds: 60 },
};

export const BUDGET_DEFAULTS = {
  monthlyUsd: 20,
  alerts: [{ percent: 50, on: 'actual' }],
  alertOn: 'actual',
} as const;

export const TABLE_DEFAULTS = {
  keyType: 'S',
  retain: true,
} as const;

export const LOCAL_DEFAULTS = {
  accountConcurrency: LAMBDA_ACCOUNT_CONCURRENCY,
  idleEnvironmentSeconds: 300,
  /** gantry's: Route 53's fastest interval is 10 s; a local drill should fail over in seconds. */
  healthCheckIntervalSeconds: 1,
  /** gantry's: AWS documents global-table replication as "typically within a second". */
  replicationLagMs: 500,
} as const;

/** Route 53's own defaults (API and CDK) for the records and health checks between two regions. */
export const REGION_ROUTING_DEFAULTS = {
  policy: 'failover',
  /** gantry's: the example's health route; Route 53 itself probes `/` unless told. */
  healthCheckPath: '/health',
  healthCheckIntervalSeconds: 30,
  healthCheckFailureThreshold: 3,
  /** gantry's: equal shares, as Route 53 gives all-zero weights. */
  weight: 1,
} as const;
