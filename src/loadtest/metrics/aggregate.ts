/**
 * The coordinator's view of a run: workers' interval snapshots merged into cumulative series (one per
 * scenario × request step × status, so any tag filter can be answered) and a per-interval timeline.
 */
import type { IntervalSnapshot } from '../engine/messages.ts';
import type { PlannedRequest, RunPlan } from '../plan.ts';
import { requestSteps } from '../plan.ts';
import { TrendAggregate } from './trend.ts';

export interface SeriesAggregate {
  scenario: number;
  step: number;
  status: number;
  failed: boolean;
  trend: TrendAggregate;
  errors: Record<string, number>;
}

export interface CheckAggregate {
  scenario: number;
  step: number;
  check: number;
  name: string;
  pass: number;
  fail: number;
}

export interface IterationAggregate {
  completed: number;
  interrupted: number;
  dropped: number;
  duration: TrendAggregate;
}

/** One interval of the run (the live line, the report's charts, the scale report read these). */
export interface TimelinePoint {
  /** Seconds from the start to the interval's end. */
  t: number;
  /** The interval's length in seconds. */
  seconds: number;
  requests: number;
  failed: number;
  /** Requests per second over the interval. */
  rps: number;
  avgMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  vus: number;
  iterations: number;
  dropped: number;
  checksFailed: number;
}

interface PendingInterval {
  reported: Set<number>;
  trend: TrendAggregate;
  failed: number;
  vus: number;
  iterations: number;
  dropped: number;
  checksFailed: number;
  /** The latest elapsed time reported for the interval (the last one is shorter than the others). */
  endMs: number;
}

export class RunAggregate {
  readonly series = new Map<number, SeriesAggregate>();
  readonly checks = new Map<string, CheckAggregate>();
  readonly iterations = new Map<number, IterationAggregate>();
  readonly timeline: TimelinePoint[] = [];
  /** Lowest and highest `vus` seen in complete intervals, and the last. */
  vus = { value: 0, min: Number.POSITIVE_INFINITY, max: 0 };
  vusMax = 0;
  private readonly steps: PlannedRequest[][];
  private readonly perWorker: {
    bytesReceived: number;
    bytesSent: number;
    vusMax: number;
    lastSeq: number;
    done: boolean;
  }[];
  private readonly pending = new Map<number, PendingInterval>();
  private nextSeq = 0;

  constructor(
    readonly plan: RunPlan,
    readonly workers: number,
    readonly intervalMs: number,
  ) {
    this.steps = plan.scenarios.map(requestSteps);
    this.perWorker = Array.from({ length: workers }, () => ({
      bytesReceived: 0,
      bytesSent: 0,
      vusMax: 0,
      lastSeq: -1,
      done: false,
    }));
  }

  get bytesReceived(): number {
    return this.perWorker.reduce((sum, w) => sum + w.bytesReceived, 0);
  }

  get bytesSent(): number {
    return this.perWorker.reduce((sum, w) => sum + w.bytesSent, 0);
  }

  stepOf(scenario: number, step: number): PlannedRequest {
    return this.steps[scenario][step];
  }

