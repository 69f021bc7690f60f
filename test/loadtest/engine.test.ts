import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { runLoadTest } from '../../src/loadtest/index.ts';
import { json, startServer, type TestServer } from './helpers.ts';

// One server for the suite: /ok answers 200 JSON, /fail 503, /slow after 30 ms, /vu/N records VU ids.
let server: TestServer;
before(async () => {
  server = await startServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/fail')) return json(res, 503, { message: 'Service Unavailable' });
    if (path.startsWith('/slow')) return void setTimeout(() => json(res, 200, { slow: true }), 30);
    if (path === '/alpha') return json(res, 200, { word: 'alpha' });
    if (path === '/beta') return json(res, 200, { word: 'beta' });
    json(res, 200, { ok: true });
  });
});
after(() => server.close());

function hitsMatching(prefix: string): number {
  let n = 0;
  for (const [key, count] of server.hits) if (key.startsWith(prefix)) n += count;
  return n;
}

describe('constant-vus', () => {
  test('thresholds that must pass pass: exit code 0, every request counted on both sides', async () => {
    const before = hitsMatching('GET /ok');
    const bytesBefore = server.bytes();
    const result = await runLoadTest(
      {
        options: {
          vus: 4,
          duration: '1500ms',
          thresholds: {
            http_req_duration: ['p(95)<10000'],
            http_req_failed: ['rate<0.01'],
            checks: ['rate>0.99'],
          },
        },
        steps: [
          { path: '/ok', checks: { 'status is 200': { status: 200 }, 'says ok': { bodyIncludes: '"ok":true' } } },
        ],
      },
      { baseUrl: server.url, workers: 1 },
    );
    const count = result.metrics.http_reqs.values.count;
    assert.ok(count > 0);
    assert.equal(result.exitCode, 0);
    assert.equal(result.passed, true);
    assert.deepEqual(
      result.thresholds.map((t) => [t.threshold.key, t.threshold.source, t.ok]),
      [
        ['http_req_duration', 'p(95)<10000', true],
        ['http_req_failed', 'rate<0.01', true],
        ['checks', 'rate>0.99', true],
      ],
    );
    assert.equal(hitsMatching('GET /ok') - before, count, 'the server saw exactly the requests counted');
    assert.equal(result.metrics.iterations.values.count, count, 'one request per iteration');
    assert.deepEqual(result.checks, [
      { name: 'status is 200', passes: count, fails: 0 },
      { name: 'says ok', passes: count, fails: 0 },
    ]);
    assert.deepEqual(result.metrics.http_req_failed.values, { rate: 0, passes: 0, fails: count });
    assert.deepEqual(result.statuses, { 200: count });
    assert.equal(result.metrics.vus_max.values.value, 4);
    const bytes = server.bytes();
    assert.equal(
      result.metrics.data_sent.values.count,
      bytes.read - bytesBefore.read,
      'data_sent = bytes the server read',
    );
    assert.equal(result.metrics.data_received.values.count, bytes.written - bytesBefore.written);
  });

  test('a threshold that must fail exits 99 and reports the actual value', async () => {
    const result = await runLoadTest(
      {
        options: { vus: 2, duration: '1s', thresholds: { http_req_failed: ['rate<0.01'] } },
        steps: [{ path: '/fail' }],
      },
      { baseUrl: server.url, workers: 1 },
    );
    const count = result.metrics.http_reqs.values.count;
    assert.equal(result.exitCode, 99);
    assert.equal(result.passed, false);
    assert.equal(result.thresholds[0].ok, false);
    assert.equal(result.thresholds[0].actual, 1);
    assert.deepEqual(result.statuses, { 503: count });
    assert.deepEqual(result.metrics.http_req_failed.values, { rate: 1, passes: count, fails: 0 });
  });

  test('spreads VUs over worker threads with unique __VU ids', async () => {
    const before = new Map(server.hits);
    const result = await runLoadTest(
      { options: { vus: 4, duration: '1s' }, steps: [{ path: '/vu/{{vu}}', name: 'vu' }] },
      { baseUrl: server.url, workers: 2 },
    );
    const seen = [...server.hits]
      .filter(([k, n]) => k.startsWith('GET /vu/') && n > (before.get(k) ?? 0))
      .map(([k]) => k);
    assert.deepEqual(seen.sort(), ['GET /vu/1', 'GET /vu/2', 'GET /vu/3', 'GET /vu/4']);
    assert.equal(result.metrics['http_req_duration{expected_response:true}'].values.avg > 0, true);
    assert.equal(result.plan.scenarios[0].executor.type, 'constant-vus');
  });
});

