import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, resolveConfig } from '../../src/config/index.ts';

const fixture = fileURLToPath(new URL('../fixtures/basic/api.config.ts', import.meta.url));

function problemsOf(raw: unknown): string[] {
  try {
    resolveConfig(raw, fixture);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  return [];
}

const withFunctions = (functions: Record<string, Record<string, unknown>>, local?: Record<string, unknown>) => ({
  name: 'demo',
  functions: Object.fromEntries(Object.entries(functions).map(([n, f]) => [n, { handler: 'src/hello.handler', ...f }])),
  routes: { 'GET /hello': Object.keys(functions)[0] },
  ...(local ? { local } : {}),
});

describe('reserved and provisioned concurrency, as Lambda validates them', () => {
  test('provisionedConcurrency resolves (0 when absent) and must be a whole number of at least 1', () => {
    const config = resolveConfig(withFunctions({ a: { provisionedConcurrency: 3 }, b: {} }), fixture);
    assert.equal(config.functions.a.provisionedConcurrency, 3);
    assert.equal(config.functions.b.provisionedConcurrency, 0);
    assert.deepEqual(problemsOf(withFunctions({ a: { provisionedConcurrency: 0 } })), [
      'functions.a.provisionedConcurrency: expected 1 or more (leave it out for none)',
    ]);
    assert.deepEqual(problemsOf(withFunctions({ a: { provisionedConcurrency: 1.5 } })), [
      'functions.a.provisionedConcurrency: expected a whole number of execution environments',
    ]);
  });

  test('provisioned concurrency may not exceed the reserved concurrency of the same function', () => {
    assert.deepEqual(problemsOf(withFunctions({ a: { reservedConcurrency: 5, provisionedConcurrency: 6 } })), [
      'functions.a.provisionedConcurrency: 6 is more than its reservedConcurrency 5; expected at most 5 (Lambda: "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function")',
    ]);
    assert.deepEqual(problemsOf(withFunctions({ a: { reservedConcurrency: 5, provisionedConcurrency: 5 } })), []);
  });

  test('the account keeps 100 unreserved (or all of a smaller limit)', () => {
    assert.deepEqual(
      problemsOf(withFunctions({ a: { reservedConcurrency: 500 }, b: { provisionedConcurrency: 401 } })),
      [
        'functions: reserved and provisioned concurrency claim 901 (a reserves 500, b provisions 401) of local.accountConcurrency 1000; expected at most 900, as Lambda keeps 100 unreserved ("decreases account\'s UnreservedConcurrentExecution below its minimum value of [100]")',
      ],
    );
    assert.deepEqual(
      problemsOf(withFunctions({ a: { reservedConcurrency: 500 }, b: { provisionedConcurrency: 400 } })),
      [],
    );
    // A function's provisioned concurrency counts inside its own reservation, not on top of it.
    assert.deepEqual(problemsOf(withFunctions({ a: { reservedConcurrency: 900, provisionedConcurrency: 900 } })), []);
    // A new account's limit of 10 keeps all 10 unreserved: nothing can be reserved.
    assert.deepEqual(problemsOf(withFunctions({ a: { reservedConcurrency: 1 } }, { accountConcurrency: 10 })), [
      'functions: reserved and provisioned concurrency claim 1 (a reserves 1) of local.accountConcurrency 10; expected at most 0, as Lambda keeps 10 unreserved ("decreases account\'s UnreservedConcurrentExecution below its minimum value of [10]")',
    ]);
  });
});
