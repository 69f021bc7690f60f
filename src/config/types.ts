/**
 * The shape a user writes in `api.config.ts`. Names follow API Gateway / Lambda / the CDK
 * (`payloadFormatVersion`, `rateLimit`, `burstLimit`, `reservedConcurrency`) so that moving between
 * gantry and the CDK meets the same words. Every optional field documents its default.
 */
import type { WatchedNamespace } from '../aws/metrics.ts';
import type { TableAccess } from '../aws/table-access.ts';
import type { LambdaNodeRuntime } from './lambda-runtime.ts';

export type * from './chaos-types.ts';
export type * from './federation-types.ts';
export type * from './regions-types.ts';
export type { TableAccess };

import type { ChaosConfig } from './chaos-types.ts';
import type { FederationConfig } from './federation-types.ts';
import type { RegionsConfig } from './regions-types.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Token-bucket throttling, as API Gateway's `ThrottlingRateLimit` / `ThrottlingBurstLimit`. */
export interface ThrottleConfig {
  /** Steady-state requests per second. */
  rateLimit: number;
  /** Bucket size: requests that may arrive at once. */
  burstLimit: number;
}

export interface StageConfig {
  /**
   * `'$default'` serves the API at the root; any other name serves it under `/{name}/...`.
   * @default '$default'
   */
  name?: string;
  /** Stage variables, passed to integrations as `stageVariables`. @default none */
  variables?: Record<string, string>;
  /** Default route throttling of the stage. @default none (only the account limit applies) */
  throttle?: ThrottleConfig;
}

export interface CorsConfig {
  /** Exact origins, `*`, or the wildcard prefixes `https://*` / `http://*`. */
  allowOrigins: string[];
  /** @default ['*'] is not assumed: methods not listed are not allowed. @default [] */
  allowMethods?: string[];
  /** Request headers allowed on the actual request. @default [] */
  allowHeaders?: string[];
  /** Response headers exposed to the browser. @default [] */
  exposeHeaders?: string[];
  /** Preflight cache time in seconds. @default none (header not sent) */
  maxAge?: number;
  /** `Access-Control-Allow-Credentials: true`; not allowed with `*` origins. @default false */
  allowCredentials?: boolean;
}

export interface JwtAuthorizerConfig {
  type: 'jwt';
  /** The token issuer (`iss`); its OIDC discovery document gives the JWKS. */
  issuer: string;
  /** Accepted `aud` / `client_id` values. */
  audience: string[];
  /**
   * Where the token is: `$request.header.NAME` or `$request.querystring.NAME` (AWS reads a JWT from
   * nowhere else). @default '$request.header.Authorization'
   */
  identitySource?: string;
  /**
   * `gantry deploy` creates an Amazon Cognito user pool and app client, and the deployed authorizer
   * trusts them instead of `issuer` / `audience`. The pool exists only after a deploy, so `gantry dev`
   * stands in for it with its local issuer (as with `localIssuer: true`): `gantry token` mints
   * Cognito-shaped access tokens (`token_use`, `client_id`, `scope`, `username`) with `iss` set to
   * `issuer` and `client_id` to the first `audience`.
   * @default false
   */
  cognitoUserPool?: boolean;
  /**
   * `gantry dev` only: the local issuer stands in for `issuer`. Tokens come from `gantry token` (signed
   * with a key kept under `.gantry/`, `iss` = `issuer`, `aud` = the first `audience`) and are verified
   * with that key; the real issuer is never contacted. Without it `gantry dev` fetches the issuer's
   * OIDC discovery document and JWKS, as API Gateway does. Ignored by `gantry deploy`.
   * @default true with `cognitoUserPool`, else false
   */
  localIssuer?: boolean;
}

export interface LambdaAuthorizerConfig {
  type: 'lambda';
  /** Name of a function in `functions`. */
  function: string;
  /**
   * What must be present (else 401 without invoking) and keys the result cache: `$request.header.NAME`,
   * `$request.querystring.NAME`, `$context.NAME`, `$stageVariables.NAME`. `[]` only without caching.
   * @default ['$request.header.Authorization']
   */
  identitySource?: string[];
  /** @default 0 (no caching) */
  resultTtlSeconds?: number;
  /** @default true */
  enableSimpleResponses?: boolean;
  /** @default '2.0' */
  payloadFormatVersion?: '2.0' | '1.0';
}

