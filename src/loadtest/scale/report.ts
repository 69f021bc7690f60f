/**
 * How Lambda concurrency followed the load, computed from the console samples and the run's timeline.
 * A pure function: the samples are the evidence, this only reads them.
 */
import type { TimelinePoint } from '../metrics/aggregate.ts';
import type { FunctionStatus, StatusSample } from './status.ts';

export interface ColdStartImpact {
  /** Intervals of the timeline in which at least one cold start happened. */
  intervalsWithColdStarts: number;
  intervalsWithout: number;
  /** Median of the per-interval p95 latency (whole API) in those intervals. */
  p95WithMs: number;
  p95WithoutMs: number;
  /** Worst latency seen in an interval with a cold start. */
  maxWithMs: number;
}

export interface FunctionScale {
  name: string;
  memoryMb: number;
  reservedConcurrency: number | null;
  /** 0 without provisioned concurrency. */
  provisionedConcurrency: number;
  /** Counter deltas over the run. */
  invocations: number;
  /** Of `invocations` (with provisioned concurrency): served by provisioned environments, and spilled over to on-demand ones. */
  provisionedInvocations: number;
  spilloverInvocations: number;
  coldStarts: number;
  throttles: number;
  errors: number;
  aliveBefore: number;
  peakBusy: number;
  peakAlive: number;
  /** Seconds from the start to the first sample showing an invocation of this function. */
  firstInvocationS?: number;
  /** Seconds from the first invocation until the environments alive first reached their peak. */
  timeToPeakS?: number;
  /** Seconds from the start to the last new cold start. */
  lastColdStartS?: number;
  /** Seconds from the start to the first throttle. */
  firstThrottleS?: number;
  /** Throttles happened while the environments in use (busy or initialising) were at reservedConcurrency. */
  throttledAtReserved: boolean;
  coldStartImpact?: ColdStartImpact;
}

export interface ScaleTimelinePoint {
  t: number;
  rps: number;
  vus: number;
  p95Ms: number;
  maxMs: number;
  /** Little's law: the concurrency the load needed, req/s × mean latency. */
  demand: number;
  /** Per function: highest busy count sampled in the interval, alive at its end, cold starts in it. */
  functions: Record<string, { busy: number; alive: number; coldStarts: number; throttles: number }>;
}

export interface ScaleReport {
  samples: number;
  /** Mean time between samples, ms. */
  sampleIntervalMs: number;
  functions: FunctionScale[];
  timeline: ScaleTimelinePoint[];
}

/**
 * `samples` are console answers (epoch `at`), the first taken before the run; `timeline` is the run's,
 * whose `t` counts seconds from `startEpochMs`.
 */
