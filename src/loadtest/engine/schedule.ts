/**
 * When work happens, as pure functions of time: how many VUs a ramping executor wants at `t`, and when
 * the k-th iteration of an arrival-rate executor starts. Workers share these, so all threads agree on the
 * schedule without talking to each other.
 */
import type { ExecutorPlan, PlannedStage } from '../plan.ts';

/** The linearly ramped value at `tMs` (k6's stages: each goes from the previous target to its own). */
export function rampedValueAt(start: number, stages: PlannedStage[], tMs: number): number {
  let from = start;
  let elapsed = 0;
  for (const stage of stages) {
    if (tMs < elapsed + stage.durationMs) return from + ((stage.target - from) * (tMs - elapsed)) / stage.durationMs;
    elapsed += stage.durationMs;
    from = stage.target;
  }
  return from;
}

/** VUs a ramping-vus executor runs at `tMs`. */
export function rampingVUsAt(executor: Extract<ExecutorPlan, { type: 'ramping-vus' }>, tMs: number): number {
  return Math.floor(rampedValueAt(executor.startVUs, executor.stages, tMs) + 1e-9);
}

interface Segment {
  startMs: number;
  durationMs: number;
  /** Iterations per ms at the segment's start and end. */
  r0: number;
  r1: number;
  /** Iterations scheduled before the segment. */
  before: number;
}

/**
 * The open model's timetable: iteration k starts when the integral of the rate reaches k, whatever the
 * latency of earlier iterations. That is what keeps coordinated omission out of the measurements.
 */
export class ArrivalSchedule {
  readonly total: number;
  readonly durationMs: number;
  private readonly segments: Segment[] = [];

  constructor(executor: Extract<ExecutorPlan, { type: 'constant-arrival-rate' | 'ramping-arrival-rate' }>) {
    const perMs = (rate: number) => rate / executor.timeUnitMs;
    const stages =
      executor.type === 'constant-arrival-rate'
        ? [{ from: executor.rate, to: executor.rate, durationMs: executor.durationMs }]
        : executor.stages.map((s, i) => ({
            from: i === 0 ? executor.startRate : executor.stages[i - 1].target,
            to: s.target,
            durationMs: s.durationMs,
          }));
    let startMs = 0;
    let before = 0;
    for (const stage of stages) {
      if (stage.durationMs > 0) {
        const segment = { startMs, durationMs: stage.durationMs, r0: perMs(stage.from), r1: perMs(stage.to), before };
        this.segments.push(segment);
        before += ((segment.r0 + segment.r1) / 2) * stage.durationMs;
      }
      startMs += stage.durationMs;
    }
    this.durationMs = startMs;
    // An iteration k is scheduled when k < integral; fp error must not add or lose one at the end.
    this.total = Math.ceil(before - 1e-9);
  }

  /** Start offset (ms from the executor's start) of iteration k, or undefined past the end. */
  startOf(k: number): number | undefined {
    if (k >= this.total) return undefined;
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid].before <= k) lo = mid;
      else hi = mid - 1;
    }
    const s = this.segments[lo];
    const need = k - s.before;
    // Solve r0·x + (r1 − r0)/(2d)·x² = need for x in [0, d], in the form that stays exact when r1 = r0.
    const a = (s.r1 - s.r0) / (2 * s.durationMs);
    const root = Math.sqrt(Math.max(0, s.r0 * s.r0 + 4 * a * need));
    const x = need === 0 ? 0 : (2 * need) / (s.r0 + root);
    return s.startMs + Math.min(x, s.durationMs);
  }
}
