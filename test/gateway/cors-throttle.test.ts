import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACCOUNT_THROTTLE, accountThrottleFor } from '../../src/aws/limits.ts';
import { compileCors, isPreflight, withoutCorsHeaders } from '../../src/gateway/cors.ts';
import { compileThrottle, TokenBucket } from '../../src/gateway/throttle.ts';
import { configOf } from './helpers.ts';

const base = { allowMethods: [], allowHeaders: [], exposeHeaders: [], allowCredentials: false, maxAge: undefined };

describe('CORS origins', () => {
  const cases: [allowOrigins: string[], origin: string | undefined, allowed: string | undefined][] = [
    [['https://app.example.com'], 'https://app.example.com', 'https://app.example.com'],
    [['https://app.example.com'], 'https://APP.example.com', 'https://APP.example.com'],
    [['https://app.example.com'], 'https://app.example.com:8443', undefined],
    [['https://app.example.com'], 'http://app.example.com', undefined],
    [['https://app.example.com'], 'https://evil.example.com', undefined],
    [['https://app.example.com'], undefined, undefined],
    [['https://app.example.com'], '', undefined],
    [['*'], 'https://anything.test', '*'],
    [['*'], undefined, undefined],
    [['https://*'], 'https://any.example.org', 'https://any.example.org'],
    [['https://*'], 'http://any.example.org', undefined],
    [['https://*'], 'https://', undefined],
    [['http://*', 'https://b.test'], 'http://localhost:5173', 'http://localhost:5173'],
    [['http://*', 'https://b.test'], 'https://b.test', 'https://b.test'],
    [['http://*', 'https://b.test'], 'https://c.test', undefined],
  ];
  for (const [allowOrigins, origin, allowed] of cases) {
    test(`${allowOrigins.join(' ')} with Origin ${JSON.stringify(origin)} → ${allowed ?? 'no CORS headers'}`, () => {
      assert.equal(compileCors({ ...base, allowOrigins })?.allowOrigin(origin), allowed);
    });
  }
});

describe('CORS headers', () => {
  const cors = compileCors({
    allowOrigins: ['https://app.example.com'],
    allowMethods: ['GET', 'POST', 'ANY'],
    allowHeaders: ['content-type', 'authorization'],
    exposeHeaders: ['x-request-id', 'date'],
    maxAge: 600,
    allowCredentials: true,
  })!;

  test('a preflight answer carries origin, credentials, methods, headers and max-age', () => {
    assert.deepEqual(cors.preflightHeaders('https://app.example.com'), [
      'access-control-allow-origin',
      'https://app.example.com',
      'access-control-allow-credentials',
      'true',
      'access-control-allow-methods',
      'GET,POST,*',
      'access-control-allow-headers',
      'content-type,authorization',
      'access-control-max-age',
      '600',
    ]);
  });

  test('an actual response carries origin, credentials and exposed headers', () => {
    const headers = ['content-type', 'text/plain'];
    cors.addResponseHeaders(headers, 'https://app.example.com');
    assert.deepEqual(headers, [
      'content-type',
      'text/plain',
      'access-control-allow-origin',
      'https://app.example.com',
      'access-control-allow-credentials',
      'true',
      'access-control-expose-headers',
      'x-request-id,date',
    ]);
  });

  test('a minimal configuration sends only the origin', () => {
    const minimal = compileCors({ ...base, allowOrigins: ['*'] })!;
    assert.deepEqual(minimal.preflightHeaders('*'), ['access-control-allow-origin', '*']);
    const headers: string[] = [];
    minimal.addResponseHeaders(headers, '*');
    assert.deepEqual(headers, ['access-control-allow-origin', '*']);
  });

  test('no configuration, no CORS', () => assert.equal(compileCors(undefined), undefined));

  test("the integration's own CORS headers are removed", () => {
    const original = ['access-control-allow-origin', '*', 'x-a', '1', 'Access-Control-Max-Age'.toLowerCase(), '5'];
    assert.deepEqual(withoutCorsHeaders(original), ['x-a', '1']);
    const untouched = ['x-a', '1'];
    assert.equal(withoutCorsHeaders(untouched), untouched);
  });

  const preflights: [method: string, origin: unknown, requestMethod: unknown, expected: boolean][] = [
    ['OPTIONS', 'https://a.test', 'POST', true],
    ['OPTIONS', 'https://a.test', undefined, false],
    ['OPTIONS', undefined, 'POST', false],
    ['GET', 'https://a.test', 'POST', false],
  ];
  for (const [method, origin, requestMethod, expected] of preflights) {
    test(`isPreflight(${method}, ${origin}, ${requestMethod}) = ${expected}`, () => {
      assert.equal(isPreflight(method, origin, requestMethod), expected);
    });
  }
});