  /** Merges one snapshot; returns the timeline points it completed (every worker has reported them). */
  add(snapshot: IntervalSnapshot): TimelinePoint[] {
    const interval = this.intervalFor(snapshot.seq);
    for (const delta of snapshot.series) {
      const key = (delta.scenario * 4096 + delta.step) * 1000 + delta.status;
      let series = this.series.get(key);
      if (!series) {
        const step = this.stepOf(delta.scenario, delta.step);
        const failed =
          delta.status === 0 || !step.expectedStatuses.some(([lo, hi]) => delta.status >= lo && delta.status <= hi);
        series = {
          scenario: delta.scenario,
          step: delta.step,
          status: delta.status,
          failed,
          trend: new TrendAggregate(),
          errors: {},
        };
        this.series.set(key, series);
      }
      const decoded = new TrendAggregate();
      decoded.addDelta(delta);
      series.trend.addTrend(decoded);
      interval.trend.addTrend(decoded);
      if (series.failed) interval.failed += delta.count;
      for (const [code, n] of Object.entries(delta.errors ?? {})) series.errors[code] = (series.errors[code] ?? 0) + n;
    }
    for (const delta of snapshot.checks) {
      const key = `${delta.scenario}:${delta.step}:${delta.check}`;
      let check = this.checks.get(key);
      if (!check) {
        const name = this.stepOf(delta.scenario, delta.step).checks[delta.check].name;
        check = { scenario: delta.scenario, step: delta.step, check: delta.check, name, pass: 0, fail: 0 };
        this.checks.set(key, check);
      }
      check.pass += delta.pass;
      check.fail += delta.fail;
      interval.checksFailed += delta.fail;
    }
    for (const delta of snapshot.iterations) {
      let iterations = this.iterations.get(delta.scenario);
      if (!iterations) {
        iterations = { completed: 0, interrupted: 0, dropped: 0, duration: new TrendAggregate() };
        this.iterations.set(delta.scenario, iterations);
      }
      iterations.completed += delta.completed;
      iterations.interrupted += delta.interrupted;
      iterations.dropped += delta.dropped;
      if (delta.duration) iterations.duration.addDelta(delta.duration);
      interval.iterations += delta.completed;
      interval.dropped += delta.dropped;
    }
    interval.vus += snapshot.vus;
    const fullEnd = (snapshot.seq + 1) * this.intervalMs;
    interval.endMs = Math.max(interval.endMs, snapshot.final ? Math.min(fullEnd, snapshot.elapsedMs) : fullEnd);
    interval.reported.add(snapshot.worker);
    const worker = this.perWorker[snapshot.worker];
    worker.bytesReceived = snapshot.bytesReceived;
    worker.bytesSent = snapshot.bytesSent;
    worker.vusMax = snapshot.vusMax;
    worker.lastSeq = snapshot.seq;
    worker.done ||= snapshot.final;
    this.vusMax = Math.max(
      this.vusMax,
      this.perWorker.reduce((sum, w) => sum + w.vusMax, 0),
    );
    return this.completeIntervals();
  }

  /** Closes the intervals still open (the run is over). */
  flush(): TimelinePoint[] {
    for (const worker of this.perWorker) worker.done = true;
    return this.completeIntervals();
  }

  private intervalFor(seq: number): PendingInterval {
    let interval = this.pending.get(seq);
    if (!interval) {
      interval = {
        reported: new Set(),
        trend: new TrendAggregate(),
        failed: 0,
        vus: 0,
        iterations: 0,
        dropped: 0,
        checksFailed: 0,
        endMs: 0,
      };
      this.pending.set(seq, interval);
    }
    return interval;
  }

  private completeIntervals(): TimelinePoint[] {
    const completed: TimelinePoint[] = [];
    const maxSeq = Math.max(-1, ...this.pending.keys());
    while (this.nextSeq <= maxSeq) {
      const seq = this.nextSeq;
      const ready = this.perWorker.every(
        (w, i) => w.done || w.lastSeq > seq || (w.lastSeq === seq && this.pending.get(seq)?.reported.has(i)),
      );
      if (!ready) break;
      const interval = this.intervalFor(seq);
      this.pending.delete(seq);
      const startMs = seq * this.intervalMs;
      const endMs = interval.endMs > startMs ? interval.endMs : startMs + this.intervalMs;
      const previous = this.timeline.at(-1);
      this.nextSeq++;
      if (previous && endMs - startMs < this.intervalMs / 5) {
        // A sliver at the very end (the last responses after the final boundary) joins the interval before
        // it rather than drawing a spike of a few requests over a few milliseconds.
        foldInto(previous, interval, endMs);
        continue;
      }
      const seconds = (endMs - startMs) / 1000;
      const point: TimelinePoint = {
        t: endMs / 1000,
        seconds,
        requests: interval.trend.count,
        failed: interval.failed,
        rps: interval.trend.count / seconds,
        avgMs: interval.trend.avgMs,
        p50Ms: interval.trend.percentileMs(50),
        p95Ms: interval.trend.percentileMs(95),
        p99Ms: interval.trend.percentileMs(99),
        maxMs: interval.trend.maxMs,
        vus: interval.vus,
        iterations: interval.iterations,
        dropped: interval.dropped,
        checksFailed: interval.checksFailed,
      };
      this.timeline.push(point);
      completed.push(point);
      this.vus.value = point.vus;
      this.vus.min = Math.min(this.vus.min, point.vus);
      this.vus.max = Math.max(this.vus.max, point.vus);
    }
    return completed;
  }
}

function foldInto(point: TimelinePoint, interval: PendingInterval, endMs: number): void {
  point.seconds += endMs / 1000 - point.t;
  point.requests += interval.trend.count;
  point.failed += interval.failed;
  point.iterations += interval.iterations;
  point.dropped += interval.dropped;
  point.checksFailed += interval.checksFailed;
  point.maxMs = Math.max(point.maxMs, interval.trend.maxMs);
  point.rps = point.requests / point.seconds;
  point.t = endMs / 1000;
}
