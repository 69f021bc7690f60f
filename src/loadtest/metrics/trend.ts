/**
 * A trend (k6's name for a distribution) merged from workers' interval deltas: an HDR histogram in
 * microseconds for percentiles, exact count/sum/min/max for the rest.
 */
import { decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { TrendDelta } from '../engine/messages.ts';
import { newHistogram } from '../engine/recorder.ts';

export class TrendAggregate {
  readonly hist: Histogram = newHistogram();
  count = 0;
  sumMs = 0;
  minMs = Number.POSITIVE_INFINITY;
  maxMs = 0;

  addDelta(delta: TrendDelta): void {
    if (delta.count === 0) return;
    this.hist.add(decodeFromCompressedBase64(delta.hist));
    this.addExact(delta);
  }

  addTrend(other: TrendAggregate): void {
    if (other.count === 0) return;
    this.hist.add(other.hist);
    this.addExact(other);
  }

  private addExact(other: { count: number; sumMs: number; minMs: number; maxMs: number }): void {
    this.count += other.count;
    this.sumMs += other.sumMs;
    if (other.minMs < this.minMs) this.minMs = other.minMs;
    if (other.maxMs > this.maxMs) this.maxMs = other.maxMs;
  }

  get avgMs(): number {
    return this.count ? this.sumMs / this.count : 0;
  }

  /**
   * Nearest-rank percentile (the smallest recorded value with at least p % of samples at or below it),
   * to HDR's 3 significant digits, kept within the exact min and max.
   */
  percentileMs(p: number): number {
    if (this.count === 0) return 0;
    const value = this.hist.getValueAtPercentile(p) / 1000;
    return Math.min(this.maxMs, Math.max(this.minMs, value));
  }

  /** A k6 summary statistic: avg, min, med, max, count or p(N). */
  stat(name: string): number {
    switch (name) {
      case 'avg':
        return this.avgMs;
      case 'min':
        return this.count ? this.minMs : 0;
      case 'max':
        return this.maxMs;
      case 'med':
        return this.percentileMs(50);
      case 'count':
        return this.count;
      default: {
        const match = /^p\((\d+(?:\.\d+)?)\)$/.exec(name);
        return match ? this.percentileMs(Number(match[1])) : Number.NaN;
      }
    }
  }

  /** Counts in log-spaced latency bins between min and max, for the report's histogram. */
  bins(binCount = 40): { fromMs: number; toMs: number; count: number }[] {
    if (this.count === 0) return [];
    const lo = Math.max(0.001, this.minMs);
    const hi = Math.max(lo * 1.0001, this.maxMs);
    const ratio = (hi / lo) ** (1 / binCount);
    const bins = Array.from({ length: binCount }, (_, i) => ({
      fromMs: lo * ratio ** i,
      toMs: lo * ratio ** (i + 1),
      count: 0,
    }));
    const iterator = (this.hist as unknown as { recordedValuesIterator: RecordedValues }).recordedValuesIterator;
    iterator.reset();
    while (iterator.hasNext()) {
      const step = iterator.next();
      const ms = step.valueIteratedTo / 1000;
      const i = Math.min(binCount - 1, Math.max(0, Math.floor(Math.log(ms / lo) / Math.log(ratio))));
      bins[i].count += step.countAtValueIteratedTo;
    }
    return bins;
  }
}

interface RecordedValues {
  reset(): void;
  hasNext(): boolean;
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
}
