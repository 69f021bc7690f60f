import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  consolePortFor,
  DEFAULT_CONSOLE_PORT,
  DEFAULT_DEV_PORT,
  httpOrigin,
  loadConfig,
  parseRouteKey,
  resolveConfig,
  stageBasePath,
  storePortFor,
} from '../../src/config/index.ts';

const fixture = fileURLToPath(new URL('../fixtures/basic/api.config.ts', import.meta.url));

function problemsOf(raw: unknown): string[] {
  try {
    resolveConfig(raw, fixture);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

const base = {
  name: 'demo',
  functions: { hello: { handler: 'src/hello.handler' } },
  routes: { 'GET /hello': 'hello' },
};

describe('resolveConfig', () => {
  test('applies the documented defaults', () => {
    const config = resolveConfig(base, fixture);
    assert.equal(config.stage.name, '$default');
    assert.deepEqual(config.stage.variables, {});
    assert.equal(config.functions.hello.memoryMb, 128);
    assert.equal(config.functions.hello.timeoutSeconds, 3);
    assert.equal(config.functions.hello.exportName, 'handler');
    assert.ok(config.functions.hello.modulePath.endsWith('/fixtures/basic/src/hello.ts'));
    assert.deepEqual(config.routes[0], {
      routeKey: 'GET /hello',
      method: 'GET',
      path: '/hello',
      integration: { type: 'lambda', functionName: 'hello', payloadFormatVersion: '2.0' },
      authorizer: undefined,
      scopes: [],
      throttle: undefined,
      timeoutInMillis: 30000,
    });
    assert.equal(config.alarms['5xx'].metric, '5xx');
    assert.equal(config.alarms['5xx'].threshold, 10);
    assert.equal(config.alarms['5xx'].periods, 2);
    assert.equal(config.budget.monthlyUsd, 20);
    assert.deepEqual(config.budget.alerts, [{ percent: 50, on: 'actual' }]);
    assert.equal(config.local.accountConcurrency, 1000);
    assert.match(config.apiId, /^[a-z0-9]{10}$/);
    assert.equal(resolveConfig(base, fixture).apiId, config.apiId, 'apiId is stable');
  });

  test('names an unknown function and lists the known ones', () => {
    assert.deepEqual(problemsOf({ ...base, routes: { 'GET /x': { function: 'y' } } }), [
      'routes["GET /x"].function: unknown function "y" (known: hello)',
    ]);
  });

  test('refuses misspelt fields instead of ignoring them', () => {
    const problems = problemsOf({ ...base, functions: { hello: { handler: 'src/hello.handler', memorySize: 512 } } });
    assert.deepEqual(problems, ['functions.hello: unknown field "memorySize"']);
  });

  test('reports out-of-range values with what was expected', () => {
    const problems = problemsOf({
      ...base,
      functions: { hello: { handler: 'src/hello.handler', timeoutSeconds: 901 } },
    });
    assert.deepEqual(problems, ['functions.hello.timeoutSeconds: expected at most 900 (seconds)']);
  });

  test('refuses what Lambda refuses at deploy: reserved or malformed variable names, over 4 KB of them, fractional timeouts', () => {
    const withFunction = (fn: Record<string, unknown>) =>
      problemsOf({ ...base, functions: { hello: { handler: 'src/hello.handler', ...fn } } });
    assert.deepEqual(withFunction({ timeoutSeconds: 2.5 }), [
      'functions.hello.timeoutSeconds: expected a whole number of seconds',
    ]);
    assert.deepEqual(withFunction({ environment: { AWS_REGION: 'eu-west-1', TABLE_NAME: 'orders' } }), [
      'functions.hello.environment.AWS_REGION: the name "AWS_REGION" is not valid: reserved: the Lambda runtime sets it itself',
    ]);
    const pattern =
      'expected two or more letters, digits or "_", starting with a letter (Lambda\'s pattern [a-zA-Z]([a-zA-Z0-9_])+)';
    assert.deepEqual(withFunction({ environment: { 'MY-VAR': 'x', X: '1', _PRIVATE: 'y' } }), [
      `functions.hello.environment["MY-VAR"]: the name "MY-VAR" is not valid: ${pattern}`,
      `functions.hello.environment.X: the name "X" is not valid: ${pattern}`,
      `functions.hello.environment._PRIVATE: the name "_PRIVATE" is not valid: ${pattern}`,
    ]);
    // "BIG" and 4,094 bytes: one over Lambda's 4,096.
    assert.deepEqual(withFunction({ environment: { BIG: 'x'.repeat(4094) } }), [
      "functions.hello.environment: expected at most 4 KB of variables, names and values together (Lambda's limit)",
    ]);
    // At the limit exactly, and variables Lambda lets a function set although its runtime sets them too.
    const accepted = (environment: Record<string, string>) =>
      resolveConfig({ ...base, functions: { hello: { handler: 'src/hello.handler', environment } } }, fixture).functions
        .hello.environment;
    assert.equal(accepted({ BIG: 'x'.repeat(4093) }).BIG.length, 4093);
    assert.equal(accepted({ TZ: 'Europe/Paris', LANG: 'C', NODE_OPTIONS: '--enable-source-maps' }).TZ, 'Europe/Paris');
  });

  test('reports a handler whose module does not exist', () => {
    const [problem] = problemsOf({ ...base, functions: { hello: { handler: 'src/missing.handler' } } });
    assert.match(
      problem,
      /^functions\.hello\.handler: no module for "src\/missing\.handler" \(looked for missing\.ts, missing\.mts, missing\.js, missing\.mjs/,
    );
  });

  test('resolves global secondary indexes: keys, and the projection as DynamoDB names it', () => {
    const config = resolveConfig(
      {
        ...base,
        tables: {
          orders: {
            partitionKey: 'id',
            indexes: {
              byCustomer: { partitionKey: 'customerId', sortKey: { name: 'createdAt', type: 'N' } },
              byStatus: { partitionKey: 'status', projection: 'keys' },
              byTotal: { partitionKey: 'status', sortKey: { name: 'total', type: 'N' }, projection: ['customerId'] },
            },
          },
        },
      },
      fixture,
    );
    assert.deepEqual(config.tables.orders.indexes, [
      {
        indexName: 'byCustomer',
        partitionKey: { name: 'customerId', type: 'S' },
        sortKey: { name: 'createdAt', type: 'N' },
        projection: { type: 'ALL' },
      },
      {
        indexName: 'byStatus',
        partitionKey: { name: 'status', type: 'S' },
        sortKey: undefined,
        projection: { type: 'KEYS_ONLY' },
      },
      {
        indexName: 'byTotal',
        partitionKey: { name: 'status', type: 'S' },
        sortKey: { name: 'total', type: 'N' },
        projection: { type: 'INCLUDE', nonKeyAttributes: ['customerId'] },
      },
    ]);
    assert.deepEqual(
      resolveConfig({ ...base, tables: { things: { partitionKey: 'id' } } }, fixture).tables.things.indexes,
      [],
    );
  });

  test('refuses an index whose key attribute has another type elsewhere, a bad index name or projection', () => {
    assert.deepEqual(
      problemsOf({
        ...base,
        tables: { orders: { partitionKey: 'id', indexes: { byId: { partitionKey: { name: 'id', type: 'N' } } } } },
      }),
      [
        'tables.orders.indexes.byId.partitionKey: attribute "id" is type N here but S in tables.orders.partitionKey; an attribute has one type',
      ],
    );
    const problems = problemsOf({
      ...base,
      tables: {
        orders: {
          partitionKey: 'id',
          indexes: { x: { partitionKey: 'a' }, ok1: { partitionKey: 'b', projection: 'some' } },
        },
      },
    });
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.ok(
      problems.includes(
        'tables.orders.indexes.x: the name "x" is not valid: expected a DynamoDB index name: 3 to 255 of letters, digits, "_", "-" and "."',
      ),
      problems.join('\n'),
    );
    assert.match(problems.join('\n'), /tables\.orders\.indexes\.ok1\.projection/);
  });

  test('refuses credentials with a wildcard origin', () => {
    const problems = problemsOf({ ...base, cors: { allowOrigins: ['*'], allowCredentials: true } });
    assert.match(problems[0], /^cors\.allowCredentials: cannot be true with a wildcard origin/);
  });

  test("every problem is reported at once: the schema's and the references' (not in two rounds)", () => {
    const problems = problemsOf({
      ...base,
      functions: { hello: { handler: 'src/hello.handler' }, ghost: { handler: 'src/nowhere.handler' } },
      routes: { 'GET /hello': 'hello', 'GET /typo': 'helo' },
      tables: { x: { partitionKey: 'id' } },
    });
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0], /^tables.x: the name "x" is not valid/);
    assert.ok(
      problems.some((p) => p.startsWith('functions.ghost.handler: ')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('routes["GET /typo"]') && p.includes('"helo"')),
      problems.join('\n'),
    );
  });

  test('alarms on a custom (EMF) namespace name its dimensions; AWS/ namespaces gantry does not watch are refused', () => {
    const config = resolveConfig(
      {
        ...base,
        alarms: {
          placed: { namespace: 'Shop', metric: 'OrdersPlaced', dimensions: { service: 'orders' }, threshold: 1 },
        },
      },
      fixture,
    );
    assert.equal(config.alarms.placed.namespace, 'Shop');
    assert.deepEqual(config.alarms.placed.dimensions, { service: 'orders' });
    assert.deepEqual(problemsOf({ ...base, alarms: { q: { namespace: 'AWS/SQS', threshold: 1 } } }), [
      'alarms.q.namespace: expected AWS/ApiGateway or AWS/Lambda, or a custom namespace your functions publish metrics to (1 to 255 characters, no ":", not starting with "AWS/")',
    ]);
    assert.deepEqual(problemsOf({ ...base, alarms: { '5xx': { dimensions: { ApiId: 'x' }, threshold: 1 } } }), [
      'alarms.5xx.dimensions: only for a custom namespace; AWS/ApiGateway alarms take their dimensions from the API',
    ]);
  });

  test('the error message prefixes every problem with the file name', () => {
    try {
      resolveConfig({ ...base, routes: { 'FETCH /x': 'hello' } }, fixture);
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.equal(
        (error as Error).message,
        'api.config.ts: routes["FETCH /x"]: invalid route key: unknown method "FETCH" (expected ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)',
      );
    }
  });
});

describe('parseRouteKey', () => {
  const cases: [string, ReturnType<typeof parseRouteKey>][] = [
    ['$default', { kind: 'default' }],
    ['GET /', { kind: 'route', method: 'GET', path: '/' }],
    ['ANY /files/{proxy+}', { kind: 'route', method: 'ANY', path: '/files/{proxy+}' }],
    ['GET /items/{id}/parts/{part}', { kind: 'route', method: 'GET', path: '/items/{id}/parts/{part}' }],
    ['GET /items/', { error: 'path "/items/" must not end with "/"' }],
    ['GET items', { error: 'path "items" must start with "/"' }],
    ['GET /a/{p+}/b', { error: 'greedy variable "{p+}" must be the last segment' }],
    ['GET /a/x{id}', { error: 'segment "x{id}" must be a whole path variable like {name} or {name+}' }],
    ['GET /a/{id}/{id}', { error: 'path variable "id" appears twice' }],
    ['GET', { error: 'expected "$default" or "METHOD /path" (e.g. "GET /orders/{id}")' }],
  ];
  for (const [key, expected] of cases) {
    test(`${key}`, () => assert.deepEqual(parseRouteKey(key), expected));
  }
});

describe('loadConfig', () => {
  test('loads a TypeScript config through defineApi', async () => {
    const config = await loadConfig(fixture);
    assert.equal(config.name, 'basic');
    assert.equal(config.stage.name, 'dev');
  });

  test('a missing file names the path and the flag', async () => {
    await assert.rejects(
      loadConfig('/nonexistent/api.config.ts'),
      /api\.config\.ts: file not found: \/nonexistent\/api\.config\.ts \(pass --config PATH\)/,
    );
  });

  test('a config that throws while loading is a ConfigError, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-config-'));
    const file = join(dir, 'api.config.mjs');
    writeFileSync(file, 'throw new Error("boom");\n');
    await assert.rejects(
      loadConfig(file),
      (error: unknown) => error instanceof ConfigError && /could not be loaded: boom/.test(error.message),
    );
  });

  test('a config without a default export says what to write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-config-'));
    const file = join(dir, 'api.config.mjs');
    writeFileSync(file, 'export const config = {};\n');
    await assert.rejects(loadConfig(file), /expected a default export: export default defineApi/);
  });
});

describe('where gantry dev serves (shared by dev, load, logs and cost)', () => {
  test('console on the next port, store on the one after, stage under its prefix', () => {
    assert.equal(DEFAULT_DEV_PORT, 3000);
    assert.equal(DEFAULT_CONSOLE_PORT, 3001);
    assert.equal(consolePortFor(4000), 4001);
    assert.equal(storePortFor(4000), 4002);
    assert.equal(stageBasePath('$default'), '');
    assert.equal(stageBasePath('api'), '/api');
  });

  test('an IPv6 host is bracketed in URLs (`--host ::1`), so banners and clients can parse them', () => {
    assert.equal(httpOrigin('127.0.0.1', 3000), 'http://127.0.0.1:3000');
    assert.equal(httpOrigin('::1', 3001), 'http://[::1]:3001');
    const url = new URL(`${httpOrigin('::', 3000)}/api`);
    assert.equal(url.hostname, '[::]');
    assert.equal(url.port, '3000');
  });
});
