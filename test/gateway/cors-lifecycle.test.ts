/**
 * CORS, hot reload, shutdown and unenforced-feature warnings, through real HTTP on loopback.
 */
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { unenforcedFeatures } from '../../src/gateway/index.ts';
import type { InvokeOutcome } from '../../src/runtime/types.ts';
import {
  configOf,
  headerNames,
  type RunningGateway,
  send,
  startGateway,
  success,
  TestInvoker,
  waitFor,
} from './helpers.ts';

describe('CORS through the gateway', { timeout: 60_000 }, () => {
  let gw: RunningGateway;
  const origin = 'https://app.test';
  before(async () => {
    const config = configOf({
      cors: { allowOrigins: [origin], allowMethods: ['GET', 'POST'], allowHeaders: ['content-type'], maxAge: 300 },
      routes: { 'GET /items': 'hello', 'OPTIONS /custom': 'hello' },
    });
    gw = await startGateway(
      config,
      new TestInvoker(() =>
        success({
          statusCode: 200,
          headers: { 'access-control-allow-origin': '*', 'Access-Control-Max-Age': '1', 'x-a': '1' },
          body: 'ok',
        }),
      ),
    );
  });
  after(() => gw.close());

  const preflight = (path: string, from: string) =>
    send(gw.port, { method: 'OPTIONS', path, headers: { origin: from, 'access-control-request-method': 'POST' } });

  test('a preflight no route takes is answered 204 with the configured headers', async () => {
    const calls = gw.invoker.calls.length;
    const reply = await preflight('/items', origin);
    assert.equal(reply.status, 204);
    assert.equal(reply.body.length, 0);
    assert.deepEqual(headerNames(reply).sort(), [
      'access-control-allow-headers',
      'access-control-allow-methods',
      'access-control-allow-origin',
      'access-control-max-age',
      'apigw-requestid',
      'connection',
      'date',
    ]);
    assert.equal(reply.headers['access-control-allow-origin'], origin);
    assert.equal(reply.headers['access-control-allow-methods'], 'GET,POST');
    assert.equal(reply.headers['access-control-allow-headers'], 'content-type');
    assert.equal(reply.headers['access-control-max-age'], '300');
    assert.equal(gw.invoker.calls.length, calls);
    assert.equal(gw.samples.at(-1)!.status, 204);
    assert.equal(gw.samples.at(-1)!.routeKey, '-');
  });

  test('a preflight from a disallowed origin gets no CORS headers', async () => {
    const reply = await preflight('/items', 'https://evil.test');
    assert.equal(reply.status, 204);
    assert.deepEqual(headerNames(reply).sort(), ['apigw-requestid', 'connection', 'date']);
  });

  test('OPTIONS without Access-Control-Request-Method is not a preflight: 404', async () => {
    const reply = await send(gw.port, { method: 'OPTIONS', path: '/items', headers: { origin } });
    assert.equal(reply.status, 404);
  });

  test('a route that matches OPTIONS receives the preflight', async () => {
    const calls = gw.invoker.calls.length;
    const reply = await preflight('/custom', origin);
    assert.equal(reply.status, 200);
    assert.equal(gw.invoker.calls.length, calls + 1);
    assert.equal(reply.headers['access-control-allow-origin'], origin);
    assert.equal(reply.headers['access-control-max-age'], undefined, "the integration's CORS headers are dropped");
  });

  test("configured headers replace the integration's on an allowed origin", async () => {
    const reply = await send(gw.port, { path: '/items', headers: { origin } });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['access-control-allow-origin'], origin);
    assert.equal(reply.headers['access-control-max-age'], undefined);
    assert.equal(reply.headers['x-a'], '1');
    assert.equal(reply.rawHeaders.filter((h) => h.toLowerCase() === 'access-control-allow-origin').length, 1);
  });

  test('a disallowed origin or no origin: no CORS headers at all', async () => {
    for (const headers of [{ origin: 'https://evil.test' }, {}] as Record<string, string>[]) {
      const reply = await send(gw.port, { path: '/items', headers });
      assert.equal(reply.status, 200);
      assert.deepEqual(
        headerNames(reply).filter((h) => h.startsWith('access-control-')),
        [],
      );
    }
  });

  test("API Gateway's own answers carry the CORS headers too", async () => {
    const reply = await send(gw.port, { path: '/missing', headers: { origin } });
    assert.equal(reply.status, 404);
    assert.equal(reply.headers['access-control-allow-origin'], origin);
  });
});

describe('a $default route receives preflights', { timeout: 60_000 }, () => {
  test('no gateway answer when $default exists', async () => {
    const gw = await startGateway(configOf({ cors: { allowOrigins: ['*'] }, routes: { $default: 'hello' } }));
    try {
      const reply = await send(gw.port, {
        method: 'OPTIONS',
        path: '/anything',
        headers: { origin: 'https://x.test', 'access-control-request-method': 'GET' },
      });
      assert.equal(reply.status, 200);
      assert.equal(gw.invoker.calls.length, 1);
      assert.equal(gw.invoker.calls[0].event.routeKey, '$default');
      assert.equal(reply.headers['access-control-allow-origin'], '*');
    } finally {
      await gw.close();
    }
  });
});

