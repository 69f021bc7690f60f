import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createTelemetry,
  MetricQueryError,
  MetricStore,
  PERCENTILE_RELATIVE_ERROR,
} from '../../src/telemetry/index.ts';
import { makeConfig, manualClock, random, sample } from './fixtures.ts';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);
const API = (config: ReturnType<typeof makeConfig>) => ({ ApiId: config.apiId, Stage: config.stage.name });

/** Nearest rank in integer arithmetic (p has at most 3 decimals), so 99.9 % of 5000 is rank 4995, not 4996. */
function nearestRank(sorted: number[], p: number): number {
  const rank = Math.ceil((Math.round(p * 1000) * sorted.length) / 100_000);
  return sorted[Math.max(rank, 1) - 1];
}

describe('metric statistics', () => {
  test('Sum, Average, Minimum, Maximum, SampleCount equal a brute-force computation; percentiles are within HDR precision', () => {
    const config = makeConfig();
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
    const next = random(42);
    const values: number[] = [];
    for (let i = 0; i < 5000; i++) {
      // Whole microseconds with a long tail: 1 ms to ~2 s.
      const latency = Math.round((1 + next() ** 3 * 2000) * 1000) / 1000;
      values.push(latency);
      clock.set(T0 + Math.floor((i / 5000) * 60_000));
      telemetry.recordRequest(sample(config, { latencyMs: latency }));
    }
    const query = (statistic: string) =>
      telemetry.getMetricData({
        namespace: 'AWS/ApiGateway',
        metricName: 'Latency',
        dimensions: API(config),
        statistic: statistic as 'Sum',
        period: 60,
        startTime: T0,
        endTime: T0 + 60_000,
      });
    let sum = 0;
    for (const v of values) sum += v;
    const sorted = [...values].sort((a, b) => a - b);
    assert.deepEqual(query('SampleCount'), { label: 'Latency', timestamps: [T0], values: [5000] });
    // Sums are added per second, then per minute: equal up to floating-point summation order.
    assert.ok(Math.abs(query('Sum').values[0] - sum) <= sum * 1e-12, `Sum ${query('Sum').values[0]} vs ${sum}`);
    assert.ok(Math.abs(query('Average').values[0] - sum / 5000) <= (sum / 5000) * 1e-12);
    assert.deepEqual(query('Minimum').values, [sorted[0]]);
    assert.deepEqual(query('Maximum').values, [sorted[4999]]);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = nearestRank(sorted, p);
      const [got] = query(`p${p}`).values;
      assert.ok(got >= exact, `p${p}: ${got} is below the exact ${exact}`);
      assert.ok(got <= exact * (1 + PERCENTILE_RELATIVE_ERROR) + 0.001, `p${p}: ${got} too far above ${exact}`);
    }
    assert.equal(query('p100').values[0], sorted[4999], 'p100 is the maximum exactly');
    telemetry.close();
  });

  test('percentiles pick the nearest-rank sample and never leave the recorded range', () => {
    const config = makeConfig();
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
    const p = (statistic: `p${number}`, from = T0) =>
      telemetry.metrics.statisticOver(
        { namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: API(config) },
        statistic,
        from,
        from + 1000,
      );
    telemetry.recordRequest(sample(config, { latencyMs: 123.456 }));
    assert.equal(p('p50'), 123.456, 'one sample: every percentile is that sample');
    assert.equal(p('p99'), 123.456);
    clock.advance(1000);
    for (const latency of [5, 1, 4, 2, 3, 10, 9, 8, 7, 6])
      telemetry.recordRequest(sample(config, { latencyMs: latency }));
    const within = (got: number | undefined, exact: number) =>
      assert.ok(
        got !== undefined && got >= exact && got <= exact * (1 + PERCENTILE_RELATIVE_ERROR),
        `${got} vs ${exact}`,
      );
    within(p('p50', T0 + 1000), 5);
    within(p('p90', T0 + 1000), 9);
    within(p('p91', T0 + 1000), 10);
    assert.equal(p('p95', T0 + 1000), 10, 'clamped to the exact maximum');
    telemetry.close();
  });
});