describe('tags, checks and sub-metrics', () => {
  test('tag-filtered thresholds and body checks count per step', async () => {
    const result = await runLoadTest(
      {
        options: {
          vus: 2,
          duration: '1s',
          thresholds: {
            'http_req_duration{name:slow}': ['min>=29'],
            'http_reqs{name:alpha}': ['count>0'],
            'checks{check:is alpha}': ['rate>0.4', 'rate<0.6'],
            'http_req_duration{name:nothing}': ['p(95)<100'],
          },
        },
        steps: [
          { path: '/alpha', name: 'alpha', checks: { 'is alpha': { bodyIncludes: 'alpha' } } },
          { path: '/beta', name: 'beta', checks: { 'is alpha': { bodyIncludes: 'alpha' } } },
          { path: '/slow', name: 'slow', tags: { kind: 'slow' } },
        ],
      },
      { baseUrl: server.url, workers: 1 },
    );
    const iterations = result.metrics.iterations.values.count;
    const interrupted = result.scenarios[0].interrupted;
    assert.equal(interrupted, 0);
    assert.equal(result.metrics['http_reqs{name:alpha}'].values.count, iterations);
    assert.ok(
      result.metrics['http_req_duration{name:slow}'].values.min >= 29,
      'setTimeout(30) bounds the latency from below (libuv rounds its clock to 1 ms)',
    );
    assert.deepEqual(result.checks, [{ name: 'is alpha', passes: iterations, fails: iterations }]);
    const outcomes = Object.fromEntries(result.thresholds.map((t) => [`${t.threshold.key} ${t.threshold.source}`, t]));
    assert.equal(outcomes['http_req_duration{name:slow} min>=29'].ok, true);
    assert.equal(outcomes['checks{check:is alpha} rate>0.4'].actual, 0.5);
    assert.equal(outcomes['checks{check:is alpha} rate<0.6'].ok, true);
    // A filter that matches nothing fails: a green threshold must have measured something.
    assert.equal(outcomes['http_req_duration{name:nothing} p(95)<100'].ok, false);
    assert.equal(outcomes['http_req_duration{name:nothing} p(95)<100'].actual, undefined);
    assert.equal(result.exitCode, 99);
  });

  test('a target that refuses connections counts failed requests with status 0 and the error code', async () => {
    const closed = await startServer(() => {});
    await closed.close();
    const result = await runLoadTest(
      { options: { vus: 1, duration: '300ms', thresholds: { http_req_failed: ['rate<0.5'] } }, steps: [{ path: '/' }] },
      { baseUrl: closed.url, workers: 1 },
    );
    const count = result.metrics.http_reqs.values.count;
    assert.ok(count > 0);
    assert.deepEqual(result.statuses, { 0: count });
    assert.deepEqual(result.errors, { ECONNREFUSED: count });
    // k6's http_req_duration is sending + waiting + receiving: none of them began.
    assert.equal(result.metrics.http_req_duration.values.max, 0);
    assert.equal(result.exitCode, 99);
  });
});

