/**
 * A fault as callers ask for it, as lists, the console and the logs show it, and the questions the
 * gateway, runtime and store ask while faults concern them (their slots).
 */
import type { ActionId, ActionSpec, ParameterValues } from './actions.ts';
import type { InvocationAnswer, RouteAnswer, StoreAnswer } from './answers.ts';

/** What a caller asks for; validated by inject(). */
export interface FaultRequest {
  action: string;
  /** A function name, a route key (`GET /orders`) or a table name, as the action targets. */
  target: string;
  /** `60s`, `2m`, `PT1M`. @default '60s' */
  duration?: string | number;
  /** The action's parameters (FIS's names). */
  parameters?: Record<string, unknown>;
  /** Shortcut for the action's percentage parameter (`invocationPercentage`, `requestPercentage`). */
  percent?: number | string;
  /** Makes which invocations are hit reproducible. @default a random seed, reported with the fault */
  seed?: number;
  /** Who injected it (an experiment's name), shown in lists and logs. */
  source?: string;
  /**
   * A two-region gantry dev: the region whose function, route or table it hits (regional-faults.ts).
   * An FIS experiment runs in one Region and targets that Region's resources. @default the primary
   */
  region?: string;
}

/** A fault as lists, the console and the logs show it. */
export interface Fault {
  id: string;
  action: ActionId;
  targetKind: ActionSpec['targetKind'];
  target: string;
  parameters: ParameterValues;
  seed: number;
  durationMs: number;
  /** Epoch ms. */
  startedAt: number;
  endsAt: number;
  state: 'active' | 'ended';
  endedAt?: number;
  endReason?: 'expired' | 'stopped';
  source?: string;
  /** The region whose function, route or table it hits (a two-region gantry dev; not for a region outage). */
  region?: string;
  /** Invocations (or requests) this fault was asked about, and how many it hit. */
  seen: number;
  hits: number;
}

export type FaultEvent = { type: 'started' | 'ended'; fault: Fault };

/** Something with a settable fault answerer: a Runtime, a Gateway, a Store. */
export interface FaultSlot<T> {
  faults: T | undefined;
}

export interface RuntimeAnswers {
  invocation(functionName: string): InvocationAnswer | undefined;
  concurrencyLimit(functionName: string): number | undefined;
}
export interface GatewayAnswers {
  route(routeKey: string): RouteAnswer | undefined;
}
export interface StoreAnswers {
  request(tableNames: readonly string[], operation: string): StoreAnswer | undefined;
}

export interface FaultSlots {
  runtime?: FaultSlot<RuntimeAnswers>;
  gateway?: FaultSlot<GatewayAnswers>;
  store?: FaultSlot<StoreAnswers>;
}

/** `aws:lambda:invocation-add-delay on function orders (startupDelayMilliseconds=500, …) for 60s, seed 42`. */
export function describeFault(fault: Fault): string {
  const params = Object.entries(fault.parameters)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const from = fault.source ? ` [${fault.source}]` : '';
  // An outage hits everything: its seed draws nothing.
  const seed = fault.targetKind === 'region' ? '' : `, seed ${fault.seed}`;
  const where = fault.region ? ` in ${fault.region}` : '';
  return `${fault.action} on ${fault.targetKind} ${fault.target}${where}${params ? ` (${params})` : ''} for ${Math.round(fault.durationMs / 1000)}s${seed}${from}`;
}
