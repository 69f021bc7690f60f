/** What the coordinator and the load-generating workers say to each other (structured-clone data only). */
import type { RunPlan } from '../plan.ts';

export interface WorkerInit {
  plan: RunPlan;
  workerIndex: number;
  workerCount: number;
  /** Snapshot period; snapshots are aligned to the run's start so all workers' seq N cover the same time. */
  intervalMs: number;
  /** Emit every sample as a k6 JSON line (for `--out json`). */
  recordSamples: boolean;
  insecure: boolean;
}

/** A trend's samples over one interval: an HDR histogram in microseconds plus exact sum/min/max in ms. */
export interface TrendDelta {
  hist: string;
  count: number;
  sumMs: number;
  minMs: number;
  maxMs: number;
}

export interface SeriesDelta extends TrendDelta {
  scenario: number;
  step: number;
  /** 0 when no response came (connection refused, timeout): k6 does the same. */
  status: number;
  /** Error code of the transport failures among these samples (status 0 only). */
  errors?: Record<string, number>;
}

export interface CheckDelta {
  scenario: number;
  step: number;
  check: number;
  pass: number;
  fail: number;
}

export interface IterationDelta {
  scenario: number;
  completed: number;
  interrupted: number;
  dropped: number;
  duration?: TrendDelta;
}

export interface IntervalSnapshot {
  worker: number;
  /** Interval number since the start: seq N covers [N·interval, (N+1)·interval). */
  seq: number;
  final: boolean;
  /** Milliseconds from the run's start when the snapshot was taken. */
  elapsedMs: number;
  series: SeriesDelta[];
  checks: CheckDelta[];
  iterations: IterationDelta[];
  /** Most VUs running an iteration (arrival-rate) or looping (VU executors) at once during the interval. */
  vus: number;
  /** VUs allocated so far. */
  vusMax: number;
  bytesReceived: number;
  bytesSent: number;
  /** k6 JSON lines, newline-terminated, when samples are recorded. */
  samples?: string;
}

export type ToWorker = { type: 'start'; startAt: number } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'snapshot'; snapshot: IntervalSnapshot }
  | { type: 'fatal'; message: string };
