/**
 * HDR (High Dynamic Range) histograms for percentile statistics: the bucket layout of HdrHistogram
 * (and of hdr-histogram-js, which the tests use as the reference) with 2 significant digits and a
 * lowest discernible value of 1, written directly on a typed array. Recording is a `Math.clz32`, two
 * shifts and an increment; hdr-histogram-js's generic recordValue costs ~10× more, and the gateway
 * records several values per request.
 *
 * Values arrive in milliseconds and are kept as integer microseconds: a percentile is within 1/128
 * (0.78 %) above the exact nearest-rank value. Two digits, not three, keep a slot's histogram to a
 * few KB instead of ~32 KB, with thousands of slots alive.
 */

/** Histogram units per metric unit: milliseconds are stored as microseconds. */
export const HISTOGRAM_SCALE = 1000;

/** Relative error bound of a percentile read from these histograms (2 significant digits). */
export const PERCENTILE_RELATIVE_ERROR = 1 / 128;

const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
// 128; twice that (256 sub-buckets) is enough for 2 significant decimal digits.
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
/** Initial capacity: values up to 2^20 µs (~1 s) without growing. */
const INITIAL_BUCKETS = 13;

function bucketIndexOf(value: number): number {
  const log2 = value < 0x1_0000_0000 ? 31 - Math.clz32(value) : Math.floor(Math.log2(value));
  return log2 < SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1 ? 0 : log2 - SUB_BUCKET_HALF_COUNT_MAGNITUDE;
}

/** Index in the counts array of an integer value ≥ 0 (HdrHistogram's countsArrayIndex). */
export function countsIndexOf(value: number): number {
  const bucket = bucketIndexOf(value);
  const subBucket = value < 0x1_0000_0000 ? value >>> bucket : Math.floor(value / 2 ** bucket);
  return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + subBucket - SUB_BUCKET_HALF_COUNT;
}

/** The highest value that shares the counts slot `index` (what HdrHistogram reports for a percentile). */
function highestEquivalentValueAt(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    subBucket -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  const lowest = subBucket * 2 ** bucket;
  return lowest + 2 ** bucket - 1;
}

export class Histogram {
  private counts: Uint32Array;
  totalCount = 0;

  constructor() {
    this.counts = new Uint32Array((INITIAL_BUCKETS + 1) * SUB_BUCKET_HALF_COUNT);
  }

  /** `value`: a whole number ≥ 0 (see toHistogramUnits). */
  record(value: number): void {
    const index = countsIndexOf(value);
    if (index >= this.counts.length) this.grow(index + 1);
    this.counts[index]++;
    this.totalCount++;
  }

  add(other: Histogram): void {
    if (other.totalCount === 0) return;
    const theirs = other.counts;
    if (theirs.length > this.counts.length) this.grow(theirs.length);
    const mine = this.counts;
    for (let i = 0; i < theirs.length; i++) if (theirs[i] !== 0) mine[i] += theirs[i];
    this.totalCount += other.totalCount;
  }

  reset(): void {
    if (this.totalCount === 0) return;
    this.counts.fill(0);
    this.totalCount = 0;
  }

  /**
   * The value at `percentile` (0 < p ≤ 100) by nearest rank: the highest equivalent value of the slot
   * holding the ceil(p % × count)-th smallest sample, as HdrHistogram's getValueAtPercentile.
   */
  valueAtPercentile(percentile: number): number {
    if (this.totalCount === 0) return 0;
    const exact = (Math.min(percentile, 100) / 100) * this.totalCount;
    // Round up, but not over floating-point noise: 95 % of 100 computes as 95.00000000000001.
    const target = Math.max(Math.ceil(exact - exact * Number.EPSILON * 4), 1);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= target) return highestEquivalentValueAt(i);
    }
    return 0;
  }

  get footprintBytes(): number {
    return this.counts.byteLength;
  }

  private grow(length: number): void {
    const buckets = Math.ceil(length / SUB_BUCKET_HALF_COUNT);
    const grown = new Uint32Array(buckets * SUB_BUCKET_HALF_COUNT);
    grown.set(this.counts);
    this.counts = grown;
  }
}

export function toHistogramUnits(value: number): number {
  return value <= 0 ? 0 : Math.round(value * HISTOGRAM_SCALE);
}