export type AuthorizerConfig = JwtAuthorizerConfig | LambdaAuthorizerConfig;

export type Architecture = 'arm64' | 'x86_64';

export interface FunctionConfig {
  /** `path/to/module.exportName`, resolved from the config's folder; `.ts`, `.mts`, `.js` or `.mjs`. */
  handler: string;
  /** @default 128 (Lambda allows 128 to 10240) */
  memoryMb?: number;
  /** @default 3 (Lambda allows 1 to 900, whole seconds) */
  timeoutSeconds?: number;
  /**
   * Caps the function's concurrent executions and reserves them from the account's (which keeps 100,
   * or all of a smaller limit, unreserved). @default none (the account limit applies)
   */
  reservedConcurrency?: number;
  /**
   * Lambda's provisioned concurrency: this many execution environments initialised before any request
   * (`gantry dev` starts them at start and after each reload; `gantry deploy` configures it on the
   * `live` alias the routes invoke) and kept warm. Invocations beyond them spill over to on-demand
   * environments, with cold starts. Billed while configured. At most `reservedConcurrency` when both
   * are set. @default none
   */
  provisionedConcurrency?: number;
  /**
   * Lambda's rules: names of two or more letters, digits or "_" starting with a letter, none of the
   * variables its runtime sets itself (AWS_REGION, _HANDLER, …), 4 KB in all. @default {}
   */
  environment?: Record<string, string>;
  /** @default 'arm64' */
  architecture?: Architecture;
  /**
   * The Lambda runtime `gantry deploy` creates the function on. `gantry dev` runs handlers on the
   * local Node.js, and says loudly at startup when its major differs, naming what behaves differently.
   * @default 'nodejs24.x'
   */
  runtime?: LambdaNodeRuntime;
  /** @default none */
  description?: string;
  /**
   * Least privilege: the tables this function may use and how, `{ orders: 'read' }`. The deployed role
   * grants exactly that (`read`: GetItem, BatchGetItem, Query, Scan, ConditionCheckItem, DescribeTable;
   * `write`: PutItem, UpdateItem, DeleteItem, BatchWriteItem, DescribeTable; `describe`: DescribeTable
   * only, for a health function checking its region's replica); under `gantry dev` any
   * other call to a table fails with DynamoDB's AccessDeniedException, as in AWS.
   * @default every table its `environment` names, read-write
   */
  tables?: Record<string, TableAccess>;
}

export interface LambdaRouteConfig {
  /** Name of a function in `functions`. */
  function: string;
  /** @default '2.0' */
  payloadFormatVersion?: '2.0' | '1.0';
  /** Name of an authorizer in `authorizers`. @default none */
  authorizer?: string;
  /** Authorization scopes the token must carry, one at least; only with a JWT authorizer (AWS refuses them elsewhere). @default [] */
  scopes?: string[];
  /** Per-route override of the stage throttle. @default the stage's */
  throttle?: ThrottleConfig;
  /** Integration timeout, 50 to 30000 ms. @default 30000 */
  timeoutInMillis?: number;
}

export interface HttpRouteConfig {
  /** Target URL; `{proxy}` and `{name}` are replaced by the route's path variables. */
  http: string;
  /** Method sent to the target. @default the request's method */
  method?: HttpMethod;
  /** @default none */
  authorizer?: string;
  /** @default [] */
  scopes?: string[];
  /** @default the stage's */
  throttle?: ThrottleConfig;
  /** @default 30000 */
  timeoutInMillis?: number;
}

/** A function name (shorthand for `{ function }`), a Lambda integration or an HTTP proxy integration. */
export type RouteConfig = string | LambdaRouteConfig | HttpRouteConfig;

export type AttributeType = 'S' | 'N' | 'B';
export interface KeyAttribute {
  name: string;
  /** @default 'S' */
  type?: AttributeType;
}