describe('http_req_duration as k6 measures it', () => {
  test('leaves out the time spent connecting: a TLS handshake held 1.5 s counts in the iteration, not in the request', async () => {
    const HANDSHAKE_HELD_MS = 1500;
    // A self-signed certificate for 127.0.0.1 made for this test (openssl req -x509); the VU skips
    // verification as k6's insecureSkipTLSVerify does.
    const fixtures = new URL('./fixtures/', import.meta.url);
    const https = createHttpsServer(
      { key: readFileSync(new URL('tls-test.key', fixtures)), cert: readFileSync(new URL('tls-test.crt', fixtures)) },
      (_req, res) => json(res, 200, { ok: true }),
    );
    // TCP connects at once; the TLS server sees the client's hello only after HANDSHAKE_HELD_MS.
    const front = createNetServer({ pauseOnConnect: true }, (socket) => {
      setTimeout(() => https.emit('connection', socket), HANDSHAKE_HELD_MS);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const { port } = front.address() as AddressInfo;
    try {
      const result = await runLoadTest(
        { options: { vus: 1, duration: '500ms' }, steps: [{ path: '/ok' }] },
        { baseUrl: `https://127.0.0.1:${port}`, workers: 1, insecure: true },
      );
      assert.deepEqual(result.statuses, { 200: 1 }, 'one request, on the connection its handshake opened');
      assert.equal(result.metrics.iterations.values.count, 1);
      const request = result.metrics.http_req_duration.values.max;
      const iteration = result.metrics.iteration_duration.values.min;
      // The server's timer runs on its loop's clock, which may lag the VU's by a little: 100 ms spare.
      const connecting = HANDSHAKE_HELD_MS - 100;
      assert.ok(iteration >= connecting, `the iteration waited for the handshake: ${iteration} ms`);
      assert.ok(request > 0, 'the request itself was timed');
      assert.ok(
        request <= iteration - connecting,
        `the request's ${request} ms leave out the ${HANDSHAKE_HELD_MS} ms of connecting in its iteration's ${iteration} ms`,
      );
    } finally {
      https.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
    }
  });
});

describe('request timeouts', () => {
  test("a request past its timeout fails with status 0 and undici's timeout code; the VU goes on", async () => {
    const hanging = await startServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      json(res, 200, { ok: true });
    });
    try {
      const result = await runLoadTest(
        {
          options: { vus: 1, duration: '700ms' },
          steps: [
            { path: '/hang', timeout: '200ms' },
            { path: '/ok', checks: { 'status is 200': { status: 200 } } },
          ],
        },
        { baseUrl: hanging.url, workers: 1 },
      );
      const timedOut = result.statuses[0];
      assert.ok(timedOut >= 1, `timed out: ${timedOut}`);
      assert.deepEqual(result.errors, { UND_ERR_HEADERS_TIMEOUT: timedOut });
      // The request after each timeout was sent and answered on a fresh connection.
      assert.ok(result.statuses[200] >= 1, JSON.stringify(result.statuses));
      assert.ok(result.metrics.http_req_duration.values.max >= 200);
    } finally {
      await hanging.close();
    }
  });
});

