/**
 * The config after validation: every default applied, route keys parsed, handler modules located.
 * Everything downstream (runtime, gateway, telemetry, infra) reads this shape, never the raw one.
 */
import type { WatchedNamespace } from '../aws/metrics.ts';
import type { LambdaNodeRuntime } from './lambda-runtime.ts';
import type {
  AlarmConfig,
  Architecture,
  AttributeType,
  AuthorizerConfig,
  CorsConfig,
  DomainConfig,
  HttpMethod,
  TableAccess,
  ThrottleConfig,
} from './types.ts';

export interface ResolvedStage {
  /** `'$default'` or a stage name served under `/{name}`. */
  name: string;
  variables: Record<string, string>;
  throttle?: ThrottleConfig;
}

export interface ResolvedFunction {
  name: string;
  /** As written: `src/functions/orders.handler`. */
  handler: string;
  /** Absolute path of the handler's module file. */
  modulePath: string;
  exportName: string;
  memoryMb: number;
  timeoutSeconds: number;
  reservedConcurrency?: number;
  /** Execution environments kept initialised (Lambda's provisioned concurrency); 0 for none. */
  provisionedConcurrency: number;
  environment: Record<string, string>;
  architecture: Architecture;
  /** The Lambda runtime it deploys on. */
  runtime: LambdaNodeRuntime;
  description?: string;
  /** Declared table access (`functions.NAME.tables`); undefined: every table its environment names, read-write. */
  tables?: Record<string, TableAccess>;
}

export interface LambdaIntegration {
  type: 'lambda';
  functionName: string;
  payloadFormatVersion: '2.0' | '1.0';
}

export interface HttpIntegration {
  type: 'http';
  url: string;
  /** Method sent to the target; undefined means the request's method. */
  method?: HttpMethod;
}

export interface ResolvedRoute {
  /** `$default`, `GET /orders/{id}`, `ANY /legacy/{proxy+}`: exactly as API Gateway spells it. */
  routeKey: string;
  /** `undefined` only for `$default`. */
  method?: HttpMethod | 'ANY';
  /** `undefined` only for `$default`. Never ends in `/` (except the root `/`). */
  path?: string;
  integration: LambdaIntegration | HttpIntegration;
  authorizer?: string;
  scopes: string[];
  throttle?: ThrottleConfig;
  timeoutInMillis: number;
}

export interface ResolvedKey {
  name: string;
  type: AttributeType;
}

export interface ResolvedTable {
  tableName: string;
  partitionKey: ResolvedKey;
  sortKey?: ResolvedKey;
  /** Global secondary indexes, in config order. */
  indexes: ResolvedIndex[];
  retain: boolean;
}

export interface ResolvedIndex {
  indexName: string;
  partitionKey: ResolvedKey;
  sortKey?: ResolvedKey;
  /** DynamoDB's projection: `INCLUDE` copies `nonKeyAttributes` besides the keys. */
  projection: { type: 'ALL' | 'KEYS_ONLY' } | { type: 'INCLUDE'; nonKeyAttributes: string[] };
}

export interface ResolvedAlarm
  extends Required<Omit<AlarmConfig, 'function' | 'description' | 'namespace' | 'dimensions'>> {
  name: string;
  /** `AWS/ApiGateway`, `AWS/Lambda`, or a custom (EMF) namespace. */
  namespace: WatchedNamespace | (string & {});
  /** A custom namespace's dimension set (empty: none). */
  dimensions: Record<string, string>;
  function?: string;
  description?: string;
}

export interface ResolvedBudget {
  monthlyUsd: number;
  alerts: { percent: number; on: 'actual' | 'forecasted' }[];
  email?: string;
}

export interface ResolvedConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Its folder: handlers resolve from here, `.gantry/` lives here. */
  dir: string;
  name: string;
  description?: string;
  /** Stable 10-character lower-case id derived from `name`, like an HTTP API's `apiId`. */
  apiId: string;
  account: string;
  stage: ResolvedStage;
  cors?: Required<Omit<CorsConfig, 'maxAge'>> & { maxAge?: number };
  authorizers: Record<string, AuthorizerConfig>;
  functions: Record<string, ResolvedFunction>;
  routes: ResolvedRoute[];
  tables: Record<string, ResolvedTable>;
  alarms: Record<string, ResolvedAlarm>;
  budget: ResolvedBudget;
  regions: ResolvedRegions;
  federation?: ResolvedFederation;
  /** Chaos experiments by name, durations in milliseconds. */
  experiments: Record<string, ResolvedExperiment>;
  domain?: DomainConfig;
  tags: Record<string, string>;
  local: {
    accountConcurrency: number;
    idleEnvironmentSeconds: number;
    /** undefined: each function's reserved concurrency minus its provisioned concurrency. */
    prestartedRuntimes?: number;
    /** undefined: AWS's quota for the region. */
    accountThrottle?: ThrottleConfig | false;
    healthCheckIntervalSeconds: number;
    replicationLagMs: number;
  };
}

export interface ResolvedRegions {
  primary: string;
  secondary?: string;
  routing: {
    policy: 'failover' | 'weighted' | 'latency';
    weights: Record<string, number>;
    /** Latency routing in `gantry dev`: `local.regionLatencyMs`, every region present. */
    latencyMs: Record<string, number>;
  };
  healthCheck: { path: string; intervalSeconds: 10 | 30; failureThreshold: number };
}

export interface ResolvedFederationEndpoint {
  id: string;
  url: string;
  weight: number;
  priority: number;
  location?: string;
}

export interface ResolvedFederation {
  /** By priority, lowest first (ties in the order written). */
  endpoints: ResolvedFederationEndpoint[];
  steering: 'failover' | 'weighted' | 'latency';
  healthCheck: { path: string; intervalSeconds: number; timeoutSeconds: number; failureThreshold: number };
  fallback?: string;
  hostname?: string;
  ttlSeconds: number;
}

export interface ResolvedExperimentAction {
  /** The action's name in the experiment. */
  name: string;
  action: string;
  target: string;
  parameters: Record<string, string | number | boolean>;
  percent?: number;
  startAfterMs: number;
  durationMs: number;
}

export interface ResolvedExperiment {
  name: string;
  description?: string;
  hypothesis: Record<string, string[]>;
  load: {
    rate?: number;
    vus: number;
    steps: Record<string, unknown>[];
    token?: { authorizer?: string; scopes?: string[] };
  };
  actions: ResolvedExperimentAction[];
  steadyStateMs: number;
  recoveryMs: number;
  /** Alarm names of the config. */
  stopConditions: string[];
}