export interface TableConfig {
  /** Attribute name (type `S`) or `{ name, type }`. */
  partitionKey: string | KeyAttribute;
  /** @default none */
  sortKey?: string | KeyAttribute;
  /** Global secondary indexes, by index name (as `Query({ IndexName })` names them). @default {} */
  indexes?: Record<string, IndexConfig>;
  /** Keep the table when the stack is destroyed. @default true */
  retain?: boolean;
}

/** A global secondary index: another key to query the table's items by. */
export interface IndexConfig {
  /** Attribute name (type `S`) or `{ name, type }`. */
  partitionKey: string | KeyAttribute;
  /** @default none */
  sortKey?: string | KeyAttribute;
  /**
   * What the index copies of each item: `'all'` its attributes, `'keys'` only the table's and the
   * index's keys, or the keys plus the attributes listed. @default 'all'
   */
  projection?: 'all' | 'keys' | string[];
}

export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

export interface AlarmConfig {
  /** @default the alarm's key (so `'5xx': {...}` watches the `5xx` metric) */
  metric?: string;
  /**
   * `AWS/ApiGateway`, `AWS/Lambda`, or a custom namespace your functions publish to in CloudWatch
   * Embedded Metric Format (Powertools Metrics' `namespace`, e.g. `'Orders'`).
   * @default 'AWS/ApiGateway' ('AWS/Lambda' with `function`)
   */
  namespace?: WatchedNamespace | (string & {});
  /**
   * For a custom namespace: the exact dimension set the metric is published with, as CloudWatch
   * matches it (Powertools adds `service`: `{ service: 'orders' }`).
   * @default none (the metric published without dimensions)
   */
  dimensions?: Record<string, string>;
  /** `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount` or a percentile such as `p99`. @default 'Sum' */
  statistic?: string;
  threshold: number;
  /** @default 'GreaterThanThreshold' */
  comparison?: ComparisonOperator;
  /** Evaluation periods. @default 1 */
  periods?: number;
  /** @default equal to `periods` */
  datapointsToAlarm?: number;
  /** @default 60 */
  periodSeconds?: number;
  /**
   * How minutes without a datapoint count. API Gateway and Lambda publish nothing in a minute without
   * requests, so for counts a missing datapoint is a zero: `gantry deploy` turns `missing` into
   * `notBreaching` on `Sum` and `SampleCount` alarms of `AWS/` namespaces (else they would mail OK
   * after every idle spell); `breaching` and `ignore` are deployed as written.
   * @default 'missing' (CloudWatch's default)
   */
  treatMissingData?: TreatMissingData;
  /** For `AWS/Lambda` metrics: the function watched. @default none (all functions) */
  function?: string;
  /** @default none */
  description?: string;
}

export interface BudgetAlert {
  percent: number;
  /** @default 'actual' */
  on?: 'actual' | 'forecasted';
}

export interface BudgetConfig {
  /** @default 20 */
  monthlyUsd?: number;
  /** @default [{ percent: 50, on: 'actual' }] */
  alerts?: BudgetAlert[];
  /** Where AWS Budgets and alarm notifications go. @default none */
  email?: string;
}

export interface DomainConfig {
  /** e.g. `api.example.com` */
  name: string;
  hostedZoneId: string;
  /** The hosted zone's domain, e.g. `example.com`. @default the parent of `name` */
  hostedZoneName?: string;
  /** @default a certificate created per region, validated through DNS */
  certificateArn?: string;
  /**
   * Put Amazon CloudFront with an AWS WAF web ACL (AWS managed common rule set and a rate-based
   * rule) in front of the regional APIs, which then answer on `origin.{name}`. `wafRateLimit` is
   * the requests per 5 minutes one IP address may send. Deploy only.
   * @default false (no CloudFront; `wafRateLimit` defaults to 2000)
   */
  cloudFront?: boolean | { wafRateLimit?: number };
  /**
   * The deployment stage (`gantry deploy --stage NAME`) served at `name` itself. Every other stage is
   * served at `{stage}.{name}` (e.g. `dev.api.example.com`), so two stages never claim one API Gateway
   * domain or one Route 53 record. Deploy only.
   * @default none: a deploy without `--stage` is served at `name`, every staged deploy at `{stage}.{name}`
   */
  stage?: string;
}

