import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { TreatMissingData } from '../../src/config/index.ts';
import {
  type AlarmState,
  type alarmStateChangeEvent,
  createTelemetry,
  EVENTS_LOG_GROUP,
  evaluateAlarm,
} from '../../src/telemetry/index.ts';
import { makeConfig, manualClock, sample } from './fixtures.ts';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);
const MINUTE = 60_000;

/** `0 - X - X` → datapoints (threshold 1, GreaterThanThreshold: X = 2, 0 = 0). */
function points(row: string) {
  return row
    .split(' ')
    .map((c, i) => ({ timestamp: T0 + i * MINUTE, value: c === '-' ? undefined : c === 'X' ? 2 : 0 }));
}

const treatments: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
type Expected = AlarmState | 'RETAIN';

// The two tables of the CloudWatch user guide, "How alarm state is evaluated when data is missing":
// columns MISSING, IGNORE, BREACHING, NOT BREACHING.
const threeOfThree: [string, Expected[]][] = [
  ['0 - X - X', ['OK', 'OK', 'OK', 'OK']],
  ['0 - - - -', ['OK', 'OK', 'OK', 'OK']],
  ['- - - - -', ['INSUFFICIENT_DATA', 'RETAIN', 'ALARM', 'OK']],
  ['0 X X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
  ['- - - - X', ['INSUFFICIENT_DATA', 'RETAIN', 'ALARM', 'OK']],
  ['X - - - -', ['ALARM', 'RETAIN', 'ALARM', 'OK']],
];
const twoOfThree: [string, Expected[]][] = [
  ['0 - X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
  ['0 0 X 0 X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
  ['0 - X - -', ['OK', 'OK', 'ALARM', 'OK']],
  ['- - - - 0', ['OK', 'OK', 'ALARM', 'OK']],
  ['- - - - X', ['INSUFFICIENT_DATA', 'RETAIN', 'ALARM', 'OK']],
];

describe('alarm evaluation (CloudWatch user guide vectors)', () => {
  for (const [m, table] of [
    [3, threeOfThree],
    [2, twoOfThree],
  ] as const) {
    for (const [row, expected] of table) {
      test(`${m} of 3, datapoints ${row}`, () => {
        treatments.forEach((treatMissingData, column) => {
          for (const current of ['OK', 'ALARM'] as const) {
            const rule = {
              threshold: 1,
              comparison: 'GreaterThanThreshold' as const,
              evaluationPeriods: 3,
              datapointsToAlarm: m,
              treatMissingData,
            };
            const got = evaluateAlarm(rule, points(row), current).state;
            const want = expected[column] === 'RETAIN' ? current : expected[column];
            assert.equal(got, want, `${treatMissingData}, current ${current}`);
          }
        });
      });
    }
  }

  test('comparison operators and the reason CloudWatch writes', () => {
    const rule = (
      comparison: 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold',
    ) => ({
      threshold: 10,
      comparison,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: 'missing' as const,
    });
    const data = [
      { timestamp: T0, value: 10 },
      { timestamp: T0 + MINUTE, value: 10 },
    ];
    assert.equal(evaluateAlarm(rule('GreaterThanOrEqualToThreshold'), data, 'OK').state, 'ALARM');
    assert.equal(evaluateAlarm(rule('LessThanThreshold'), data, 'OK').state, 'OK');
    const result = evaluateAlarm(rule('LessThanOrEqualToThreshold'), data, 'OK');
    assert.equal(result.state, 'ALARM');
    assert.equal(
      result.reason,
      'Threshold Crossed: 2 out of the last 2 datapoints [10.0 (24/11/26 06:01:00), 10.0 (24/11/26 06:00:00)] were less than or equal to the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
  });
});

describe('the default 5xx alarm', () => {
  test('goes INSUFFICIENT_DATA → OK → ALARM → OK on Sum of 5xx > 10 over 2 periods of 60 s', () => {
    const config = makeConfig();
    const clock = manualClock(T0);
    const lines: string[] = [];
    const telemetry = createTelemetry(config, {
      clock,
      tickIntervalMs: false,
      alarmActions: { log: (l) => lines.push(l) },
    });
    const [alarm] = telemetry.alarms.describe();
    assert.deepEqual(
      {
        alarmName: alarm.alarmName,
        namespace: alarm.namespace,
        metricName: alarm.metricName,
        dimensions: alarm.dimensions,
        statistic: alarm.statistic,
        period: alarm.period,
        evaluationPeriods: alarm.evaluationPeriods,
        datapointsToAlarm: alarm.datapointsToAlarm,
        threshold: alarm.threshold,
        comparison: alarm.comparison,
        treatMissingData: alarm.treatMissingData,
        state: alarm.state,
      },
      {
        alarmName: '5xx',
        namespace: 'AWS/ApiGateway',
        metricName: '5xx',
        dimensions: { ApiId: config.apiId, Stage: '$default' },
        statistic: 'Sum',
        period: 60,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        threshold: 10,
        comparison: 'GreaterThanThreshold',
        treatMissingData: 'missing',
        state: 'INSUFFICIENT_DATA',
      },
    );
    /** Requests spread over minute `minute` (from T0): `errors` of them answered 500. */
    const minuteOfTraffic = (minute: number, total: number, errors: number) => {
      for (let i = 0; i < total; i++) {
        clock.set(T0 + minute * MINUTE + Math.floor((i * MINUTE) / total));
        telemetry.recordRequest(sample(config, { status: i < errors ? 500 : 200 }));
      }
    };
    const stateAt = (minute: number) => {
      clock.set(T0 + minute * MINUTE + 500);
      telemetry.tick();
      return telemetry.alarms.describe()[0].state;
    };

    minuteOfTraffic(0, 30, 0);
    assert.equal(stateAt(1), 'OK', 'one non-breaching datapoint decides (the guide: "0 - - - -" is OK)');
    minuteOfTraffic(1, 30, 0);
    assert.equal(stateAt(2), 'OK');
    minuteOfTraffic(2, 40, 11);
    assert.equal(stateAt(2.5), 'OK', 'a period in progress is not evaluated');
    assert.equal(stateAt(3), 'OK', 'one breaching period of two');
    minuteOfTraffic(3, 40, 12);
    assert.equal(stateAt(4), 'ALARM');
    minuteOfTraffic(4, 40, 10);
    assert.equal(stateAt(5), 'OK', '10 is not greater than 10');

    const history = telemetry.alarms
      .history('5xx')
      .map((t) => `${t.previousState}->${t.state}@${(t.timestamp - T0) / 1000}`);
    assert.deepEqual(history, ['INSUFFICIENT_DATA->OK@60.5', 'OK->ALARM@240.5', 'ALARM->OK@300.5']);
    const alarmTransition = telemetry.alarms.history('5xx')[1];
    assert.equal(
      alarmTransition.reason,
      'Threshold Crossed: 2 out of the last 2 datapoints [12.0 (24/11/26 06:03:00), 11.0 (24/11/26 06:02:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    assert.equal(lines.length, 3);
    assert.equal(lines[1], `alarm 5xx: OK -> ALARM. ${alarmTransition.reason}`);
    const logged = telemetry.logs.query({ sources: ['system'] }).map((e) => e.message);
    assert.deepEqual(logged, lines, 'transitions are also in the gantry/events log group');
    assert.equal(telemetry.logs.query({ sources: ['system'] })[0].logGroupName, EVENTS_LOG_GROUP);
    telemetry.close();
  });
});

describe('alarms from config', () => {
  test('a Lambda alarm with treatMissingData breaching goes to ALARM without data; notBreaching to OK', () => {
    const config = makeConfig({
      alarms: {
        silent: {
          metric: 'Invocations',
          function: 'orders',
          threshold: 1,
          comparison: 'LessThanThreshold',
          periods: 3,
          treatMissingData: 'breaching',
        },
        errors: {
          metric: 'Errors',
          namespace: 'AWS/Lambda',
          threshold: 0,
          periodSeconds: 10,
          treatMissingData: 'notBreaching',
        },
      },
    });
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
    clock.advance(1000);
    telemetry.tick();
    const states = Object.fromEntries(telemetry.alarms.describe().map((a) => [a.alarmName, [a.state, a.dimensions]]));
    assert.deepEqual(states, { silent: ['ALARM', { FunctionName: 'orders' }], errors: ['OK', {}] });
    // One error in a 10-second period (all functions) breaches "Errors > 0".
    telemetry.recordInvocation({
      functionName: 'health',
      requestId: 'r',
      startTime: T0,
      durationMs: 2,
      billedDurationMs: 2,
      memorySizeMb: 128,
      maxMemoryUsedMb: 50,
      coldStart: false,
      environmentId: 'e',
      outcome: 'function-error',
    });
    clock.set(T0 + 10_000);
    telemetry.tick();
    assert.equal(telemetry.alarms.describe().find((a) => a.alarmName === 'errors')?.state, 'ALARM');
    telemetry.close();
  });

  test('transitions are POSTed to a webhook as EventBridge "CloudWatch Alarm State Change" events', async () => {
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) });
        res.end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const config = makeConfig({ alarms: { '5xx': { threshold: 0, periods: 1, periodSeconds: 10 } } });
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false, alarmActions: { webhookUrls: [url] } });
    telemetry.recordRequest(sample(config, { status: 502 }));
    clock.set(T0 + 10_000);
    telemetry.tick();
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    server.close();
    telemetry.close();
    assert.equal(received.length, 1);
    const { method, type, body } = received[0] as {
      method: string;
      type: string;
      body: ReturnType<typeof alarmStateChangeEvent>;
    };
    assert.equal(method, 'POST');
    assert.equal(type, 'application/json');
    assert.equal(body['detail-type'], 'CloudWatch Alarm State Change');
    assert.equal(body.source, 'aws.cloudwatch');
    assert.equal(body.account, '123456789012');
    assert.equal(body.region, 'us-east-1');
    assert.equal(body.time, '2026-11-24T06:00:10Z');
    assert.deepEqual(body.resources, ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:5xx']);
    assert.equal(body.detail.alarmName, '5xx');
    assert.equal(body.detail.state.value, 'ALARM');
    assert.equal(body.detail.state.timestamp, '2026-11-24T06:00:10.000+0000');
    assert.equal(body.detail.previousState.value, 'INSUFFICIENT_DATA');
    assert.deepEqual(body.detail.configuration.metrics[0].metricStat, {
      metric: { namespace: 'AWS/ApiGateway', name: '5xx', dimensions: { ApiId: config.apiId, Stage: '$default' } },
      period: 10,
      stat: 'Sum',
    });
  });
});
