/**
 * A validated scenario with every default applied and every duration in milliseconds. It is plain data:
 * it crosses into the load-generating worker threads by structured clone.
 */
import type { ParsedThreshold } from './thresholds/parse.ts';

export interface PlannedStage {
  durationMs: number;
  target: number;
}

export type ExecutorPlan =
  | { type: 'constant-vus'; vus: number; durationMs: number }
  | { type: 'ramping-vus'; startVUs: number; stages: PlannedStage[]; gracefulRampDownMs: number }
  | {
      type: 'constant-arrival-rate';
      rate: number;
      timeUnitMs: number;
      durationMs: number;
      preAllocatedVUs: number;
      maxVUs: number;
    }
  | {
      type: 'ramping-arrival-rate';
      startRate: number;
      timeUnitMs: number;
      stages: PlannedStage[];
      preAllocatedVUs: number;
      maxVUs: number;
    };

export interface PlannedCheck {
  name: string;
  status?: number[];
  bodyIncludes?: string;
  bodyMatches?: string;
  maxDurationMs?: number;
}

export interface PlannedRequest {
  kind: 'request';
  /** Index among the scenario's request steps: the `step` of a series key. */
  index: number;
  method: string;
  /** Absolute URL template (target + path); `{{vu}}` and `{{iter}}` are expanded per request. */
  url: string;
  /** The path as written, when the step gave one (the k6 export puts it after `BASE_URL`). */
  path?: string;
  headers: Record<string, string>;
  body?: string;
  /** Tags of every sample: `name`, `method`, `url`, the scenario's and the step's own. */
  tags: Record<string, string>;
  /** The step's own tags, with `name` when the step set one. */
  stepTags: Record<string, string>;
  checks: PlannedCheck[];
  /** Inclusive ranges of statuses that are not failures. */
  expectedStatuses: [number, number][];
  timeoutMs: number;
}

export interface PlannedSleep {
  kind: 'sleep';
  minMs: number;
  maxMs: number;
}

export type PlannedStep = PlannedRequest | PlannedSleep;

export interface PlannedScenario {
  name: string;
  index: number;
  executor: ExecutorPlan;
  startTimeMs: number;
  gracefulStopMs: number;
  steps: PlannedStep[];
  tags: Record<string, string>;
  /** The scenario declared steps of its own (k6 export: a function named by `exec`). */
  ownSteps: boolean;
}

export interface RunPlan {
  scenarios: PlannedScenario[];
  thresholds: ParsedThreshold[];
  summaryTrendStats: string[];
  userAgent: string;
  /** The longest scenario's start + executor time, without graceful stops. */
  durationMs: number;
}

/** The request steps of a scenario, in order. */
export function requestSteps(scenario: PlannedScenario): PlannedRequest[] {
  return scenario.steps.filter((s): s is PlannedRequest => s.kind === 'request');
}

/** How long an executor schedules work (graceful stops excluded). */
export function executorDurationMs(executor: ExecutorPlan): number {
  switch (executor.type) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return executor.durationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return executor.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
  }
}

/** The most VUs an executor may ever run at once. */
export function executorMaxVUs(executor: ExecutorPlan): number {
  switch (executor.type) {
    case 'constant-vus':
      return executor.vus;
    case 'ramping-vus':
      return Math.max(executor.startVUs, ...executor.stages.map((s) => s.target));
    default:
      return executor.maxVUs;
  }
}