export interface LocalConfig {
  /** Concurrent executions allowed across all functions, like Lambda's regional limit. @default 1000 */
  accountConcurrency?: number;
  /** Idle execution environments are reaped after this many seconds. @default 300 */
  idleEnvironmentSeconds?: number;
  /**
   * Per function, sandboxes whose Node.js runtime is started ahead of cold starts (a worker thread with
   * gantry's Lambda runtime and no function code), as Lambda keeps capacity ready to place a new
   * execution environment on: a cold start then runs only the function's init, from its invocation's
   * arrival. Each sandbox serves one environment and ends with it; they are refilled while no
   * environment of the function is initialising. Never more than the function's reserved concurrency
   * minus its provisioned concurrency; `0` turns them off. Each holds ~10-17 MB and ~45 ms of CPU to
   * start, which `gantry dev`'s start waits for.
   * @default the function's reserved concurrency (at most 50) minus its provisioned concurrency (0 without reserved concurrency), and at most 100 across all functions, each function's share in proportion (rounded down); one reserve per function for the whole `gantry dev`, both regions included
   */
  prestartedRuntimes?: number;
  /**
   * API Gateway's per-region account quota, applied before stage and route throttles; `false` turns it
   * off (benchmarks of the emulator itself).
   * @default { rateLimit: 10000, burstLimit: 5000 } (2,500 / 1,250 in the regions where AWS documents that)
   */
  accountThrottle?: ThrottleConfig | false;
  /**
   * Two regions: seconds between health checks of each regional endpoint, in place of
   * `regions.healthCheck.intervalSeconds` (10 or 30 in AWS), so a local failover takes
   * `failureThreshold` seconds instead of 90. Reports still quote what AWS's interval gives.
   * @default 1
   */
  healthCheckIntervalSeconds?: number;
  /**
   * Two regions: how long a write takes to reach the other region's table. AWS documents "typically
   * within a second" and gives no SLA.
   * @default 500
   */
  replicationLagMs?: number;
  /**
   * Two regions with `regions.routing.policy: 'latency'`: the round trip from the API's clients to
   * each region, in ms, as Route 53 measures it from the client's network. Both local regions are
   * the same distance away, so this stands in for where the clients are (e.g.
   * `{ 'us-east-1': 80, 'us-west-2': 20 }` rehearses a user on the west coast). The healthy region
   * with the lowest answers; a tie goes to the primary.
   * @default 0 for each region: the primary answers while healthy
   */
  regionLatencyMs?: Record<string, number>;
}

export interface ApiConfig {
  /** The API's name; also seeds its stable local API id. */
  name: string;
  /** @default none */
  description?: string;
  /** 12-digit AWS account id used in ARNs. @default '123456789012' locally, the environment's in AWS */
  account?: string;
  /** `'$default'`, a stage name, or a stage object. @default '$default' */
  stage?: string | StageConfig;
  /** @default none (no CORS headers, no preflight answers) */
  cors?: CorsConfig;
  /** @default {} */
  authorizers?: Record<string, AuthorizerConfig>;
  functions: Record<string, FunctionConfig>;
  routes: Record<string, RouteConfig>;
  /** @default {} */
  tables?: Record<string, TableConfig>;
  /** @default { '5xx': { threshold: 10, periods: 2, periodSeconds: 60 } } */
  alarms?: Record<string, AlarmConfig>;
  /** @default { monthlyUsd: 20, alerts: [{ percent: 50, on: 'actual' }] } */
  budget?: BudgetConfig;
  /** @default { primary: 'us-east-1' } */
  regions?: RegionsConfig;
  /** Custom domain for the deployed API (CDK only). @default none */
  domain?: DomainConfig;
  /** Tags on every deployed resource. @default {} */
  tags?: Record<string, string>;
  /** One entry point across this API's deployments on several clouds. @default none */
  federation?: FederationConfig;
  /** Chaos experiments (`gantry chaos run`), also synthesized as AWS FIS experiment templates. @default none */
  chaos?: ChaosConfig;
  /** Settings of `gantry dev` only. */
  local?: LocalConfig;
}
