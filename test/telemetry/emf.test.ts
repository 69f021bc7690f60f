// The Embedded Metric Format as CloudWatch reads it: what yields metrics, what stays a log line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseEmf } from '../../src/telemetry/emf.ts';
import { createTelemetry } from '../../src/telemetry/index.ts';
import { makeConfig, manualClock } from './fixtures.ts';

const emf = (body: Record<string, unknown>, aws: Record<string, unknown> = {}) =>
  JSON.stringify({
    _aws: {
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: 'Shop',
          Dimensions: [['service'], ['service', 'channel']],
          Metrics: [{ Name: 'Orders', Unit: 'Count' }],
        },
      ],
      ...aws,
    },
    ...body,
  });

describe('parseEmf', () => {
  test('each dimension set is its own metric; arrays are several values', () => {
    assert.deepEqual(parseEmf(emf({ service: 'orders', channel: 'web', Orders: [1, 2] })), {
      data: [
        { namespace: 'Shop', metricName: 'Orders', dimensions: { service: 'orders' }, values: [1, 2], unit: 'Count' },
        {
          namespace: 'Shop',
          metricName: 'Orders',
          dimensions: { service: 'orders', channel: 'web' },
          values: [1, 2],
          unit: 'Count',
        },
      ],
    });
  });

  test('not EMF at all: no result; broken EMF: the reason', () => {
    assert.equal(parseEmf('{"level":"INFO","message":"hello"}'), undefined);
    assert.equal(parseEmf('not json {"_aws"'), undefined);
    assert.deepEqual(parseEmf(emf({ service: 'orders', Orders: 1 })), {
      problem: 'dimension "channel": expected a string member of that name at the root',
    });
    assert.deepEqual(parseEmf(emf({ service: 'orders', channel: 'web', Orders: 'one' })), {
      problem: 'metric "Orders": expected a number (or up to 100 numbers) in the root member of that name, got "one"',
    });
    assert.match(
      (
        parseEmf(emf({}, { CloudWatchMetrics: [{ Namespace: 'AWS/Lambda', Dimensions: [], Metrics: [] }] })) as {
          problem: string;
        }
      ).problem,
      /Namespace: expected 1 to 255 characters without ":", not starting with "AWS\/"/,
    );
  });

  test('telemetry records valid lines and says once per function why a broken one yielded nothing', () => {
    const clock = manualClock();
    const telemetry = createTelemetry(makeConfig(), { clock, tickIntervalMs: false });
    const line = (message: string) => ({
      functionName: 'orders',
      logGroupName: '/aws/lambda/orders',
      logStreamName: 's',
      timestamp: clock(),
      message,
      kind: 'app' as const,
    });
    telemetry.recordFunctionLog(line(emf({ service: 'orders', channel: 'web', Orders: 3 })));
    for (let i = 0; i < 3; i++) telemetry.recordFunctionLog(line(emf({ service: 'orders', Orders: 1 })));
    assert.equal(telemetry.metrics.find('Shop', 'Orders', { service: 'orders' })?.totalSum, 3);
    assert.equal(telemetry.customMetrics.count, 2);
    const notices = telemetry.logs.query({ sources: ['system'] }).map((e) => e.message);
    assert.deepEqual(notices, [
      '[orders] an Embedded Metric Format line yielded no metric (CloudWatch would drop it too): dimension "channel": expected a string member of that name at the root',
    ]);
    telemetry.close();
  });
});