export function computeScaleReport(
  samples: StatusSample[],
  timeline: TimelinePoint[],
  startEpochMs: number,
): ScaleReport {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const names = [...new Set(sorted.flatMap((s) => s.functions.map((f) => f.name)))];
  const secondsOf = (at: number) => (at - startEpochMs) / 1000;
  const pick = (sample: StatusSample, name: string) => sample.functions.find((f) => f.name === name);

  const points: ScaleTimelinePoint[] = timeline.map((p) => ({
    t: p.t,
    rps: p.rps,
    vus: p.vus,
    p95Ms: p.p95Ms,
    maxMs: p.maxMs,
    demand: (p.rps * p.avgMs) / 1000,
    functions: Object.fromEntries(names.map((n) => [n, { busy: 0, alive: 0, coldStarts: 0, throttles: 0 }])),
  }));
  const pointAt = (seconds: number) => points.find((p, i) => seconds <= p.t && (i === 0 || seconds > points[i - 1].t));

  const functions = names.map((name): FunctionScale => {
    const series = sorted
      .map((s) => ({ t: secondsOf(s.at), f: pick(s, name) }))
      .filter((x): x is { t: number; f: FunctionStatus } => !!x.f);
    const first = series[0].f;
    const last = series.at(-1)!.f;
    let peakBusy = 0;
    let peakAlive = 0;
    for (const { f } of series) {
      peakBusy = Math.max(peakBusy, f.environments.busy);
      peakAlive = Math.max(peakAlive, f.environments.alive);
    }
    let firstInvocationS: number | undefined;
    let lastColdStartS: number | undefined;
    let firstThrottleS: number | undefined;
    let peakReachedS: number | undefined;
    let throttledAtReserved = false;
    const coldIntervals = new Set<ScaleTimelinePoint>();
    for (let i = 1; i < series.length; i++) {
      const { t, f } = series[i];
      const prev = series[i - 1].f;
      // A change between two samples happened somewhere between them: the midpoint is the best guess.
      const when = (series[i - 1].t + t) / 2;
      const point = pointAt(Math.max(when, 1e-9));
      if (point) {
        const slot = point.functions[name];
        slot.busy = Math.max(slot.busy, f.environments.busy);
        slot.alive = f.environments.alive;
        slot.coldStarts += f.coldStarts - prev.coldStarts;
        slot.throttles += f.throttles - prev.throttles;
      }
      if (firstInvocationS === undefined && f.invocations > prev.invocations) firstInvocationS = Math.max(0, when);
      if (f.coldStarts > prev.coldStarts) {
        lastColdStartS = Math.max(0, when);
        if (point) coldIntervals.add(point);
      }
      if (f.throttles > prev.throttles) {
        firstThrottleS ??= Math.max(0, when);
        const reserved = f.reservedConcurrency ?? prev.reservedConcurrency;
        // Environments still initialising count against concurrency as busy ones do: in use = alive − idle.
        const inUse = Math.max(inUseOf(f), inUseOf(prev));
        if (reserved !== null && inUse >= reserved) throttledAtReserved = true;
      }
      if (peakReachedS === undefined && f.environments.alive >= peakAlive && peakAlive > first.environments.alive) {
        peakReachedS = Math.max(0, t);
      }
    }
    return {
      name,
      memoryMb: last.memoryMb,
      reservedConcurrency: last.reservedConcurrency,
      provisionedConcurrency: last.provisionedConcurrency,
      invocations: last.invocations - first.invocations,
      provisionedInvocations: last.provisionedInvocations - first.provisionedInvocations,
      spilloverInvocations: last.spilloverInvocations - first.spilloverInvocations,
      coldStarts: last.coldStarts - first.coldStarts,
      throttles: last.throttles - first.throttles,
      errors: last.errors - first.errors,
      aliveBefore: first.environments.alive,
      peakBusy,
      peakAlive,
      firstInvocationS,
      timeToPeakS:
        peakReachedS !== undefined && firstInvocationS !== undefined
          ? Math.max(0, peakReachedS - firstInvocationS)
          : undefined,
      lastColdStartS,
      firstThrottleS,
      throttledAtReserved,
      coldStartImpact: impact(points, coldIntervals),
    };
  });

  const span = sorted.length > 1 ? sorted.at(-1)!.at - sorted[0].at : 0;
  return {
    samples: sorted.length,
    sampleIntervalMs: sorted.length > 1 ? span / (sorted.length - 1) : 0,
    functions,
    timeline: points,
  };
}

function inUseOf(f: FunctionStatus): number {
  return f.environments.alive - f.environments.idle;
}

function impact(points: ScaleTimelinePoint[], cold: Set<ScaleTimelinePoint>): ColdStartImpact | undefined {
  if (cold.size === 0) return undefined;
  const withCold = points.filter((p) => cold.has(p) && p.rps > 0);
  const without = points.filter((p) => !cold.has(p) && p.rps > 0);
  return {
    intervalsWithColdStarts: withCold.length,
    intervalsWithout: without.length,
    p95WithMs: median(withCold.map((p) => p.p95Ms)),
    p95WithoutMs: median(without.map((p) => p.p95Ms)),
    maxWithMs: Math.max(0, ...withCold.map((p) => p.maxMs)),
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
