/** `chaos` in api.config.ts: experiments as code (`gantry chaos run`), in FIS's vocabulary. */

/**
 * One action of a chaos experiment: an AWS FIS action id (`aws:lambda:invocation-add-delay`…) or one of
 * gantry's (`gantry chaos actions` lists them), with FIS's parameter names.
 */
export interface ExperimentActionConfig {
  /** The action id, as FIS names it. */
  action: string;
  /** A function name, a route key (`GET /orders`) or a table name, as the action targets. */
  target: string;
  /** The action's parameters (`startupDelayMilliseconds`, `preventExecution`…). @default the action's defaults */
  parameters?: Record<string, string | number | boolean>;
  /** Share of invocations (or requests) hit, 1 to 100: the action's percentage parameter. @default 100 */
  percent?: number;
  /** When the action starts, counted from the end of the steady-state phase: `0s`, `10s`, `PT10S`. @default '0s' */
  startAfter?: string;
  /** How long the fault lasts: `20s`, `PT1M`. */
  duration: string;
}

/** The load an experiment runs throughout, in `gantry load`'s (k6's) words. */
export interface ExperimentLoadConfig {
  /** Iterations started per second whatever the latency (k6's constant-arrival-rate). @default none: `vus` loop */
  rate?: number;
  /** Virtual users looping over `steps` (constant-vus), or the VUs pre-allocated for `rate`. @default 5 */
  vus?: number;
  /** What one iteration does: `gantry load` request and sleep steps, e.g. `[{ method: 'GET', path: '/orders' }]`. */
  steps: Record<string, unknown>[];
  /**
   * Requests carry `authorization: Bearer …`, a token of gantry dev's local issuer with these scopes
   * (what `gantry token` mints), for routes behind a JWT authorizer. @default none
   */
  token?: { authorizer?: string; scopes?: string[] };
}

/**
 * A chaos experiment (`gantry chaos run NAME`): a steady-state hypothesis judged in every phase, load
 * throughout, faults injected and rolled back, and stop conditions on the config's alarms. Experiments
 * whose actions AWS FIS supports are also synthesized as `AWS::FIS::ExperimentTemplate`s.
 */
export interface ExperimentConfig {
  /** @default none */
  description?: string;
  /**
   * What must hold in every phase, in k6 threshold syntax: `{ http_req_failed: ['rate<0.05'],
   * http_req_duration: ['p(95)<300'] }`.
   */
  hypothesis: Record<string, string[]>;
  load: ExperimentLoadConfig;
  /** The faults, by a name of your choice. */
  actions: Record<string, ExperimentActionConfig>;
  /** How long the steady state is measured before the first fault. @default '10s' */
  steadyState?: string;
  /** How long recovery is measured after the roll back. @default '10s' */
  recovery?: string;
  /** Alarms of this config (`alarms`) whose ALARM state stops the experiment and removes the faults it injected. @default [] */
  stopConditions?: string[];
}

export interface ChaosConfig {
  /** @default {} */
  experiments?: Record<string, ExperimentConfig>;
}
