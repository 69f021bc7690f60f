/**
 * One metric time series (a metric name with one dimension set), kept in two fixed-size rings:
 * one slot per second and one slot per minute. A slot is reused when its time comes round again,
 * so memory is bounded by the retention and never grows with traffic. A sample is written to its
 * second's slot only; when the series moves on to a new second, the finished second is folded into
 * its minute's slot (one merge per series per second, not one write per sample).
 */
import { Histogram, toHistogramUnits } from './histogram.ts';
import type { MetricIdentity } from './types.ts';

/** Count, sum, extremes and (for distributions) a histogram: everything a statistic needs. */
export class Aggregate {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly histogram: Histogram | undefined;

  constructor(distribution: boolean) {
    this.histogram = distribution ? new Histogram() : undefined;
  }

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.histogram?.reset();
  }
}

/** A ring of slots, each covering `width` seconds. */
export class Tier {
  private readonly keys: Float64Array;
  private readonly counts: Float64Array;
  private readonly sums: Float64Array;
  private readonly mins: Float64Array;
  private readonly maxes: Float64Array;
  private readonly histograms: (Histogram | undefined)[] | undefined;
  /** The newest slot written: retained slots are the `size` keys up to it. */
  latestKey = -1;

  constructor(
    readonly size: number,
    readonly width: number,
    distribution: boolean,
  ) {
    this.keys = new Float64Array(size).fill(-1);
    this.counts = new Float64Array(size);
    this.sums = new Float64Array(size);
    this.mins = new Float64Array(size);
    this.maxes = new Float64Array(size);
    this.histograms = distribution ? new Array(size) : undefined;
  }

  /** Makes slot `key` current (emptying what it held before); false when `key` is older than the ring. */
  private claim(key: number): number {
    const i = key % this.size;
    if (this.keys[i] === key) return i;
    if (key <= this.latestKey - this.size) return -1;
    if (key > this.latestKey) this.latestKey = key;
    this.keys[i] = key;
    this.counts[i] = 0;
    this.sums[i] = 0;
    this.mins[i] = Number.POSITIVE_INFINITY;
    this.maxes[i] = Number.NEGATIVE_INFINITY;
    if (this.histograms) {
      const h = this.histograms[i];
      if (h) h.reset();
      else this.histograms[i] = new Histogram();
    }
    return i;
  }

  /** `key` is the slot number: epoch seconds divided by the width, rounded down. */
  add(key: number, value: number, units: number): void {
    const i = this.claim(key);
    if (i < 0) return;
    this.counts[i]++;
    this.sums[i] += value;
    if (value < this.mins[i]) this.mins[i] = value;
    if (value > this.maxes[i]) this.maxes[i] = value;
    if (this.histograms) this.histograms[i]!.record(units);
  }

  /** Adds slot `sourceKey` of `source` into this tier's slot `key`. */
  absorb(key: number, source: Tier, sourceKey: number): void {
    const from = sourceKey % source.size;
    if (source.keys[from] !== sourceKey || source.counts[from] === 0) return;
    const i = this.claim(key);
    if (i < 0) return;
    this.counts[i] += source.counts[from];
    this.sums[i] += source.sums[from];
    if (source.mins[from] < this.mins[i]) this.mins[i] = source.mins[from];
    if (source.maxes[from] > this.maxes[i]) this.maxes[i] = source.maxes[from];
    if (this.histograms) this.histograms[i]!.add(source.histograms![from]!);
  }

  /** Adds slots `fromKey` (inclusive) to `toKey` (exclusive) into `into`. Slots no longer retained count as empty. */
  collect(fromKey: number, toKey: number, into: Aggregate): void {
    const first = Math.max(fromKey, this.latestKey - this.size + 1);
    const end = Math.min(toKey, this.latestKey + 1);
    for (let key = first; key < end; key++) {
      const i = key % this.size;
      if (this.keys[i] !== key || this.counts[i] === 0) continue;
      into.count += this.counts[i];
      into.sum += this.sums[i];
      if (this.mins[i] < into.min) into.min = this.mins[i];
      if (this.maxes[i] > into.max) into.max = this.maxes[i];
      if (into.histogram) into.histogram.add(this.histograms![i]!);
    }
  }

  /** Bytes held by this tier's arrays and histograms (the retention bound, measurable). */
  footprintBytes(): number {
    let bytes = this.size * 8 * 5;
    if (this.histograms) for (const h of this.histograms) if (h) bytes += h.footprintBytes;
    return bytes;
  }
}

export interface Retention {
  /** Seconds of 1-second slots kept (periods of 1, 5, 10 and 30 s read these). */
  seconds: number;
  /** Minutes of 1-minute slots kept (periods that are multiples of 60 s read these). */
  minutes: number;
}

export const DEFAULT_RETENTION: Retention = { seconds: 600, minutes: 180 };

export class Series {
  readonly seconds: Tier;
  readonly minutes: Tier;
  /** Cumulative since start: Prometheus counters and the status endpoint read these. */
  totalCount = 0;
  totalSum = 0;
  /** The newest second written and not yet folded into the minutes (-1: none). */
  private pending = -1;

  constructor(
    readonly identity: MetricIdentity,
    readonly distribution: boolean,
    retention: Retention,
  ) {
    this.seconds = new Tier(retention.seconds, 1, distribution);
    this.minutes = new Tier(retention.minutes, 60, distribution);
  }

  /** `epochSecond` is `Math.floor(epochMs / 1000)`, computed once per request by the caller. */
  add(epochSecond: number, value: number): void {
    const units = this.distribution ? toHistogramUnits(value) : 0;
    this.totalCount++;
    this.totalSum += value;
    if (epochSecond === this.pending) {
      this.seconds.add(epochSecond, value, units);
      return;
    }
    if (epochSecond > this.pending) {
      if (this.pending >= 0) this.minutes.absorb(Math.floor(this.pending / 60), this.seconds, this.pending);
      this.pending = epochSecond;
      this.seconds.add(epochSecond, value, units);
      return;
    }
    // A late sample (the clock stepped back): its second is already folded, so write both tiers.
    this.seconds.add(epochSecond, value, units);
    this.minutes.add(Math.floor(epochSecond / 60), value, units);
  }

  /** Minute slots [fromKey, toKey) plus the second not yet folded into them. */
  collectMinutes(fromKey: number, toKey: number, into: Aggregate): void {
    this.minutes.collect(fromKey, toKey, into);
    if (this.pending < 0) return;
    const minute = Math.floor(this.pending / 60);
    if (minute >= fromKey && minute < toKey) this.seconds.collect(this.pending, this.pending + 1, into);
  }
}