describe('hot reload and shutdown', { timeout: 60_000 }, () => {
  test('reload swaps routes without dropping a keep-alive connection', async () => {
    const gw = await startGateway(configOf({ routes: { 'GET /a': 'hello' } }));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal((await send(gw.port, { path: '/a', agent })).status, 200);
      gw.gateway.reload(configOf({ routes: { 'GET /b': 'hello' }, cors: { allowOrigins: ['*'] } }));
      const b = await send(gw.port, { path: '/b', agent, headers: { origin: 'https://o.test' } });
      assert.equal(b.status, 200);
      assert.equal(b.reused, true, 'same connection');
      assert.equal(b.headers['access-control-allow-origin'], '*', 'new CORS settings apply');
      const a = await send(gw.port, { path: '/a', agent });
      assert.equal(a.status, 404);
      assert.equal(a.reused, true);
    } finally {
      agent.destroy();
      await gw.close();
    }
  });

  test('close() lets an in-flight request finish, then stops', async () => {
    let release: (outcome: InvokeOutcome) => void = () => {};
    const invoker = new TestInvoker(() => new Promise<InvokeOutcome>((resolve) => (release = resolve)));
    const gw = await startGateway(configOf({ routes: { 'GET /wait': 'hello' } }), invoker);
    const pending = send(gw.port, { path: '/wait' });
    await waitFor(() => invoker.calls.length === 1, 'the invocation');
    let closed = false;
    const closing = gw.close().then(() => {
      closed = true;
    });
    // Once new connections are refused, close() has done all it can before the request ends (an event,
    // not a sleep): it must still be waiting, since the invocation has not been released.
    await assert.rejects(send(gw.port, { path: '/wait' }), /ECONNREFUSED/);
    assert.equal(closed, false, 'close() waits for the in-flight request');
    release({ status: 'success', payload: JSON.stringify({ statusCode: 200, body: 'late' }) });
    const reply = await pending;
    assert.equal(reply.status, 200);
    assert.equal(reply.text, 'late');
    assert.equal(reply.headers.connection, 'close');
    await closing;
    assert.equal(closed, true);
    await assert.rejects(send(gw.port, { path: '/wait' }), /ECONNREFUSED/);
  });

  test('close() closes idle keep-alive connections right away', async () => {
    const gw = await startGateway(configOf({ routes: { 'GET /a': 'hello' } }));
    const agent = new Agent({ keepAlive: true });
    try {
      assert.equal((await send(gw.port, { path: '/a', agent })).status, 200);
      const started = Date.now();
      await gw.close();
      assert.ok(Date.now() - started < 5_000, 'did not wait for the 30 s keep-alive timeout');
    } finally {
      agent.destroy();
    }
  });
});

describe('unenforcedFeatures', () => {
  test('a custom domain and a second region are announced; authorizers, enforced, are not', () => {
    const config = configOf({
      authorizers: {
        users: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['client'] },
        admins: { type: 'lambda', function: 'hello' },
      },
      domain: { name: 'api.example.com', hostedZoneId: 'Z0123456789ABC' },
      regions: { primary: 'eu-west-1', secondary: 'eu-central-1' },
      stage: { name: '$default', throttle: { rateLimit: 10, burstLimit: 5 } },
      routes: {
        'POST /orders': { function: 'hello', authorizer: 'users', scopes: ['orders/write'] },
        'GET /orders': { function: 'hello', authorizer: 'users' },
        'GET /health': 'hello',
      },
    });
    assert.deepEqual(unenforcedFeatures(config), [
      'domain "api.example.com" is NOT served by gantry dev: requests use the local address, and events carry the execute-api domain name, as when the API is called without its custom domain',
    ]);
  });

  test('a Lambda authorizer identity source naming a $context variable gantry dev lacks is announced', () => {
    const config = configOf({
      authorizers: {
        keys: {
          type: 'lambda',
          function: 'hello',
          identitySource: ['$context.routeKey', '$context.identity.sourceIp', '$context.customDomain.basePathMatched'],
        },
      },
      routes: { 'GET /a': { function: 'hello', authorizer: 'keys' } },
    });
    const warnings = unenforcedFeatures(config);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0],
      /^authorizers\.keys\.identitySource "\$context\.customDomain\.basePathMatched" is never present under gantry dev \(it provides \$context\.routeKey, .*\): every request to its routes is refused with 401 locally$/,
    );
  });

  test('nothing to say about a config gantry dev fully serves (throttling and CORS are enforced)', () => {
    const config = configOf({
      cors: { allowOrigins: ['*'] },
      stage: { name: 'dev', throttle: { rateLimit: 1, burstLimit: 1 } },
      routes: { 'GET /a': { function: 'hello', throttle: { rateLimit: 5, burstLimit: 5 } } },
    });
    assert.deepEqual(unenforcedFeatures(config), []);
  });
});
