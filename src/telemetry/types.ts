/**
 * The shapes telemetry receives and answers with. Inputs are structural copies of the runtime's
 * types (telemetry may import config only), so `observer.onInvocation = (r) => telemetry.recordInvocation(r)`
 * type-checks without telemetry knowing the runtime.
 */

import type { DYNAMODB_NAMESPACE, WatchedNamespace } from '../aws/metrics.ts';

/** AWS's namespaces gantry publishes, its private usage namespace, and custom ones (EMF: any other name). */
export type Namespace = WatchedNamespace | typeof DYNAMODB_NAMESPACE | 'Gantry/Usage' | (string & {});

/** CloudWatch dimensions as a name → value map (`{ ApiId: 'abc', Stage: '$default' }`). */
export type Dimensions = Readonly<Record<string, string>>;

/** `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount` or a percentile such as `p95`, `p99.9`. */
export type Statistic = 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount' | `p${number}`;

export type InvocationOutcomeStatus =
  | 'success'
  | 'function-error'
  | 'timeout'
  | 'throttled'
  | 'runtime-crash'
  | 'response-too-large'
  | 'init-error';

/** What telemetry needs of the runtime's InvocationReport (same field names and types). */
export interface InvocationSample {
  functionName: string;
  requestId: string;
  startTime: number;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  coldStart: boolean;
  /** Absent: on-demand. */
  initializationType?: 'on-demand' | 'provisioned-concurrency';
  environmentId: string;
  outcome: InvocationOutcomeStatus;
}

export type ThrottleReason = 'reserved-concurrency' | 'account-concurrency';

/** What telemetry needs of the runtime's FunctionLogEvent (same field names and types). */
export interface FunctionLogSample {
  functionName: string;
  logGroupName: string;
  logStreamName: string;
  timestamp: number;
  readonly message: string;
  requestId?: string;
  kind: 'start' | 'end' | 'report' | 'app' | 'timeout' | 'error';
  /** The UTF-8 size of `message`, when the runtime knows it without building the text. */
  readonly messageBytes?: number;
}

/** One DynamoDB request's consumed capacity, for `AWS/DynamoDB` metrics and the cost model. */
export interface TableRequestSample {
  tableName: string;
  /** `GetItem`, `PutItem`, `Query`… */
  operation: string;
  readUnits: number;
  writeUnits: number;
}

/** A GetMetricData-like query for one metric and one statistic. */
export interface MetricQuery {
  namespace: Namespace;
  metricName: string;
  /** Exactly the dimension set of the series (CloudWatch does not aggregate across dimension sets). */
  dimensions?: Dimensions;
  statistic: Statistic;
  /** Seconds: 1, 5, 10, 30, or a multiple of 60 up to 86400. */
  period: number;
  /** Epoch ms, inclusive; rounded down to a period boundary. */
  startTime: number;
  /** Epoch ms, exclusive. */
  endTime: number;
}

/** Datapoints for periods that had data, oldest first; a period without samples has no datapoint. */
export interface MetricDataResult {
  label: string;
  /** Period start, epoch ms. */
  timestamps: number[];
  values: number[];
}

export interface MetricIdentity {
  namespace: Namespace;
  metricName: string;
  dimensions: Dimensions;
}