describe('period bucketing', () => {
  test('datapoints are stamped with the period start and periods without samples are omitted', () => {
    const config = makeConfig();
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
    const at = (offsetMs: number, status: number) => {
      clock.set(T0 + offsetMs);
      telemetry.recordRequest(sample(config, { status }));
    };
    at(0, 200);
    at(4_999, 500);
    at(5_000, 200);
    at(17_000, 404);
    at(61_000, 500);
    at(125_000, 200);
    const data = (metricName: string, period: number, statistic = 'Sum') =>
      telemetry.getMetricData({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensions: API(config),
        statistic: statistic as 'Sum',
        period,
        startTime: T0,
        endTime: T0 + 180_000,
      });
    assert.deepEqual(data('Count', 5), {
      label: 'Count',
      timestamps: [T0, T0 + 5_000, T0 + 15_000, T0 + 60_000, T0 + 125_000],
      values: [2, 1, 1, 1, 1],
    });
    assert.deepEqual(data('5xx', 60).values, [1, 1, 0]);
    assert.deepEqual(data('5xx', 60).timestamps, [T0, T0 + 60_000, T0 + 120_000]);
    assert.deepEqual(data('4xx', 60, 'Average').values, [0.25, 0, 0]);
    assert.deepEqual(data('Count', 120).values, [5, 1]);
    assert.deepEqual(data('Count', 1).timestamps.length, 6);
    // A start time inside a period is rounded down to the period's start.
    const rounded = telemetry.getMetricData({
      namespace: 'AWS/ApiGateway',
      metricName: 'Count',
      dimensions: API(config),
      statistic: 'Sum',
      period: 60,
      startTime: T0 + 30_000,
      endTime: T0 + 61_000,
    });
    assert.deepEqual(rounded.timestamps, [T0, T0 + 60_000]);
    telemetry.close();
  });

  test('every dimension set CloudWatch publishes for HTTP APIs holds the data', () => {
    const config = makeConfig();
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
    telemetry.recordRequest(sample(config, { routeKey: 'GET /orders', requestLength: 100, responseLength: 900 }));
    telemetry.recordRequest(sample(config, { routeKey: 'GET /health', requestLength: 0, responseLength: 24 }));
    telemetry.recordRequest(sample(config, { routeKey: '-', status: 404, integrationLatencyMs: undefined }));
    const sum = (metricName: string, dimensions: Record<string, string>) =>
      telemetry.metrics.statisticOver({ namespace: 'AWS/ApiGateway', metricName, dimensions }, 'Sum', T0, T0 + 1000);
    assert.equal(sum('Count', { ApiId: config.apiId }), 3);
    assert.equal(sum('Count', API(config)), 3);
    assert.equal(sum('Count', { ...API(config), Route: 'GET /orders' }), 1);
    assert.equal(sum('Count', { ...API(config), Route: 'GET /health' }), 1);
    assert.equal(sum('Count', { ...API(config), Route: '-' }), undefined, 'no Route series for unmatched requests');
    assert.equal(sum('DataProcessed', API(config)), 100 + 900 + 24 + 42);
    assert.equal(sum('4xx', API(config)), 1);
    assert.equal(
      telemetry.metrics.statisticOver(
        { namespace: 'AWS/ApiGateway', metricName: 'IntegrationLatency', dimensions: API(config) },
        'SampleCount',
        T0,
        T0 + 1000,
      ),
      2,
      'IntegrationLatency only for requests that reached an integration',
    );
    telemetry.close();
  });

  test('Lambda metrics per function and for all functions', () => {
    const config = makeConfig();
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
    const report = (
      functionName: string,
      outcome: 'success' | 'function-error' | 'timeout',
      coldStart: boolean,
      durationMs: number,
    ) =>
      telemetry.recordInvocation({
        functionName,
        requestId: 'r',
        startTime: T0,
        durationMs,
        billedDurationMs: Math.ceil(durationMs),
        memorySizeMb: 256,
        maxMemoryUsedMb: 60,
        coldStart,
        environmentId: 'e',
        outcome,
      });
    report('orders', 'success', true, 120.5);
    report('orders', 'function-error', false, 3.25);
    report('orders', 'timeout', false, 3000);
    report('health', 'success', true, 1.5);
    telemetry.recordThrottle('orders', 'reserved-concurrency');
    const stat = (metricName: string, dimensions: Record<string, string>, statistic: 'Sum' | 'Maximum' = 'Sum') =>
      telemetry.metrics.statisticOver({ namespace: 'AWS/Lambda', metricName, dimensions }, statistic, T0, T0 + 1000);
    assert.equal(stat('Invocations', { FunctionName: 'orders' }), 3);
    assert.equal(stat('Errors', { FunctionName: 'orders' }), 2);
    assert.equal(stat('Throttles', { FunctionName: 'orders' }), 1);
    assert.equal(stat('ColdStarts', { FunctionName: 'orders' }), 1);
    assert.equal(stat('Duration', { FunctionName: 'orders' }, 'Maximum'), 3000);
    assert.equal(stat('Invocations', {}), 4);
    assert.equal(stat('ColdStarts', {}), 2);
    assert.deepEqual(telemetry.functionCounters().orders, {
      invocations: 3,
      coldStarts: 1,
      throttles: 1,
      errors: 2,
      alive: 0,
      busy: 0,
    });
    telemetry.close();
  });

  test('ConcurrentExecutions is sampled on every change and every tick while busy', () => {
    const config = makeConfig();
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
    telemetry.recordConcurrency('orders', 3, 2);
    clock.advance(1000);
    telemetry.tick();
    clock.advance(1000);
    telemetry.recordConcurrency('orders', 3, 3);
    clock.advance(1000);
    telemetry.recordConcurrency('orders', 3, 0);
    telemetry.tick();
    clock.advance(5000);
    telemetry.tick();
    const max = telemetry.getMetricData({
      namespace: 'AWS/Lambda',
      metricName: 'ConcurrentExecutions',
      dimensions: { FunctionName: 'orders' },
      statistic: 'Maximum',
      period: 1,
      startTime: T0,
      endTime: T0 + 10_000,
    });
    assert.deepEqual(max.timestamps, [T0, T0 + 1000, T0 + 2000, T0 + 3000]);
    assert.deepEqual(max.values, [2, 2, 3, 0]);
    assert.equal(telemetry.functionCounters().orders.alive, 3);
    telemetry.close();
  });
});

