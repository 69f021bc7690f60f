/**
 * What a user writes in a scenario file (TypeScript or JSON). The option names are k6's, so a k6 user
 * reads them without a manual: `vus` + `duration`, `stages`, `scenarios` with executors, `thresholds`.
 */

/** k6 duration: `'30s'`, `'1m30s'`, `'500ms'`, or a number of seconds. */
export type Duration = string | number;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A declared check. Every field given must hold for the check to pass. */
export interface CheckSpec {
  /** The response status, or one of several. */
  status?: number | number[];
  /** The response body contains this text. */
  bodyIncludes?: string;
  /** The response body matches this regular expression (JavaScript syntax, no slashes). */
  bodyMatches?: string;
  /** The request took less than this many milliseconds (k6's `r.timings.duration < N`). */
  maxDuration?: number;
}

export interface RequestStep {
  /** @default 'GET' */
  method?: HttpMethod;
  /**
   * Path below the target (`/orders`); the target's stage prefix is added. `{{vu}}` and `{{iter}}`
   * become k6's `__VU` and `__ITER`.
   */
  path?: string;
  /** An absolute URL instead of `path`, for a request to another host. */
  url?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else is sent as JSON (with `content-type: application/json`). */
  body?: unknown;
  /** Extra tags on this request's samples, usable in thresholds: `http_req_duration{kind:write}`. */
  tags?: Record<string, string>;
  /** The `name` tag. @default the path as written (templates unexpanded, so one name per endpoint) */
  name?: string;
  /** Named checks, counted in the `checks` metric: `{ 'status is 200': { status: 200 } }`. */
  checks?: Record<string, CheckSpec>;
  /**
   * Statuses that are not failures for `http_req_failed` (k6's `http.expectedStatuses`).
   * @default [{ min: 200, max: 399 }]
   */
  expectedStatuses?: (number | { min: number; max: number })[];
  /** @default '60s' (k6's request timeout) */
  timeout?: Duration;
}

/** k6's `sleep(seconds)`; `[min, max]` sleeps a uniformly random time in that range. */
export interface SleepStep {
  sleep: number | [number, number];
}

export type Step = RequestStep | SleepStep;

export interface Stage {
  duration: Duration;
  target: number;
}

interface ScenarioBase {
  /** @default '0s' */
  startTime?: Duration;
  /** Time left to in-flight iterations when the scenario ends. @default '30s' */
  gracefulStop?: Duration;
  /** Tags added to every sample of this scenario. */
  tags?: Record<string, string>;
  /** What one iteration does in this scenario (k6's `exec`). @default the file's top-level `steps` */
  steps?: Step[];
}

export interface ConstantVusScenario extends ScenarioBase {
  executor: 'constant-vus';
  /** @default 1 */
  vus?: number;
  duration: Duration;
}

export interface RampingVusScenario extends ScenarioBase {
  executor: 'ramping-vus';
  /** @default 1 */
  startVUs?: number;
  stages: Stage[];
  /** Time left to an iteration whose VU is ramped down. @default '30s' */
  gracefulRampDown?: Duration;
}

interface ArrivalRateBase extends ScenarioBase {
  /** @default '1s' */
  timeUnit?: Duration;
  preAllocatedVUs: number;
  /** @default preAllocatedVUs */
  maxVUs?: number;
}

export interface ConstantArrivalRateScenario extends ArrivalRateBase {
  executor: 'constant-arrival-rate';
  /** Iterations started per `timeUnit`, whatever the latency (open model). */
  rate: number;
  duration: Duration;
}

export interface RampingArrivalRateScenario extends ArrivalRateBase {
  executor: 'ramping-arrival-rate';
  /** @default 0 */
  startRate?: number;
  stages: Stage[];
}

export type ScenarioOptions =
  | ConstantVusScenario
  | RampingVusScenario
  | ConstantArrivalRateScenario
  | RampingArrivalRateScenario;

export interface ThresholdObject {
  threshold: string;
  /** Stop the whole test as soon as this threshold fails. @default false */
  abortOnFail?: boolean;
  /** Do not evaluate for abortOnFail before this much time has passed. @default '0s' */
  delayAbortEval?: Duration;
}

export interface LoadOptions {
  vus?: number;
  duration?: Duration;
  stages?: Stage[];
  scenarios?: Record<string, ScenarioOptions>;
  /** `{ http_req_duration: ['p(95)<200'], http_req_failed: ['rate<0.01'] }` */
  thresholds?: Record<string, (string | ThresholdObject)[] | string>;
  /** @default ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'] */
  summaryTrendStats?: string[];
  /** @default 'gantry-load/0.1' */
  userAgent?: string;
}

/** A scenario file: `export default { options, steps }`, or `export const options` beside `export default { steps }`. */
export interface LoadScenario {
  options?: LoadOptions;
  /** What one iteration does (k6's default function). */
  steps?: Step[];
}
