import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { newHistogram, toMicros } from '../../src/loadtest/engine/recorder.ts';
import { runLoadTest } from '../../src/loadtest/index.ts';
import { TrendAggregate } from '../../src/loadtest/metrics/trend.ts';
import { assertClose, json, nearestRank, startServer } from './helpers.ts';

function trendOf(values: number[], chunks = 3): TrendAggregate {
  // Split like workers' intervals, then merge as the coordinator does.
  const trend = new TrendAggregate();
  for (let c = 0; c < chunks; c++) {
    const part = values.filter((_, i) => i % chunks === c);
    if (!part.length) continue;
    const hist = newHistogram();
    for (const v of part) hist.recordValue(toMicros(v));
    trend.addDelta({
      hist: encodeIntoCompressedBase64(hist),
      count: part.length,
      sumMs: part.reduce((a, b) => a + b, 0),
      minMs: Math.min(...part),
      maxMs: Math.max(...part),
    });
  }
  return trend;
}

describe('percentiles', () => {
  test('merged HDR percentiles match a brute-force sort within HDR precision (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 5000, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(50, 90, 95, 99, 99.9, 100),
        (values, p) => {
          const sorted = [...values].sort((a, b) => a - b);
          const trend = trendOf(values);
          assertClose(trend.percentileMs(p), nearestRank(sorted, p), `p(${p})`);
          assert.equal(trend.count, values.length);
          assert.equal(trend.minMs, sorted[0]);
          assert.equal(trend.maxMs, sorted.at(-1));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('exact below 2048 µs, where HDR has unit resolution: 1..1000 µs', () => {
    const trend = trendOf(Array.from({ length: 1000 }, (_, i) => (i + 1) / 1000));
    assert.equal(trend.stat('min'), 0.001);
    assert.equal(trend.stat('max'), 1);
    assert.ok(Math.abs(trend.stat('avg') - 0.5005) < 1e-12);
    assert.equal(trend.stat('med'), 0.5);
    assert.equal(trend.stat('p(90)'), 0.9);
    assert.equal(trend.stat('p(95)'), 0.95);
    assert.equal(trend.stat('p(99)'), 0.99);
    assert.equal(trend.stat('p(99.9)'), 0.999);
    assert.equal(trend.stat('count'), 1000);
  });

  test('above 2048 µs a percentile is the top of its HDR bucket: 500 ms reads 500.223 ms', () => {
    const trend = trendOf(Array.from({ length: 1000 }, (_, i) => i + 1));
    assert.equal(trend.stat('med'), 500.223);
    assert.equal(trend.stat('p(95)'), 950.271);
    assert.equal(trend.stat('max'), 1000);
  });

  test('a real run: summary percentiles equal a brute-force computation over every sample written by --out json', async () => {
    // Latencies spread over 0–20 ms so the percentiles are far apart.
    let n = 0;
    const server = await startServer((_req, res) => {
      const delay = (n++ * 7) % 21;
      setTimeout(() => json(res, 200, { delay }), delay);
    });
    const file = join(mkdtempSync(join(tmpdir(), 'gantry-load-')), 'samples.json');
    try {
      const result = await runLoadTest(
        {
          options: { vus: 8, duration: '1500ms' },
          steps: [{ path: '/', checks: { 'status is 200': { status: 200 } } }],
        },
        { baseUrl: server.url, workers: 2, jsonOut: file },
      );
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const durations = lines
        .filter((l) => l.type === 'Point' && l.metric === 'http_req_duration')
        .map((l) => l.data.value as number)
        .sort((a, b) => a - b);
      const v = result.metrics.http_req_duration.values;
      assert.equal(durations.length, result.metrics.http_reqs.values.count);
      assert.ok(durations.length > 100);
      assert.equal(v.min, durations[0]);
      assert.equal(v.max, durations.at(-1));
      assertClose(v.avg, durations.reduce((a, b) => a + b, 0) / durations.length, 'avg');
      for (const [stat, p] of [
        ['med', 50],
        ['p(90)', 90],
        ['p(95)', 95],
        ['p(99)', 99],
      ] as const) {
        assertClose(v[stat], nearestRank(durations, p), stat);
      }
      const checks = lines.filter((l) => l.type === 'Point' && l.metric === 'checks');
      assert.equal(checks.length, durations.length);
      assert.deepEqual(checks[0].data.tags.check, 'status is 200');
      const metricLines = lines.filter((l) => l.type === 'Metric').map((l) => l.metric);
      assert.ok(metricLines.includes('http_req_duration') && metricLines.includes('dropped_iterations'));
      const point = lines.find((l) => l.type === 'Point' && l.metric === 'http_reqs');
      assert.equal(point.data.tags.status, '200');
      assert.equal(point.data.tags.expected_response, 'true');
      assert.equal(point.data.tags.scenario, 'default');
      assert.equal(point.data.tags.method, 'GET');
      assert.match(point.data.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    } finally {
      await server.close();
    }
  });
});
