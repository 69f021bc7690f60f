/**
 * A worker's measurements for the current interval. The hot path does a Map lookup and a histogram
 * increment per request; everything else (encoding, merging, percentiles) happens once per interval.
 */
import { build, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { PlannedRequest, PlannedScenario } from '../plan.ts';
import type { CheckDelta, IntervalSnapshot, IterationDelta, SeriesDelta, TrendDelta } from './messages.ts';

export function newHistogram(): Histogram {
  return build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 2 });
}

/** Microseconds, at least 1 so a sub-microsecond loopback answer still counts as a recorded value. */
export function toMicros(ms: number): number {
  return Math.max(1, Math.round(ms * 1000));
}

class Trend {
  hist = newHistogram();
  count = 0;
  sumMs = 0;
  minMs = Number.POSITIVE_INFINITY;
  maxMs = 0;

  add(ms: number): void {
    this.hist.recordValue(toMicros(ms));
    this.count++;
    this.sumMs += ms;
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  delta(): TrendDelta {
    return {
      hist: encodeIntoCompressedBase64(this.hist),
      count: this.count,
      sumMs: this.sumMs,
      minMs: this.minMs,
      maxMs: this.maxMs,
    };
  }
}

class Series extends Trend {
  errors: Record<string, number> | undefined;
  constructor(
    readonly scenario: number,
    readonly step: number,
    readonly status: number,
  ) {
    super();
  }
}

interface IterationCounts {
  completed: number;
  interrupted: number;
  dropped: number;
  duration: Trend | undefined;
}

const STEP_SLOTS = 4096;
const STATUS_SLOTS = 1000;

export class WorkerRecorder {
  private series = new Map<number, Series>();
  private checks = new Map<number, CheckDelta>();
  private iterations = new Map<number, IterationCounts>();
  private samples: string[] | undefined;
  /** Per scenario and step: the JSON text of the step's static tags, for sample lines. */
  private readonly tagJson: string[][];

  constructor(
    scenarios: PlannedScenario[],
    recordSamples: boolean,
    private readonly worker: number,
  ) {
    if (recordSamples) this.samples = [];
    this.tagJson = scenarios.map((s) =>
      s.steps
        .filter((st): st is PlannedRequest => st.kind === 'request')
        .map((r) => JSON.stringify(r.tags).slice(1, -1)),
    );
  }

  request(scenario: number, step: PlannedRequest, status: number, ms: number, failed: boolean, error?: string): void {
    const key = (scenario * STEP_SLOTS + step.index) * STATUS_SLOTS + status;
    let series = this.series.get(key);
    if (!series) {
      series = new Series(scenario, step.index, status);
      this.series.set(key, series);
    }
    series.add(ms);
    if (error !== undefined) {
      series.errors ??= {};
      series.errors[error] = (series.errors[error] ?? 0) + 1;
    }
    if (this.samples) {
      const time = new Date(performance.timeOrigin + performance.now()).toISOString();
      const tags = `{${this.tagJson[scenario][step.index]},"status":"${status}","expected_response":"${!failed}"}`;
      this.samples.push(
        point('http_reqs', time, 1, tags),
        point('http_req_duration', time, ms, tags),
        point('http_req_failed', time, failed ? 1 : 0, tags),
      );
    }
  }

  check(scenario: number, step: PlannedRequest, check: number, pass: boolean): void {
    const key = (scenario * STEP_SLOTS + step.index) * 256 + check;
    let counts = this.checks.get(key);
    if (!counts) {
      counts = { scenario, step: step.index, check, pass: 0, fail: 0 };
      this.checks.set(key, counts);
    }
    if (pass) counts.pass++;
    else counts.fail++;
    if (this.samples) {
      const time = new Date(performance.timeOrigin + performance.now()).toISOString();
      const tags = `{${this.tagJson[scenario][step.index]},"check":${JSON.stringify(step.checks[check].name)}}`;
      this.samples.push(point('checks', time, pass ? 1 : 0, tags));
    }
  }

  iteration(scenario: number, outcome: 'completed' | 'interrupted' | 'dropped', ms = 0, name = ''): void {
    let counts = this.iterations.get(scenario);
    if (!counts) {
      counts = { completed: 0, interrupted: 0, dropped: 0, duration: undefined };
      this.iterations.set(scenario, counts);
    }
    counts[outcome]++;
    if (outcome === 'completed') {
      counts.duration ??= new Trend();
      counts.duration.add(ms);
    }
    if (this.samples && outcome !== 'interrupted') {
      const time = new Date(performance.timeOrigin + performance.now()).toISOString();
      const tags = `{"scenario":${JSON.stringify(name)}}`;
      if (outcome === 'dropped') this.samples.push(point('dropped_iterations', time, 1, tags));
      else this.samples.push(point('iterations', time, 1, tags), point('iteration_duration', time, ms, tags));
    }
  }

  /** Everything since the last snapshot; the recorder starts over. */
  snapshot(
    seq: number,
    final: boolean,
    gauges: Pick<IntervalSnapshot, 'elapsedMs' | 'vus' | 'vusMax' | 'bytesReceived' | 'bytesSent'>,
  ): IntervalSnapshot {
    const series: SeriesDelta[] = [];
    for (const s of this.series.values()) {
      series.push({ ...s.delta(), scenario: s.scenario, step: s.step, status: s.status, errors: s.errors });
    }
    const iterations: IterationDelta[] = [];
    for (const [scenario, c] of this.iterations) {
      iterations.push({
        scenario,
        completed: c.completed,
        interrupted: c.interrupted,
        dropped: c.dropped,
        duration: c.duration?.delta(),
      });
    }
    const snapshot: IntervalSnapshot = {
      worker: this.worker,
      seq,
      final,
      series,
      checks: [...this.checks.values()],
      iterations,
      ...gauges,
      samples: this.samples?.length ? `${this.samples.join('\n')}\n` : undefined,
    };
    this.series = new Map();
    this.checks = new Map();
    this.iterations = new Map();
    if (this.samples) this.samples = [];
    return snapshot;
  }
}

function point(metric: string, time: string, value: number, tags: string): string {
  return `{"metric":"${metric}","type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}}}`;
}
