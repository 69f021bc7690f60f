import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type ApiStatus,
  createConsoleServer,
  fetchLogs,
  followLogs,
  type Overview,
  type RouteRow,
} from '../../src/console/index.ts';
import { type CostReport, createCostMeter } from '../../src/cost/index.ts';
import { type AlarmStatus, type AlarmTransition, createTelemetry, type LogEntry } from '../../src/telemetry/index.ts';
import { makeConfig, manualClock, sample } from '../telemetry/fixtures.ts';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);

/** Reads SSE events from `url` until `until` returns true or 10 s pass. */
type SseEvent = { type: string; data: unknown };

async function readEvents(url: string, until: (events: SseEvent[]) => boolean) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  const events: SseEvent[] = [];
  const response = await fetch(url, { signal: controller.signal });
  assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  let buffer = '';
  try {
    for await (const chunk of response.body!) {
      buffer += Buffer.from(chunk).toString('utf8');
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (type && data) events.push({ type, data: JSON.parse(data) });
        end = buffer.indexOf('\n\n');
      }
      if (until(events)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe('console server over real HTTP', () => {
  const config = makeConfig({
    authorizers: { users: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['a'] } },
    routes: {
      'GET /orders': 'orders',
      'POST /orders': { function: 'orders', authorizer: 'users' },
      'GET /health': 'health',
      'ANY /legacy/{proxy+}': { http: 'http://127.0.0.1:9/{proxy}' },
    },
    alarms: { '5xx': { threshold: 0, periods: 1, periodSeconds: 10 } },
  });
  const clock = manualClock(T0);
  const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
  const cost = createCostMeter({ config, telemetry });
  const server = createConsoleServer({
    config,
    telemetry,
    cost,
    snapshotIntervalMs: 100,
    status: () => ({ url: 'http://127.0.0.1:3000', environments: { orders: { alive: 3, busy: 1, idle: 2 } } }),
  });
  let base = '';

  before(async () => {
    base = (await server.listen(0, '127.0.0.1')).url;
    telemetry.recordRequest(sample(config, { latencyMs: 20 }));
    telemetry.recordRequest(sample(config, { routeKey: 'GET /health', functionName: 'health', latencyMs: 4 }));
    telemetry.recordInvocation({
      functionName: 'orders',
      requestId: 'r1',
      startTime: T0,
      durationMs: 15,
      billedDurationMs: 15,
      memorySizeMb: 256,
      maxMemoryUsedMb: 60,
      coldStart: true,
      environmentId: 'e1',
      outcome: 'success',
    });
    telemetry.recordThrottle('orders', 'reserved-concurrency');
    telemetry.recordFunctionLog({
      functionName: 'orders',
      logGroupName: '/aws/lambda/orders',
      logStreamName: '2026/11/24/[$LATEST]00000000000000000000000000000001',
      timestamp: T0,
      message: '{"level":"INFO","message":"created"}',
      requestId: 'r1',
      kind: 'app',
    });
  });
  after(async () => {
    await server.close();
    cost.close();
    telemetry.close();
  });

  test('GET /api/status has exactly the documented shape', async () => {
    const response = await fetch(`${base}/api/status`);
    assert.equal(response.status, 200);
    const status = (await response.json()) as ApiStatus;
    assert.deepEqual(status, {
      api: { name: 'orders-api', apiId: config.apiId, stage: '$default', url: 'http://127.0.0.1:3000' },
      routes: [
        { routeKey: 'GET /orders', target: 'orders', enforced: true },
        { routeKey: 'POST /orders', target: 'orders', authorizer: 'users', enforced: true },
        { routeKey: 'GET /health', target: 'health', enforced: true },
        { routeKey: 'ANY /legacy/{proxy+}', target: 'http://127.0.0.1:9/{proxy}', enforced: true },
      ],
      functions: [
        {
          name: 'orders',
          memoryMb: 256,
          timeoutSeconds: 3,
          reservedConcurrency: 5,
          provisionedConcurrency: 0,
          environments: { alive: 3, busy: 1, idle: 2 },
          invocations: 1,
          provisionedInvocations: 0,
          spilloverInvocations: 0,
          coldStarts: 1,
          throttles: 1,
          errors: 0,
        },
        {
          name: 'health',
          memoryMb: 128,
          timeoutSeconds: 3,
          reservedConcurrency: null,
          provisionedConcurrency: 0,
          environments: { alive: 0, busy: 0, idle: 0 },
          invocations: 0,
          provisionedInvocations: 0,
          spilloverInvocations: 0,
          coldStarts: 0,
          throttles: 0,
          errors: 0,
        },
      ],
      time: '2026-11-24T06:00:00.000Z',
    });
  });

  test('JSON endpoints: metrics, routes, alarms, logs, cost; errors are 400 with a message', async () => {
    const json = async <T = { message: string }>(path: string) => {
      const r = await fetch(`${base}${path}`);
      return { status: r.status, body: (await r.json()) as T };
    };
    const dims = encodeURIComponent(JSON.stringify({ ApiId: config.apiId, Stage: '$default' }));
    const metric = await json(
      `/api/metrics?namespace=AWS/ApiGateway&metricName=Count&dimensions=${dims}&statistic=Sum&period=60&start=${T0}&end=${T0 + 60_000}`,
    );
    assert.deepEqual(metric, { status: 200, body: { label: 'Count', timestamps: [T0], values: [2] } });
    const bad = await json(`/api/metrics?namespace=AWS/ApiGateway&metricName=Count&period=7`);
    assert.deepEqual(bad, {
      status: 400,
      body: { message: 'period: 7 is not valid (expected 1, 5, 10, 30 or a multiple of 60 up to 86400)' },
    });
    const routes = await json<RouteRow[]>('/api/routes');
    assert.deepEqual(
      routes.body.map((r) => [r.routeKey, r.requests, r.latencyP95, r.totalRequests]),
      [
        ['GET /orders', 1, 20, 1],
        ['POST /orders', 0, undefined, 0],
        ['GET /health', 1, 4, 1],
        ['ANY /legacy/{proxy+}', 0, undefined, 0],
      ],
    );
    const alarms = await json<{ alarms: AlarmStatus[] }>('/api/alarms');
    assert.equal(alarms.body.alarms[0].alarmName, '5xx');
    assert.equal(alarms.body.alarms[0].state, 'INSUFFICIENT_DATA');
    const logs = await json<LogEntry[]>('/api/logs?function=orders');
    assert.deepEqual(
      logs.body.map((e: LogEntry) => e.json),
      [{ level: 'INFO', message: 'created' }],
    );
    assert.equal((await json('/api/logs?source=nope')).status, 400);
    assert.equal((await json('/api/logs?filter=' + encodeURIComponent('{ bad }'))).status, 400);
    const cost = await json<CostReport>('/api/cost');
    assert.equal(cost.body.budget.monthlyUsd, 20);
    assert.deepEqual(cost.body.budget.alerts, [{ percent: 50, on: 'actual', thresholdUsd: 10, triggered: false }]);
    assert.deepEqual(await json('/nowhere'), {
      status: 404,
      body: { message: 'no console page or endpoint at /nowhere' },
    });
    assert.equal((await fetch(`${base}/api/status`, { method: 'POST' })).status, 405);
  });

  test('GET /metrics speaks the Prometheus text format and includes cost gauges', async () => {
    const response = await fetch(`${base}/metrics`);
    assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    assert.ok(
      text.includes(`aws_apigateway_count_total{api_id="${config.apiId}",stage="$default",route="GET /orders"} 1\n`),
    );
    assert.ok(text.includes('aws_lambda_throttles_total{function_name="orders"} 1\n'));
    assert.ok(text.includes('gantry_budget_monthly_usd 20\n'));
  });

  test('the page, its bundled script and its stylesheet (uPlot included)', async () => {
    const page = await fetch(`${base}/`);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await page.text(), /<script type="module" src="\/assets\/app\.js"><\/script>/);
    const script = await fetch(`${base}/assets/app.js`);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const code = await script.text();
    assert.ok(code.includes('/api/events'), 'the page code subscribes to the event stream');
    assert.ok(code.length > 30_000, 'uPlot is bundled in');
    const css = await (await fetch(`${base}/assets/app.css`)).text();
    assert.ok(css.includes('.uplot'), "uPlot's stylesheet is bundled");
    assert.ok(css.includes('.alarm[data-state=ALARM]') || css.includes('.alarm[data-state="ALARM"]'));
  });

  test('the favicon browsers ask for is served (no 404 in the console)', async () => {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const icon = await fetch(`${base}${path}`);
      assert.equal(icon.status, 200, path);
      assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
      assert.match(await icon.text(), /^<svg /);
    }
    assert.match(await (await fetch(`${base}/`)).text(), /<link rel="icon" href="\/favicon\.svg"/);
  });

  test('GET /api/events sends a snapshot at once, then snapshots and alarm transitions', async () => {
    const events = await readEvents(`${base}/api/events`, (seen) => {
      if (seen.length === 1) {
        telemetry.recordRequest(sample(config, { status: 502 }));
        clock.set(T0 + 10_000);
        telemetry.tick();
      }
      return seen.some((e) => e.type === 'alarm') && seen.filter((e) => e.type === 'snapshot').length >= 2;
    });
    const first = events[0].data as Overview;
    assert.equal(events[0].type, 'snapshot');
    assert.equal(first.api.url, 'http://127.0.0.1:3000');
    assert.equal(first.signals.requests, 2);
    assert.equal(first.signals.lambda.throttles, 1);
    assert.deepEqual(
      first.widgets.map((w) => w.id),
      [
        'requests',
        'latency',
        'errors',
        'integration-latency',
        'lambda-duration',
        'lambda-errors',
        'concurrency',
        'cold-starts',
      ],
    );
    const requests = first.widgets[0];
    assert.equal(requests.timestamps.length, 60, '300 s in 5 s periods');
    assert.equal(requests.series[0].values.at(-1), 2, 'both requests in the newest period');
    assert.deepEqual(
      first.widgets.find((w) => w.id === 'lambda-duration')!.series.map((s) => s.label),
      ['orders p95', 'health p95'],
    );
    const alarm = events.find((e) => e.type === 'alarm')!.data as AlarmTransition;
    assert.equal(alarm.alarmName, '5xx');
    assert.equal(alarm.state, 'ALARM');
    const later = events.filter((e) => e.type === 'snapshot').at(-1)!.data as Overview;
    assert.equal(later.alarms[0].state, 'ALARM');
  });

  test('gantry logs reads and follows logs through the console', async () => {
    const recent = await fetchLogs(base, { functionName: 'orders' });
    assert.deepEqual(
      recent.map((e) => e.message),
      ['{"level":"INFO","message":"created"}'],
    );
    const controller = new AbortController();
    const seen: LogEntry[] = [];
    const following = followLogs(
      base,
      { functionName: 'orders', filter: 'ERROR' },
      (entry) => {
        seen.push(entry);
        controller.abort();
      },
      controller.signal,
    );
    const log = (message: string) =>
      telemetry.recordFunctionLog({
        functionName: 'orders',
        logGroupName: '/aws/lambda/orders',
        logStreamName: 's',
        timestamp: T0 + 1,
        message,
        kind: 'app',
      });
    // The stream opens asynchronously: keep logging until the first matching line arrives (bounded).
    for (let i = 0; i < 200 && seen.length === 0; i++) {
      log('INFO skipped by the filter');
      log('ERROR wanted');
      await new Promise((r) => setTimeout(r, 25));
    }
    await following;
    assert.deepEqual(
      seen.map((e) => e.message),
      ['ERROR wanted'],
      'the first line after the filter, nothing else',
    );
  });
});