describe('arrival-rate executors (open model)', () => {
  // The rate it holds (within 5 % on a quiet machine) is measured by `npm run bench arrival-rate`:
  // a test asserts counts, which no machine's speed changes.
  test('constant-arrival-rate schedules rate × duration iterations: each one started or counted dropped', async () => {
    const result = await runLoadTest(
      {
        options: {
          scenarios: {
            steady: {
              executor: 'constant-arrival-rate',
              rate: 150,
              timeUnit: '1s',
              duration: '3s',
              preAllocatedVUs: 10,
              maxVUs: 50,
            },
          },
        },
        steps: [{ path: '/ok' }],
      },
      { baseUrl: server.url, workers: 1 },
    );
    const started = result.metrics.iterations.values.count;
    assert.equal(started + result.scenarios[0].dropped, 450, '150/s × 3 s, each started or dropped');
    assert.ok(started > 0);
    assert.deepEqual(result.statuses, { 200: started }, 'every started iteration made its request');
  });

  test('counts dropped iterations when the server is slower than the rate', async () => {
    // 2 VUs, each busy ≥ 30 ms per iteration: at most 2 × (1000/30 + 1) = 68 can start in 1 s, of 200.
    const result = await runLoadTest(
      {
        options: {
          scenarios: {
            flood: { executor: 'constant-arrival-rate', rate: 200, duration: '1s', preAllocatedVUs: 2, maxVUs: 2 },
          },
          thresholds: { dropped_iterations: ['count==0'] },
        },
        steps: [{ path: '/slow' }],
      },
      { baseUrl: server.url, workers: 1 },
    );
    const { completed, interrupted, dropped } = result.scenarios[0];
    assert.equal(completed + interrupted + dropped, 200, 'every scheduled iteration is accounted for');
    assert.ok(completed <= 68, `completed ${completed} ≤ 68`);
    assert.ok(dropped >= 132, `dropped ${dropped} ≥ 132`);
    assert.equal(result.metrics.dropped_iterations.values.count, dropped);
    assert.equal(result.metrics.vus_max.values.value, 2);
    assert.equal(result.exitCode, 99);
  });

  test('ramping-arrival-rate starts exactly the integral of its rate', async () => {
    // 0 → 100/s over 2 s (100 iterations), then 100/s for 1 s (100 more).
    const result = await runLoadTest(
      {
        options: {
          scenarios: {
            ramp: {
              executor: 'ramping-arrival-rate',
              startRate: 0,
              preAllocatedVUs: 5,
              maxVUs: 40,
              stages: [
                { duration: '2s', target: 100 },
                { duration: '1s', target: 100 },
              ],
            },
          },
        },
        steps: [{ path: '/ok' }],
      },
      { baseUrl: server.url, workers: 1 },
    );
    assert.equal(result.scenarios[0].completed + result.scenarios[0].dropped, 200);
    assert.equal(result.scenarios[0].dropped, 0);
  });
});

describe('ramping-vus and stopping', () => {
  test('ramps VUs up and down following its stages', async () => {
    const before = new Map(server.hits);
    const result = await runLoadTest(
      {
        options: {
          stages: [
            { duration: '500ms', target: 3 },
            { duration: '700ms', target: 3 },
            { duration: '300ms', target: 0 },
          ],
        },
        steps: [{ path: '/ramp/{{vu}}', name: 'ramp' }, { sleep: 0.05 }],
      },
      { baseUrl: server.url, workers: 1 },
    );
    const seen = [...server.hits]
      .filter(([k, n]) => k.startsWith('GET /ramp/') && n > (before.get(k) ?? 0))
      .map(([k]) => k);
    assert.deepEqual(seen.sort(), ['GET /ramp/1', 'GET /ramp/2', 'GET /ramp/3']);
    assert.equal(result.metrics.vus_max.values.value, 3);
    assert.equal(result.plan.scenarios[0].executor.type, 'ramping-vus');
    assert.ok(result.metrics.iteration_duration.values.min >= 49, 'iterations include the 50 ms sleep');
  });

  test('abortOnFail stops the run early with exit code 99', async () => {
    const result = await runLoadTest(
      {
        options: {
          vus: 2,
          duration: '60s',
          thresholds: { http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true }] },
        },
        steps: [{ path: '/fail' }, { sleep: 0.01 }],
      },
      { baseUrl: server.url, workers: 1, intervalMs: 250 },
    );
    assert.deepEqual(result.aborted, { reason: 'threshold', thresholds: ['http_req_failed: rate<0.01'] });
    assert.equal(result.exitCode, 99);
    assert.ok(result.durationMs < 60_000, 'stopped before its 60 s');
  });

  test('an aborted signal stops the run and exits 105, as k6 on Ctrl-C', async () => {
    const controller = new AbortController();
    const result = await runLoadTest(
      { options: { vus: 1, duration: '60s' }, steps: [{ path: '/ok' }, { sleep: 0.01 }] },
      {
        baseUrl: server.url,
        workers: 1,
        intervalMs: 250,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      },
    );
    assert.deepEqual(result.aborted, { reason: 'signal' });
    assert.equal(result.exitCode, 105);
    assert.ok(result.metrics.http_reqs.values.count > 0);
  });
});
