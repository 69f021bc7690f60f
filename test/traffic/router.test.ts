/**
 * The router, its health checks and the global endpoint against real HTTP servers on loopback.
 * Timing is asserted in probes (sequence numbers), never in wall-clock time.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, it } from 'node:test';
import {
  createGlobalEndpoint,
  EndpointRouter,
  type HealthChange,
  type RoutingPolicy,
} from '../../src/traffic/index.ts';
import { startBackend } from './backends.ts';

const settings = { path: '/health', intervalMs: 50, timeoutMs: 500, failureThreshold: 2 };

function nextChange(router: EndpointRouter, endpoint: string, healthy: boolean): Promise<HealthChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no health change of ${endpoint} to ${healthy} within 10 s`)),
      10_000,
    );
    const off = router.checker!.onChange((change) => {
      if (change.endpoint !== endpoint || change.healthy !== healthy) return;
      clearTimeout(timer);
      off();
      resolve(change);
    });
  });
}

function call(port: number, path = '/', init: { method?: string; headers?: [string, string][]; body?: string } = {}) {
  return new Promise<{ status: number; rawHeaders: string[]; body: string } | { error: string }>((resolve) => {
    const req = request({ port, host: '127.0.0.1', path, method: init.method ?? 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', (e) => resolve({ error: e.message }));
    });
    for (const [k, v] of init.headers ?? []) req.appendHeader(k, v);
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(init.body);
  });
}

async function setUp(policy: RoutingPolicy, extra: Partial<typeof settings> = {}) {
  const a = await startBackend('us-east-1');
  const b = await startBackend('us-west-2');
  const router = new EndpointRouter({
    endpoints: [
      { id: a.id, url: a.url },
      { id: b.id, url: b.url },
    ],
    policy,
    healthCheck: { ...settings, ...extra },
  });
  const global = createGlobalEndpoint({ router });
  const { port } = await global.listen(0);
  router.start();
  const close = async () => {
    await router.stop();
    await global.close();
    await a.close();
    await b.close();
  };
  return { a, b, router, global, port, close };
}

const servedBy = (r: Awaited<ReturnType<typeof call>>) =>
  'body' in r ? (JSON.parse(r.body) as { id: string }).id : r.error;

describe('failover routing through the global endpoint', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => Promise.all(closers.map((c) => c())));

  it('fails over after failureThreshold failed probes, and fails back after as many passing ones', async () => {
    const t = await setUp({ type: 'failover' });
    closers.push(t.close);
    assert.equal(servedBy(await call(t.port)), 'us-east-1');

    const probesBefore = t.router.checker!.status().find((s) => s.endpoint === 'us-east-1')!.probes;
    const unhealthy = nextChange(t.router, 'us-east-1', false);
    await t.a.down();
    const change = await unhealthy;
    // Detection: `threshold` failed probes, plus at most the one already in flight when it went down.
    assert.ok(
      change.sequence - probesBefore <= settings.failureThreshold + 1,
      `flipped at probe ${change.sequence}, down after ${probesBefore}`,
    );
    assert.deepEqual(t.router.serving().serving, ['us-west-2']);
    assert.equal(servedBy(await call(t.port)), 'us-west-2');

    const healthy = nextChange(t.router, 'us-east-1', true);
    await t.a.up();
    await healthy;
    assert.equal(servedBy(await call(t.port)), 'us-east-1');
    const snapshot = t.router.snapshot();
    assert.equal(snapshot.policy, 'failover');
    assert.ok(snapshot.endpoints.every((e) => e.healthy));
  });

  it('answers from the primary when both are unhealthy (Route 53)', async () => {
    const t = await setUp({ type: 'failover' });
    closers.push(t.close);
    const both = Promise.all([nextChange(t.router, 'us-east-1', false), nextChange(t.router, 'us-west-2', false)]);
    t.a.healthStatus = 503;
    t.b.healthStatus = 500;
    const [first] = await both;
    assert.match(t.router.checker!.status()[0].last?.reason ?? '', /status 50[03]/);
    assert.ok(first.sequence >= settings.failureThreshold);
    assert.deepEqual(t.router.serving(), { ...t.router.serving(), serving: ['us-east-1'], lastResort: true });
    assert.equal(servedBy(await call(t.port)), 'us-east-1');
  });

  it('reports a request to an unreachable endpoint as a reset connection', async () => {
    const t = await setUp({ type: 'failover' }, { intervalMs: 60_000 });
    closers.push(t.close);
    await t.a.down();
    const outcome = await call(t.port);
    assert.ok('error' in outcome, `expected a connection error, got ${JSON.stringify(outcome)}`);
    assert.equal(t.global.failures, 1);
  });
});

describe('weighted routing', () => {
  it('splits 400 requests 3:1 within statistical tolerance', async () => {
    const t = await setUp({ type: 'weighted', weights: { 'us-east-1': 3, 'us-west-2': 1 } });
    try {
      const answers = [];
      for (let i = 0; i < 400; i++) answers.push(servedBy(await call(t.port)));
      const east = answers.filter((id) => id === 'us-east-1').length;
      assert.equal(answers.filter((id) => id === 'us-west-2').length, 400 - east);
      // Binomial(400, 0.75): mean 300, sd 8.7; ±5 sd.
      assert.ok(Math.abs(east - 300) <= 43, `us-east-1 answered ${east} of 400`);
      assert.equal(t.router.snapshot().endpoints[0].answered, east);
    } finally {
      await t.close();
    }
  });
});

describe('the global endpoint forwards requests unchanged', () => {
  it('method, path, query, duplicate headers, body; duplicate response headers', async () => {
    const t = await setUp({ type: 'failover' }, { intervalMs: 60_000 });
    try {
      const outcome = await call(t.port, '/orders?x=1&x=2', {
        method: 'POST',
        headers: [
          ['x-multi', 'one'],
          ['x-multi', 'two'],
          ['content-type', 'application/json'],
        ],
        body: '{"id":"o-1"}',
      });
      assert.ok('status' in outcome);
      assert.equal(outcome.status, 200);
      const seen = t.a.last!;
      assert.equal(seen.method, 'POST');
      assert.equal(seen.url, '/orders?x=1&x=2');
      assert.equal(seen.body, '{"id":"o-1"}');
      const multi = seen.rawHeaders.filter((_, i) => i % 2 === 0 && seen.rawHeaders[i].toLowerCase() === 'x-multi');
      assert.equal(multi.length, 2);
      const cookies = outcome.rawHeaders.filter((_h, i) => i % 2 === 1 && outcome.rawHeaders[i - 1] === 'set-cookie');
      assert.deepEqual(cookies, ['a=1', 'b=2']);
    } finally {
      await t.close();
    }
  });

  it('answers with a status instead, when configured as a proxying product would', async () => {
    const a = await startBackend('only');
    const router = new EndpointRouter({ endpoints: [{ id: 'only', url: a.url }], policy: { type: 'failover' } });
    const global = createGlobalEndpoint({ router, unreachable: { status: 521 } });
    const { port } = await global.listen(0);
    await a.down();
    const outcome = await call(port);
    assert.ok('status' in outcome);
    assert.equal(outcome.status, 521);
    assert.match(outcome.body, /endpoint only unreachable/);
    await global.close();
  });
});

describe('health checks', () => {
  it('fail when the search string is missing from the body (HTTP_STR_MATCH)', async () => {
    const a = await startBackend('a');
    const router = new EndpointRouter({
      endpoints: [{ id: 'a', url: a.url }],
      policy: { type: 'failover' },
      healthCheck: { ...settings, failureThreshold: 1, searchString: 'not-there' },
    });
    const change = new Promise<HealthChange>((r) => router.checker!.onChange(r));
    router.start();
    assert.equal((await change).healthy, false);
    assert.match(router.checker!.status()[0].last!.reason!, /"not-there" not in the first 5120 bytes/);
    await router.stop();
    await a.close();
  });

  it('latency routing follows the measured round trip unless one is given', async () => {
    const t = await setUp({ type: 'latency', latencyMs: { 'us-west-2': 0 } });
    try {
      assert.equal(servedBy(await call(t.port)), 'us-west-2');
    } finally {
      await t.close();
    }
  });
});
