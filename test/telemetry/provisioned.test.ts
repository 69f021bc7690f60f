import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dashboardData } from '../../src/telemetry/dashboard.ts';
import { createTelemetry } from '../../src/telemetry/index.ts';
import { makeConfig, manualClock } from './fixtures.ts';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);

function provisionedConfig() {
  return makeConfig({
    functions: {
      orders: { handler: 'src/hello.handler', reservedConcurrency: 5, provisionedConcurrency: 4 },
      health: { handler: 'src/hello.handler' },
    },
  });
}

describe('provisioned concurrency metrics', () => {
  test('invocations split into provisioned and spillover; executions and utilization follow the busy provisioned ones', () => {
    const config = provisionedConfig();
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
    const invoke = (functionName: string, initializationType: 'on-demand' | 'provisioned-concurrency') =>
      telemetry.recordInvocation({
        functionName,
        requestId: 'r',
        startTime: T0,
        durationMs: 5,
        billedDurationMs: 5,
        memorySizeMb: 128,
        maxMemoryUsedMb: 60,
        coldStart: initializationType === 'on-demand',
        initializationType,
        environmentId: 'e',
        outcome: 'success',
      });
    telemetry.recordConcurrency('orders', 5, 3, 2);
    telemetry.recordConcurrency('orders', 5, 5, 4);
    invoke('orders', 'provisioned-concurrency');
    invoke('orders', 'provisioned-concurrency');
    invoke('orders', 'on-demand');
    invoke('health', 'on-demand');
    telemetry.recordConcurrency('orders', 5, 0, 0);
    const stat = (metricName: string, functionName: string, statistic: 'Sum' | 'Maximum') =>
      telemetry.metrics.statisticOver(
        { namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: functionName } },
        statistic,
        T0,
        T0 + 1000,
      );
    assert.equal(stat('ProvisionedConcurrencyInvocations', 'orders', 'Sum'), 2);
    assert.equal(stat('ProvisionedConcurrencySpilloverInvocations', 'orders', 'Sum'), 1);
    assert.equal(stat('Invocations', 'orders', 'Sum'), 3, 'provisioned + spillover = Invocations');
    assert.equal(stat('ProvisionedConcurrentExecutions', 'orders', 'Maximum'), 4);
    assert.equal(stat('ProvisionedConcurrencyUtilization', 'orders', 'Maximum'), 1);
    // Published only for functions that have provisioned concurrency, as Lambda does.
    assert.equal(stat('ProvisionedConcurrencySpilloverInvocations', 'health', 'Sum'), undefined);
    telemetry.close();
  });

  test('the console gets a provisioned concurrency chart for the functions that have it, and only then', () => {
    const clock = manualClock(T0);
    const withIt = provisionedConfig();
    const telemetry = createTelemetry(withIt, { clock, tickIntervalMs: false });
    const widgets = dashboardData(withIt, telemetry.metrics, { end: T0, rangeSeconds: 60, period: 10 });
    const widget = widgets.find((w) => w.id === 'provisioned-concurrency');
    assert.ok(widget);
    assert.deepEqual(
      widget.series.map((s) => s.label),
      ['orders in use', 'orders spillover'],
    );
    telemetry.close();
    const without = makeConfig();
    const plain = createTelemetry(without, { clock, tickIntervalMs: false });
    const ids = dashboardData(without, plain.metrics, { end: T0, rangeSeconds: 60, period: 10 }).map((w) => w.id);
    assert.ok(!ids.includes('provisioned-concurrency'));
    plain.close();
  });
});
