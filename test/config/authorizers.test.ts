/**
 * Authorizer settings API Gateway refuses at deploy are refused when the config loads, each problem
 * naming the field, the value and what is expected: authorization scopes anywhere but on a JWT
 * authorizer's route, identity sources outside AWS's documented forms, and a result cache with no
 * identity source to key on.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, resolveConfig } from '../../src/config/index.ts';

const fixture = fileURLToPath(new URL('../fixtures/basic/api.config.ts', import.meta.url));

const base = {
  name: 'demo',
  functions: { hello: { handler: 'src/hello.handler' }, authorize: { handler: 'src/hello.handler' } },
  authorizers: {
    users: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['app'] },
    keys: { type: 'lambda', function: 'authorize' },
  },
};

function problemsOf(raw: unknown): string[] {
  try {
    resolveConfig(raw, fixture);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('authorization scopes', () => {
  test('a JWT-authorized route takes them', () => {
    const config = resolveConfig(
      { ...base, routes: { 'POST /orders': { function: 'hello', authorizer: 'users', scopes: ['orders/write'] } } },
      fixture,
    );
    assert.deepEqual(config.routes[0].scopes, ['orders/write']);
  });

  test('a Lambda-authorized route is refused, naming the route, the scopes and the authorizer', () => {
    assert.deepEqual(
      problemsOf({
        ...base,
        routes: { 'GET /a': { function: 'hello', authorizer: 'keys', scopes: ['orders/read'] } },
      }),
      [
        'routes["GET /a"].scopes: ["orders/read"] with the Lambda authorizer "keys": API Gateway takes authorization scopes only with JWT authorizers (a Lambda authorizer\'s function decides what a caller may do); remove scopes, or check them in the authorizer\'s function',
      ],
    );
  });

  test('a route without an authorizer is refused, HTTP integrations too', () => {
    const problems = problemsOf({
      ...base,
      routes: {
        'GET /a': { function: 'hello', scopes: ['orders/read'] },
        'GET /b': { http: 'https://example.com/b', scopes: ['b'] },
      },
    });
    assert.equal(problems.length, 2);
    assert.match(
      problems[0],
      /^routes\["GET \/a"\]\.scopes: \["orders\/read"\] on a route without an authorizer: .*JWT authorizer/,
    );
    assert.match(problems[1], /^routes\["GET \/b"\]\.scopes: \["b"\] on a route without an authorizer/);
  });

  test('an empty list is no scopes, allowed anywhere', () => {
    const config = resolveConfig(
      { ...base, routes: { 'GET /a': { function: 'hello', authorizer: 'keys', scopes: [] } } },
      fixture,
    );
    assert.deepEqual(config.routes[0].scopes, []);
  });
});

describe('identity sources', () => {
  const routes = { 'GET /a': 'hello' };

  test("AWS's documented forms are accepted", () => {
    const config = resolveConfig(
      {
        ...base,
        authorizers: {
          users: { ...base.authorizers.users, identitySource: '$request.querystring.access_token' },
          keys: {
            type: 'lambda',
            function: 'authorize',
            identitySource: [
              '$request.header.X-Api-Key',
              '$request.querystring.key',
              '$context.routeKey',
              '$stageVariables.tier',
            ],
            resultTtlSeconds: 300,
          },
        },
        routes,
      },
      fixture,
    );
    assert.equal(Object.keys(config.authorizers).length, 2);
  });

  test('a JWT authorizer reads only a header or a query parameter', () => {
    assert.deepEqual(
      problemsOf({
        ...base,
        authorizers: { users: { ...base.authorizers.users, identitySource: '$context.routeKey' } },
        routes,
      }),
      [
        'authorizers.users.identitySource: "$context.routeKey" is not an identity source a JWT authorizer can read: expected $request.header.NAME or $request.querystring.NAME (e.g. "$request.header.Authorization")',
      ],
    );
  });

  test('a Lambda authorizer source outside the four forms is named with its index and value', () => {
    const problems = problemsOf({
      ...base,
      authorizers: {
        keys: {
          type: 'lambda',
          function: 'authorize',
          identitySource: ['$request.header.Authorization', '$request.body.token', 'Authorization', '$context.'],
        },
      },
      routes,
    });
    const expected =
      'is not an identity source: expected $request.header.NAME, $request.querystring.NAME, $context.NAME or $stageVariables.NAME (e.g. "$request.header.Authorization")';
    assert.deepEqual(problems, [
      `authorizers.keys.identitySource[1]: "$request.body.token" ${expected}`,
      `authorizers.keys.identitySource[2]: "Authorization" ${expected}`,
      `authorizers.keys.identitySource[3]: "$context." ${expected}`,
    ]);
  });

  test('a result cache needs an identity source to key on', () => {
    assert.deepEqual(
      problemsOf({
        ...base,
        authorizers: { keys: { type: 'lambda', function: 'authorize', identitySource: [], resultTtlSeconds: 300 } },
        routes,
      }),
      [
        'authorizers.keys.identitySource: [] with resultTtlSeconds 300: caching needs at least one identity source (its cache key); add one, or set resultTtlSeconds: 0',
      ],
    );
    const uncached = resolveConfig(
      { ...base, authorizers: { keys: { type: 'lambda', function: 'authorize', identitySource: [] } }, routes },
      fixture,
    );
    assert.deepEqual(uncached.authorizers.keys, { type: 'lambda', function: 'authorize', identitySource: [] });
  });
});