describe('retention and validation', () => {
  test('memory stays bounded: old slots are reused, not kept', () => {
    const store = new MetricStore({ seconds: 60, minutes: 5 });
    const series = store.series({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: { ApiId: 'a' } });
    const t0 = Math.floor(T0 / 1000);
    for (let s = 0; s < 360; s++) for (let i = 0; i < 20; i++) series.add(t0 + s, 10 + i);
    const footprint = store.footprintBytes();
    for (let s = 360; s < 1200; s++) for (let i = 0; i < 20; i++) series.add(t0 + s, 10 + i);
    assert.equal(store.footprintBytes(), footprint, 'no growth once the rings are full');
    const read = (period: number, from: number, to: number) =>
      store.getMetricData({
        namespace: 'AWS/ApiGateway',
        metricName: 'Latency',
        dimensions: { ApiId: 'a' },
        statistic: 'SampleCount',
        period,
        startTime: (t0 + from) * 1000,
        endTime: (t0 + to) * 1000,
      });
    assert.deepEqual(read(1, 0, 1200).timestamps.length, 60, 'only the last 60 one-second slots remain');
    assert.equal(read(1, 1139, 1140).values[0], undefined, 'second 1139 is gone');
    assert.equal(read(1, 1140, 1141).values[0], 20);
    assert.deepEqual(read(60, 0, 1200).values, [1200, 1200, 1200, 1200, 1200], 'last 5 one-minute slots');
  });

  test('periods and statistics outside CloudWatch rules are refused with the rule', () => {
    const telemetry = createTelemetry(makeConfig(), { tickIntervalMs: false });
    const query = { namespace: 'AWS/ApiGateway' as const, metricName: 'Count', startTime: T0, endTime: T0 + 60_000 };
    assert.throws(() => telemetry.getMetricData({ ...query, statistic: 'Sum', period: 7 }), {
      name: 'MetricQueryError',
      message: 'period: 7 is not valid (expected 1, 5, 10, 30 or a multiple of 60 up to 86400)',
    });
    assert.throws(
      () => telemetry.getMetricData({ ...query, statistic: 'Median' as 'Sum', period: 60 }),
      MetricQueryError,
    );
    telemetry.recordRequest(sample(telemetry.config));
    assert.throws(
      () => telemetry.getMetricData({ ...query, dimensions: API(telemetry.config), statistic: 'p99', period: 60 }),
      /percentiles are kept for Latency, IntegrationLatency, Duration and custom metrics, not Count/,
    );
    telemetry.close();
  });
});
