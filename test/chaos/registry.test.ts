/** What inject() refuses and how it says so: every problem names the field, the value and what was expected. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { isoDuration, parseFaultDuration } from '../../src/chaos/duration.ts';
import { ChaosError, FaultRegistry } from '../../src/chaos/index.ts';
import { loadConfig, type ResolvedConfig } from '../../src/config/index.ts';
import { FIXTURE } from './stack.ts';

let config: ResolvedConfig;
before(async () => {
  config = await loadConfig(FIXTURE);
});

function refusal(request: Parameters<FaultRegistry['inject']>[0]): string {
  const registry = new FaultRegistry(config);
  try {
    registry.inject(request);
  } catch (error) {
    assert.ok(error instanceof ChaosError);
    return error.message;
  } finally {
    registry.close();
  }
  assert.fail('inject() accepted it');
}

test('an unknown action lists the known ones', () => {
  assert.match(
    refusal({ action: 'aws:lambda:invocation-delay', target: 'echo' }),
    /^action: unknown action "aws:lambda:invocation-delay" \(known: aws:lambda:invocation-add-delay, /,
  );
});

test("a target that is not one of the config's names the kind and lists them", () => {
  assert.equal(
    refusal({ action: 'aws:lambda:invocation-add-delay', target: 'GET /echo' }),
    'target: aws:lambda:invocation-add-delay targets a function name; "GET /echo" is not one of this config\'s (echo, writer)',
  );
  assert.match(
    refusal({ action: 'gantry:apigateway:route-add-delay', target: 'echo' }),
    /targets a route key; "echo" is not one of this config's \(GET \/echo, GET \/other, POST \/items, GET \/others\/\{id\}\)/,
  );
  assert.match(
    refusal({ action: 'gantry:dynamodb:table-error', target: 'orders' }),
    /targets a table name; "orders" .*\(items, others\)/,
  );
});

test("FIS's ranges: startupDelayMilliseconds 0–900000, invocationPercentage 1–100, statusCode 000–999", () => {
  assert.match(
    refusal({
      action: 'aws:lambda:invocation-add-delay',
      target: 'echo',
      parameters: { startupDelayMilliseconds: 900_001 },
    }),
    /startupDelayMilliseconds: expected an integer from 0 to 900000, got 900001/,
  );
  assert.match(
    refusal({ action: 'aws:lambda:invocation-add-delay', target: 'echo', percent: 0 }),
    /invocationPercentage: expected an integer from 1 to 100, got 0/,
  );
  assert.match(
    refusal({
      action: 'aws:lambda:invocation-http-integration-response',
      target: 'echo',
      parameters: { statusCode: 1000, contentTypeHeader: 'text/plain', preventExecution: 'yes' },
    }),
    /statusCode: expected an integer from 0 to 999, got 1000; .*preventExecution: expected true or false, got "yes"/,
  );
});

test('required parameters without a default, unknown ones, a bad duration and seed are all named at once', () => {
  const message = refusal({
    action: 'aws:lambda:invocation-error',
    target: 'echo',
    duration: '0s',
    seed: -1,
    parameters: { invocationPercent: 5 },
  });
  assert.match(
    message,
    /invocationPercent: aws:lambda:invocation-error has no such parameter \(its parameters: invocationPercentage, preventExecution\)/,
  );
  assert.match(message, /preventExecution: required by aws:lambda:invocation-error/);
  assert.match(message, /duration: expected a duration above 0 and at most 12h, like "60s", "2m" or "PT1M", got "0s"/);
  assert.match(message, /seed: expected a whole number of 0 or more, got -1/);
});

test("defaults are FIS's: startupDelayMilliseconds 1000, invocationPercentage 100; duration 60s", () => {
  const registry = new FaultRegistry(config);
  const fault = registry.inject({ action: 'aws:lambda:invocation-add-delay', target: 'echo' });
  assert.deepEqual(fault.parameters, { startupDelayMilliseconds: 1000, invocationPercentage: 100 });
  assert.equal(fault.durationMs, 60_000);
  assert.ok(Number.isInteger(fault.seed), 'a random seed is chosen and reported');
  registry.close();
  assert.equal(registry.get(fault.id)!.endReason, 'stopped', 'closing ends every fault');
  assert.throws(() => registry.inject({ action: 'aws:lambda:invocation-add-delay', target: 'echo' }), /stopping/);
});

test('durations: k6 style and ISO 8601 as FIS writes them', () => {
  assert.equal(parseFaultDuration('90s'), 90_000);
  assert.equal(parseFaultDuration('PT1M30S'), 90_000);
  assert.equal(parseFaultDuration('PT2H'), 7_200_000);
  assert.equal(parseFaultDuration('PT'), undefined);
  assert.equal(isoDuration(90_000), 'PT1M30S');
  assert.equal(isoDuration(3_600_000), 'PT1H');
  assert.equal(isoDuration(500), 'PT1S');
});
