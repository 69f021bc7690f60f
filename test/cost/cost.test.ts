import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  costForTraffic,
  createCostMeter,
  formatTrafficReport,
  listPrices,
  MONTH_MS,
  PRICES,
  priceMonth,
  tieredCost,
} from '../../src/cost/index.ts';
import { createTelemetry } from '../../src/telemetry/index.ts';
import { makeConfig, manualClock, sample } from '../telemetry/fixtures.ts';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);
const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} !== ${expected}`);
const item = (items: { item: string; usd: number; quantity: number }[], name: string) => {
  const found = items.find((i) => i.item === name);
  assert.ok(found, `no line item "${name}"`);
  return found;
};

describe('prices', () => {
  test('every price names its source and the date it was recorded', () => {
    const prices = listPrices();
    assert.ok(prices.length >= 14);
    for (const p of prices) {
      assert.match(p.source, /^https:\/\/aws\.amazon\.com\//, p.path);
      assert.match(p.date, /^2026-1[12]-\d\d$/, p.path);
      assert.ok(['reference', 'secondary', 'unverified'].includes(p.basis), p.path);
    }
    assert.equal(PRICES.apiGateway.meteringUnitBytes, 524_288);
    assert.equal(PRICES.lambda.gbSecondX86.usd, 0.0000166667);
    assert.equal(PRICES.lambda.gbSecondArm64.usd, 0.0000133334);
    assert.equal(PRICES.dynamoDb.writeRequestUnits.usd, 0.625);
    assert.equal(PRICES.dynamoDb.readRequestUnits.usd, 0.125);
  });
});

describe('cost model', () => {
  const usage = {
    apiRequests: 350_000_000,
    lambda: {
      x86_64: { requests: 2_000_000, gbSeconds: 1_000_000 },
      arm64: { requests: 1_000_000, gbSeconds: 500_000 },
    },
    logsGb: 10,
    dynamoDb: { readRequestUnits: 4_000_000, writeRequestUnits: 2_000_000 },
  };
  const fixed = { dashboards: 1, standardAlarms: 2, highResolutionAlarms: 1, customMetrics: 3 };

  test('HTTP API requests are tiered: $1.00 per million up to 300 million, $0.90 after', () => {
    close(tieredCost(350_000_000, PRICES.apiGateway.httpApiRequests.tiers, 1e6), 300 + 45, 'tiers');
    close(tieredCost(1_000_000, PRICES.apiGateway.httpApiRequests.tiers, 1e6), 1, 'first tier');
  });

  test('a month priced line by line (figures worked out by hand)', () => {
    const month = priceMonth(usage, fixed);
    close(item(month.items, 'HTTP API requests').usd, 345, 'API Gateway');
    close(item(month.items, 'requests (x86_64)').usd, 0.4, 'x86 requests');
    close(item(month.items, 'duration (x86_64)').usd, 16.6667, 'x86 GB-s: 1,000,000 × 0.0000166667');
    close(item(month.items, 'requests (arm64)').usd, 0.2, 'arm requests');
    close(item(month.items, 'duration (arm64)').usd, 6.6667, 'arm GB-s: 500,000 × 0.0000133334');
    close(item(month.items, 'dashboards').usd, 3, 'dashboard');
    close(item(month.items, 'standard alarms').usd, 0.2, 'alarms');
    close(item(month.items, 'high-resolution alarms').usd, 0.3, 'high-resolution alarm');
    close(item(month.items, 'custom metrics (ColdStarts)').usd, 0.9, 'custom metrics');
    close(item(month.items, 'log ingestion').usd, 5, 'logs: 10 GB × $0.50');
    close(item(month.items, 'read request units').usd, 0.5, 'RRU: 4 M × $0.125');
    close(item(month.items, 'write request units').usd, 1.25, 'WRU: 2 M × $0.625');
    close(month.totalUsd, 345 + 0.4 + 16.6667 + 0.2 + 6.6667 + 3 + 0.2 + 0.3 + 0.9 + 5 + 0.5 + 1.25, 'total');
  });

  test('the free tier takes the always-free allowances off first', () => {
    const month = priceMonth(usage, fixed, { freeTier: true });
    close(item(month.items, 'requests (x86_64)').usd, 0.2, '2 M - 1 M free');
    close(item(month.items, 'requests (arm64)').usd, 0.2, 'allowance used up by x86');
    close(item(month.items, 'duration (x86_64)').usd, 600_000 * 0.0000166667, '1 M - 400 k free GB-s');
    close(item(month.items, 'duration (arm64)').usd, 6.6667, 'none left for arm64');
    close(item(month.items, 'dashboards').usd, 0, '3 free');
    close(item(month.items, 'standard alarms').usd, 0, '10 free');
    close(item(month.items, 'high-resolution alarms').usd, 0.3, 'not in the free tier');
    close(item(month.items, 'log ingestion').usd, 2.5, '10 GB - 5 GB free');
  });
});

describe('gantry cost --rps', () => {
  test('a steady 10 requests/s costs what the prices say (worked out by hand)', () => {
    const config = makeConfig();
    const report = costForTraffic(config, { rps: 10, durationMs: 50, payloadBytes: 2048, logBytesPerRequest: 500 });
    const requests = 10 * 730 * 3600;
    assert.equal(report.assumptions.requestsPerMonth, 26_280_000);
    assert.deepEqual(report.invocationsPerMonth, { orders: 17_520_000, health: 8_760_000 });
    const m = report.monthly.items;
    close(item(m, 'HTTP API requests').usd, 26.28, 'API');
    close(item(m, 'requests (x86_64)').usd, 3.504, 'orders requests');
    close(item(m, 'duration (x86_64)').usd, 219_000 * 0.0000166667, 'orders: 17.52 M × 0.05 s × 0.25 GB');
    close(item(m, 'requests (arm64)').usd, 1.752, 'health requests');
    close(item(m, 'duration (arm64)').usd, 54_750 * 0.0000133334, 'health: 8.76 M × 0.05 s × 0.125 GB');
    close(item(m, 'log ingestion').usd, ((requests * 500) / 1024 ** 3) * 0.5, 'logs');
    close(item(m, 'standard alarms').usd, 0.1, 'the default 5xx alarm');
    close(item(m, 'custom metrics (ColdStarts)').usd, 0.6, 'one per function');
    // X-Ray's default sampling: the first request each second and 5 % of the other 9.
    close(item(m, 'traces recorded (active tracing)').usd, (1.45 * 730 * 3600 * 5) / 1e6, 'X-Ray traces');
    const total =
      26.28 +
      3.504 +
      219_000 * 0.0000166667 +
      1.752 +
      54_750 * 0.0000133334 +
      ((requests * 500) / 1024 ** 3) * 0.5 +
      3 +
      0.1 +
      0.6 +
      (1.45 * 730 * 3600 * 5) / 1e6;
    close(report.monthly.totalUsd, total, 'total');
    assert.deepEqual(report.budget.alerts, [{ percent: 50, on: 'actual', thresholdUsd: 10, reached: true }]);
    const text = formatTrafficReport(config.name, report);
    assert.match(text, /^orders-api at 10\.00 requests\/s, us-east-1 prices of 2026-11-24/);
    assert.match(text, /HTTP API requests +26,280,000 +requests +\$26\.28/);
    assert.match(text, /alert at 50 % \(actual, \$10\.00\): REACHED/);
  });

  test('a request over 512 KB is metered as several; billed duration rounds up to the ms', () => {
    const config = makeConfig({ routes: { 'GET /orders': 'orders' } });
    const report = costForTraffic(config, {
      rps: 1,
      durationMs: 10.2,
      payloadBytes: 600 * 1024,
      logBytesPerRequest: 0,
    });
    assert.equal(report.usage.apiRequests, 2 * 2_628_000);
    close(report.usage.lambda.x86_64.gbSeconds, 2_628_000 * 0.011 * 0.25, 'GB-s with 11 ms billed');
  });
});

describe('the live cost meter', () => {
  test('prices observed traffic, projects the month from the recent rate and raises the budget alert', () => {
    const config = makeConfig();
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
    const meter = createCostMeter({ config, telemetry });
    const raised: string[] = [];
    meter.onBudgetAlert((e) => raised.push(`${e.raised ? 'raised' : 'cleared'} ${e.alert.percent}`));
    for (let s = 0; s < 10; s++) {
      for (let i = 0; i < 5; i++) {
        clock.set(T0 + s * 1000 + i * 100);
        telemetry.recordRequest(sample(config, { requestLength: 100, responseLength: 300 }));
        telemetry.recordInvocation({
          functionName: 'orders',
          requestId: `r${s}-${i}`,
          startTime: clock(),
          durationMs: 99.2,
          billedDurationMs: 100,
          memorySizeMb: 256,
          maxMemoryUsedMb: 70,
          coldStart: s === 0 && i === 0,
          environmentId: 'e',
          outcome: 'success',
        });
      }
    }
    clock.set(T0 + 9_500);
    const logBytes = telemetry.logs.query({ limit: 1000 }).reduce((n, e) => n + Buffer.byteLength(e.message), 0);
    const report = meter.report();
    const factor = MONTH_MS / 10_000;
    assert.equal(report.windowSeconds, 10);
    const p = report.projectedMonthly.items;
    close(item(p, 'HTTP API requests').quantity, 50 * factor, 'requests projected');
    close(item(p, 'HTTP API requests').usd, (50 * factor) / 1e6, 'API cost');
    close(item(p, 'requests (x86_64)').usd, ((50 * factor) / 1e6) * 0.2, 'Lambda requests');
    close(item(p, 'duration (x86_64)').usd, 50 * 0.1 * 0.25 * factor * 0.0000166667, 'GB-s');
    close(item(p, 'log ingestion').usd, ((logBytes * factor) / 1024 ** 3) * 0.5, 'logs');
    const fixedMonthly = 3 + 0.1 + 0.6;
    close(
      report.projectedMonthly.totalUsd,
      (50 * factor) / 1e6 +
        ((50 * factor) / 1e6) * 0.2 +
        50 * 0.1 * 0.25 * factor * 0.0000166667 +
        ((logBytes * factor) / 1024 ** 3) * 0.5 +
        fixedMonthly,
      'projected total',
    );
    close(
      report.soFar.totalUsd,
      50 / 1e6 +
        (50 / 1e6) * 0.2 +
        50 * 0.1 * 0.25 * 0.0000166667 +
        (logBytes / 1024 ** 3) * 0.5 +
        (fixedMonthly * 9_500) / MONTH_MS,
      'so far',
    );
    assert.ok(report.projectedMonthly.totalUsd > 10, 'this traffic would cost more than half the $20 budget');
    assert.equal(report.budget.alerts[0].triggered, false, 'not raised before a tick');

    telemetry.tick();
    assert.deepEqual(raised, ['raised 50']);
    assert.equal(meter.report().budget.alerts[0].triggered, true);
    assert.match(
      telemetry.logs.query({ sources: ['system'] })[0].message,
      /^BUDGET 50% \(actual\) alert: projected monthly cost \$\d+\.\d\d reaches 50% of the \$20\.00 budget \(\$10\.00\)$/,
    );
    telemetry.tick();
    assert.deepEqual(raised, ['raised 50'], 'raised once while it stays over');

    clock.advance(400_000);
    telemetry.tick();
    assert.deepEqual(raised, ['raised 50', 'cleared 50']);
    close(meter.report().projectedMonthly.totalUsd, fixedMonthly, 'idle: only the fixed resources remain');
    meter.close();
    telemetry.close();
  });
});
