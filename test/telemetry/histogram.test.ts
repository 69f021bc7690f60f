import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { build } from 'hdr-histogram-js';
import { countsIndexOf, Histogram } from '../../src/telemetry/histogram.ts';
import { random } from './fixtures.ts';

/** hdr-histogram-js configured as ours: 2 significant digits, lowest discernible value 1. */
function reference() {
  return build({ bitBucketSize: 32, autoResize: true, numberOfSignificantValueDigits: 2, lowestDiscernibleValue: 1 });
}

const PERCENTILES = [0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

describe('HDR histogram', () => {
  test('uses HdrHistogram’s bucket layout (index of every value matches hdr-histogram-js)', () => {
    const ref = reference() as unknown as { countsArrayIndex(v: number): number; recordValue(v: number): void };
    ref.recordValue(2 ** 40);
    const next = random(7);
    const values = [
      0,
      1,
      127,
      128,
      255,
      256,
      257,
      511,
      512,
      1023,
      1024,
      65_535,
      2 ** 32 - 1,
      2 ** 32,
      2 ** 32 + 5,
      2 ** 39,
    ];
    for (let i = 0; i < 5000; i++) values.push(Math.floor(next() ** 4 * 2 ** 36));
    for (const v of values) assert.equal(countsIndexOf(v), ref.countsArrayIndex(v), `value ${v}`);
  });

  test('percentiles equal hdr-histogram-js’s getValueAtPercentile on the same samples', () => {
    for (const [seed, scale] of [
      [1, 1e3],
      [2, 1e6],
      [3, 3e7],
      [4, 1e11],
    ] as const) {
      const next = random(seed);
      const ours = new Histogram();
      const ref = reference();
      for (let i = 0; i < 20_000; i++) {
        const v = Math.floor(next() ** 3 * scale);
        ours.record(v);
        ref.recordValue(v);
      }
      for (const p of PERCENTILES)
        assert.equal(ours.valueAtPercentile(p), ref.getValueAtPercentile(p), `scale ${scale}, p${p}`);
    }
  });

  test('merging histograms equals recording every sample in one', () => {
    const next = random(11);
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 0; i < 3000; i++) {
      const v = Math.floor(next() * (i % 2 ? 5e3 : 5e7));
      (i % 2 ? a : b).record(v);
      all.record(v);
    }
    const merged = new Histogram();
    merged.add(a);
    merged.add(b);
    assert.equal(merged.totalCount, 3000);
    for (const p of PERCENTILES) assert.equal(merged.valueAtPercentile(p), all.valueAtPercentile(p), `p${p}`);
    merged.reset();
    assert.equal(merged.totalCount, 0);
    assert.equal(merged.valueAtPercentile(50), 0);
  });
});