describe('token buckets', () => {
  test('a bucket starts full, refuses when empty and refills at the rate', () => {
    const bucket = new TokenBucket(2, 3, 0);
    assert.deepEqual(
      [bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)],
      [true, true, true, false],
      'burst of 3',
    );
    assert.equal(bucket.take(499), false, '0.998 tokens after 499 ms at 2 rps');
    assert.equal(bucket.take(500), true, 'one token after 500 ms');
    assert.equal(bucket.take(500), false);
    assert.deepEqual(
      [bucket.take(10_000), bucket.take(10_000), bucket.take(10_000), bucket.take(10_000)],
      [true, true, true, false],
      'refill is capped at the burst',
    );
  });

  test('rate 0 / burst 0 refuses every request (the Terraform trap)', () => {
    const bucket = new TokenBucket(0, 0, 0);
    for (const t of [0, 1, 1_000, 3_600_000]) assert.equal(bucket.take(t), false);
  });

  test('burst 0 refuses even with a rate', () => {
    const bucket = new TokenBucket(100, 0, 0);
    assert.equal(bucket.take(10_000), false);
  });

  test('rate 0 with a burst lets the burst through once', () => {
    const bucket = new TokenBucket(0, 2, 0);
    assert.deepEqual([bucket.take(0), bucket.take(5_000), bucket.take(60_000)], [true, true, false]);
  });

  test('a clock that goes backwards does not mint tokens', () => {
    const bucket = new TokenBucket(1, 1, 1_000);
    assert.equal(bucket.take(1_000), true);
    assert.equal(bucket.take(0), false);
    assert.equal(bucket.take(1_500), false);
    assert.equal(bucket.take(2_000), true);
  });

  test('account quota per region', () => {
    assert.deepEqual(ACCOUNT_THROTTLE, { rateLimit: 10_000, burstLimit: 5_000 });
    assert.deepEqual(accountThrottleFor('us-east-1'), { rateLimit: 10_000, burstLimit: 5_000 });
    // The 13 regions "Amazon API Gateway quotas" names with 2,500 rps / burst 1,250.
    for (const region of [
      'af-south-1',
      'eu-south-1',
      'ap-southeast-3',
      'me-central-1',
      'ap-south-2',
      'ap-southeast-4',
      'eu-south-2',
      'eu-central-2',
      'il-central-1',
      'ca-west-1',
      'ap-southeast-5',
      'ap-southeast-7',
      'mx-central-1',
    ]) {
      assert.deepEqual(accountThrottleFor(region), { rateLimit: 2_500, burstLimit: 1_250 }, region);
    }
    for (const region of ['eu-west-1', 'ap-southeast-1', 'ap-south-1', 'eu-central-1', 'me-south-1']) {
      assert.deepEqual(accountThrottleFor(region), { rateLimit: 10_000, burstLimit: 5_000 }, region);
    }
  });
});

describe('stage, route and account throttling together', () => {
  const config = configOf({
    stage: { name: '$default', throttle: { rateLimit: 1, burstLimit: 2 } },
    routes: {
      'GET /a': 'hello',
      'GET /b': 'hello',
      'GET /open': { function: 'hello', throttle: { rateLimit: 1000, burstLimit: 1000 } },
      'GET /closed': { function: 'hello', throttle: { rateLimit: 0, burstLimit: 0 } },
    },
  });
  const [a, b, open, closed] = config.routes;

  test('each route has its own bucket sized by the stage default', () => {
    const throttle = compileThrottle(config.routes, config.stage.throttle, new TokenBucket(10_000, 5_000, 0), 0);
    assert.deepEqual([throttle.allow(a, 0), throttle.allow(a, 0), throttle.allow(a, 0)], [true, true, false]);
    assert.deepEqual([throttle.allow(b, 0), throttle.allow(b, 0), throttle.allow(b, 0)], [true, true, false]);
    assert.equal(throttle.allow(a, 1_000), true, 'one token back after a second');
  });

  test('a route override replaces the stage default', () => {
    const throttle = compileThrottle(config.routes, config.stage.throttle, new TokenBucket(10_000, 5_000, 0), 0);
    for (let i = 0; i < 50; i++) assert.equal(throttle.allow(open, 0), true);
    assert.equal(throttle.allow(closed, 0), false);
  });

  test('the account bucket applies to every request, matched or not', () => {
    const throttle = compileThrottle(config.routes, undefined, new TokenBucket(0, 3, 0), 0);
    assert.deepEqual(
      [throttle.allow(open, 0), throttle.allow(undefined, 0), throttle.allow(a, 0), throttle.allow(a, 0)],
      [true, true, true, false],
    );
  });

  test('without stage or route settings only the account limits', () => {
    const plain = configOf({ routes: { 'GET /x': 'hello' } });
    const throttle = compileThrottle(plain.routes, undefined, new TokenBucket(10_000, 5_000, 0), 0);
    for (let i = 0; i < 100; i++) assert.equal(throttle.allow(plain.routes[0], 0), true);
  });
});
