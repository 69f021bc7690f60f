// functions.NAME.runtime: what gantry deploy uses, and what gantry dev says when the local Node differs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, functionSpec, resolveConfig, runtimeWarnings } from '../../src/config/index.ts';

const fixture = fileURLToPath(new URL('../fixtures/basic/api.config.ts', import.meta.url));
const config = (functions: Record<string, unknown>) =>
  resolveConfig({ name: 'demo', functions, routes: { 'GET /a': Object.keys(functions)[0] } }, fixture);

describe('functions.NAME.runtime', () => {
  test('defaults to nodejs24.x; a declared runtime is what the deployed function gets', () => {
    const resolved = config({
      a: { handler: 'src/hello.handler' },
      b: { handler: 'src/hello.handler', runtime: 'nodejs22.x' },
    });
    assert.equal(functionSpec(resolved, resolved.functions.a).runtime, 'nodejs24.x');
    assert.equal(functionSpec(resolved, resolved.functions.b).runtime, 'nodejs22.x');
  });

  test('an unknown runtime is refused naming the accepted ones', () => {
    assert.throws(
      () => config({ a: { handler: 'src/hello.handler', runtime: 'nodejs18.x' } }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems[0] === 'functions.a.runtime: expected nodejs20.x, nodejs22.x, nodejs24.x',
    );
  });

  test('gantry dev names every function whose runtime is not the local Node, and what differs', () => {
    const functions = {
      orders: { runtime: 'nodejs24.x' as const },
      health: { runtime: 'nodejs24.x' as const },
      legacy: { runtime: 'nodejs20.x' as const },
    };
    const warnings = runtimeWarnings(functions, 'v20.20.2');
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0],
      /^nodejs24\.x \(orders, health\): deployed on Node 24, but handlers run on Node 20 here; what differs: /,
    );
    assert.match(warnings[0], /no callback-style handlers/);
    assert.match(warnings[0], /require\(\) of ES modules/);
    assert.deepEqual(runtimeWarnings(functions, 'v24.1.0').length, 1, 'legacy on nodejs20.x differs from Node 24');
    assert.deepEqual(runtimeWarnings({ a: { runtime: 'nodejs22.x' } }, 'v22.11.0'), []);
  });
});
