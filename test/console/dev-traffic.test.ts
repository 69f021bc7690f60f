/**
 * Real traffic through the `gantry dev` composition (real gateway over HTTP, real worker-thread
 * Lambda): metric values and percentiles against a brute-force computation over what the gateway
 * and runtime reported, the seed's 5xx alarm going OK → ALARM → OK, logs, cost figures, and the
 * route table's 401 and 403 counts for a JWT-protected route.
 * Telemetry's clock is the test's, so minutes pass on demand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RouteRow } from '../../src/console/index.ts';
import { localToken } from '../../src/identity/index.ts';
import type { InvocationReport } from '../../src/runtime/index.ts';
import { PERCENTILE_RELATIVE_ERROR, type RequestSample, type Statistic } from '../../src/telemetry/index.ts';
import { manualClock } from '../telemetry/fixtures.ts';
import { FIXTURE, type Stack, startStack } from './dev-stack.ts';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);
const MINUTE = 60_000;

function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil((p * sorted.length) / 100), 1) - 1];
}

describe('real traffic through gantry dev', () => {
  const clock = manualClock(T0);
  const samples: RequestSample[] = [];
  const reports: InvocationReport[] = [];
  let stack: Stack;

  before(async () => {
    stack = await startStack({
      clock,
      tickIntervalMs: false,
      onRequest: (s) => samples.push(s),
      onInvocation: (r) => reports.push(r),
    });
  });
  after(() => stack.close());

  /** Sends `paths` with 4 requests in flight at a time; returns the statuses. */
  async function send(paths: string[]): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < paths.length; i += 4) {
      const batch = paths.slice(i, i + 4).map(async (p) => {
        const response = await fetch(`${stack.apiUrl}${p}`);
        await response.arrayBuffer();
        return response.status;
      });
      statuses.push(...(await Promise.all(batch)));
    }
    return statuses;
  }

  test('metrics, percentiles, logs and cost match what the gateway and runtime reported', async () => {
    const { telemetry, config } = stack;
    const paths = [
      ...Array.from({ length: 40 }, (_, i) => `/orders?id=${i}`),
      ...Array.from({ length: 10 }, () => '/health'),
      ...Array.from({ length: 5 }, () => '/nowhere'),
    ];
    const statuses = await send(paths);
    assert.equal(statuses.filter((s) => s === 200).length, 50);
    assert.equal(statuses.filter((s) => s === 404).length, 5);
    assert.equal(samples.length, 55);

    const api = { ApiId: config.apiId, Stage: '$default' };
    const stat = (
      namespace: 'AWS/ApiGateway' | 'AWS/Lambda',
      metricName: string,
      dimensions: Record<string, string>,
      statistic: Statistic,
    ) =>
      telemetry.getMetricData({
        namespace,
        metricName,
        dimensions,
        statistic,
        period: 60,
        startTime: T0,
        endTime: T0 + MINUTE,
      }).values[0];

    assert.equal(stat('AWS/ApiGateway', 'Count', api, 'Sum'), 55);
    assert.equal(stat('AWS/ApiGateway', 'Count', { ApiId: config.apiId }, 'Sum'), 55);
    assert.equal(stat('AWS/ApiGateway', 'Count', { ...api, Route: 'GET /orders' }, 'Sum'), 40);
    assert.equal(stat('AWS/ApiGateway', '4xx', api, 'Sum'), 5);
    assert.equal(stat('AWS/ApiGateway', '5xx', api, 'Sum'), 0);
    assert.equal(stat('AWS/ApiGateway', 'IntegrationLatency', api, 'SampleCount'), 50);
    assert.equal(
      stat('AWS/ApiGateway', 'DataProcessed', api, 'Sum'),
      samples.reduce((n, s) => n + s.requestLength + s.responseLength, 0),
    );

    const latencies = samples.map((s) => s.latencyMs);
    // Sums are added per second, then per minute: equal up to floating-point summation order.
    const latencySum = latencies.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(stat('AWS/ApiGateway', 'Latency', api, 'Sum') - latencySum) <= latencySum * 1e-12);
    assert.equal(stat('AWS/ApiGateway', 'Latency', api, 'Minimum'), Math.min(...latencies));
    assert.equal(stat('AWS/ApiGateway', 'Latency', api, 'Maximum'), Math.max(...latencies));
    for (const p of [50, 90, 95, 99]) {
      const exact = nearestRank(latencies, p);
      const got = stat('AWS/ApiGateway', 'Latency', api, `p${p}`);
      assert.ok(
        got >= exact - 0.0005 && got <= exact * (1 + PERCENTILE_RELATIVE_ERROR) + 0.001,
        `Latency p${p}: ${got} vs ${exact}`,
      );
    }

    const orders = reports.filter((r) => r.functionName === 'orders');
    assert.equal(orders.length, 40);
    const durations = orders.map((r) => r.durationMs);
    const fn = { FunctionName: 'orders' };
    assert.equal(stat('AWS/Lambda', 'Invocations', fn, 'Sum'), 40);
    assert.equal(stat('AWS/Lambda', 'Errors', fn, 'Sum'), 0);
    assert.equal(stat('AWS/Lambda', 'ColdStarts', fn, 'Sum'), orders.filter((r) => r.coldStart).length);
    assert.equal(stat('AWS/Lambda', 'Duration', fn, 'Maximum'), Math.max(...durations));
    const p95 = stat('AWS/Lambda', 'Duration', fn, 'p95');
    const exact = nearestRank(durations, 95);
    assert.ok(
      p95 >= exact - 0.0005 && p95 <= exact * (1 + PERCENTILE_RELATIVE_ERROR) + 0.001,
      `Duration p95 ${p95} vs ${exact}`,
    );
    assert.equal(stat('AWS/Lambda', 'Invocations', {}, 'Sum'), 50, 'all functions');
    assert.ok(stat('AWS/Lambda', 'ConcurrentExecutions', fn, 'Maximum') >= 1);

    // Logs: an access log line per request; START, Powertools JSON, END, REPORT per invocation.
    assert.equal(telemetry.logs.query({ sources: ['access'], limit: 1000 }).length, 55);
    const ordersLogs = telemetry.logs.query({ functionName: 'orders', limit: 1000 });
    for (const kind of ['start', 'end', 'report']) {
      assert.equal(ordersLogs.filter((e) => e.kind === kind).length, 40, kind);
    }
    const structured = telemetry.logs.query({
      functionName: 'orders',
      filter: '{ $.message = "order read" }',
      limit: 1000,
    });
    assert.equal(structured.length, 40);
    assert.deepEqual(
      structured.map((e) => e.json?.orderId).sort((a, b) => Number(a) - Number(b)),
      Array.from({ length: 40 }, (_, i) => String(i)),
    );
    assert.equal(structured[0].json?.service, 'orders');

    // Cost: the meter's figures from the counts above and the REPORT lines' billed durations.
    const report = stack.cost.report();
    const item = (name: string) => report.soFar.items.find((i) => i.item === name)!;
    assert.equal(item('HTTP API requests').quantity, 55);
    assert.equal(item('requests (x86_64)').quantity, 40);
    assert.equal(item('requests (arm64)').quantity, 10);
    const gbSeconds = orders.reduce((n, r) => n + (r.billedDurationMs / 1000) * (256 / 1024), 0);
    assert.ok(Math.abs(item('duration (x86_64)').quantity - gbSeconds) < 1e-12);
    assert.ok(Math.abs(item('duration (x86_64)').usd - gbSeconds * 0.0000166667) < 1e-12);
    const status = (await (await fetch(`${stack.consoleUrl}/api/status`)).json()) as {
      functions: { name: string; invocations: number; environments: { alive: number } }[];
    };
    assert.equal(status.functions.find((f) => f.name === 'orders')?.invocations, 40);
    assert.ok((status.functions.find((f) => f.name === 'orders')?.environments.alive ?? 0) >= 1);
  });

  test("the seed's 5xx alarm goes OK → ALARM → OK on real 500s", async () => {
    const { telemetry } = stack;
    const at = (minute: number) => clock.set(T0 + minute * MINUTE);
    const evaluate = (minute: number) => {
      clock.set(T0 + minute * MINUTE + 500);
      telemetry.tick();
      return telemetry.alarms.describe().find((a) => a.alarmName === '5xx')!.state;
    };
    // Minute 0 holds the traffic of the previous test (no 5xx).
    assert.equal(evaluate(1), 'OK');
    at(1);
    assert.deepEqual(
      new Set(await send(Array.from({ length: 15 }, (_, i) => `/orders?id=${i}&fail=1`))),
      new Set([500]),
    );
    assert.equal(evaluate(2), 'OK', 'one breaching period of the two');
    at(2);
    await send(Array.from({ length: 12 }, (_, i) => `/orders?id=${i}&fail=1`));
    assert.equal(evaluate(3), 'ALARM', '15 and 12 are both greater than 10');
    at(3);
    await send(Array.from({ length: 20 }, () => '/health'));
    assert.equal(evaluate(4), 'OK');
    assert.deepEqual(
      telemetry.alarms.history('5xx').map((t) => `${t.previousState} -> ${t.state}`),
      ['INSUFFICIENT_DATA -> OK', 'OK -> ALARM', 'ALARM -> OK'],
    );
    const errors = telemetry.getMetricData({
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: 'orders' },
      statistic: 'Sum',
      period: 60,
      startTime: T0,
      endTime: T0 + 4 * MINUTE,
    });
    assert.deepEqual(errors.values, [0, 15, 12], 'Lambda Errors per minute (no invocation in minute 3)');
  });

  test('refusals are recorded under their route: the route table counts 401 and 403 apart', async () => {
    clock.set(T0 + 10 * MINUTE);
    const before = samples.length;
    const [reader, writer] = await Promise.all([
      localToken({ config: FIXTURE, scopes: ['orders/read'] }),
      localToken({ config: FIXTURE, scopes: ['orders/write'] }),
    ]);
    const post = async (authorization?: string) => {
      const response = await fetch(`${stack.apiUrl}/orders`, {
        method: 'POST',
        headers: authorization === undefined ? {} : { authorization },
      });
      await response.arrayBuffer();
      return response.status;
    };
    const statuses = [
      await post(),
      await post('Bearer not-a-token'),
      await post(`Bearer ${writer.slice(0, -4)}AAAA`),
      await post(`Bearer ${reader}`),
      await post(reader),
      await post(`Bearer ${writer}`),
    ];
    assert.deepEqual(statuses, [401, 401, 401, 403, 403, 200]);
    // The samples carry the route (matched before the authorizer runs) and the status the client got.
    assert.deepEqual(
      samples.slice(before).map((s) => [s.routeKey, s.status, s.functionName ?? null]),
      [
        ['POST /orders', 401, null],
        ['POST /orders', 401, null],
        ['POST /orders', 401, null],
        ['POST /orders', 403, null],
        ['POST /orders', 403, null],
        ['POST /orders', 200, 'orders'],
      ],
    );
    const rows = (await (await fetch(`${stack.consoleUrl}/api/routes`)).json()) as RouteRow[];
    const row = rows.find((r) => r.routeKey === 'POST /orders')!;
    assert.deepEqual(
      [row.requests, row.clientErrors, row.unauthorized, row.forbidden, row.serverErrors],
      [6, 5, 3, 2, 0],
    );
    const reads = rows.find((r) => r.routeKey === 'GET /orders')!;
    assert.deepEqual([reads.unauthorized, reads.forbidden], [0, 0], 'other routes count none');
  });
});
