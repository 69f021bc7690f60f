/**
 * Each fault action against a real `gantry dev`: the effect it claims, on its target only, and
 * nothing once it ends. Counts and events, never timing races: a fault's end is awaited as its
 * `ended` event, delays are checked as lower bounds of what the runtime and gateway measured.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FaultEvent } from '../../src/chaos/index.ts';
import { type ChaosStack, startChaosStack } from './stack.ts';

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack();
});
after(async () => {
  await stack?.close();
});

function ended(id: string): Promise<FaultEvent> {
  return new Promise((resolve) => {
    const stop = stack.chaos.onEvent((event) => {
      if (event.type === 'ended' && event.fault.id === id) {
        stop();
        resolve(event);
      }
    });
  });
}

describe('aws:lambda:invocation-add-delay', () => {
  test('delays the handler inside the invocation: counted in Duration, only on the target function', async () => {
    const fault = stack.chaos.inject({
      action: 'aws:lambda:invocation-add-delay',
      target: 'echo',
      parameters: { startupDelayMilliseconds: 300 },
    });
    const from = stack.reports.length;
    assert.equal((await stack.get('/echo')).status, 200);
    assert.equal((await stack.post('/items', { id: 'delay-untouched' })).status, 201);
    const echo = stack.reports.slice(from).find((r) => r.functionName === 'echo')!;
    assert.ok(echo.durationMs >= 299, `Duration ${echo.durationMs} ms counts the 300 ms delay`);
    assert.ok(echo.billedDurationMs >= 300);
    assert.equal(echo.outcome, 'success');
    // The writer was never asked about: the fault saw one invocation, the echo one.
    assert.equal(stack.chaos.get(fault.id)!.seen, 1);
    assert.equal(stack.chaos.get(fault.id)!.hits, 1);
    stack.chaos.stop(fault.id);
  });

  test('a delay past the function timeout is a real timeout, and the handler never starts', async () => {
    const fault = stack.chaos.inject({
      action: 'aws:lambda:invocation-add-delay',
      target: 'echo',
      parameters: { startupDelayMilliseconds: 1500 },
    });
    const from = stack.reports.length;
    const response = await stack.get('/echo');
    assert.equal(response.status, 500);
    assert.deepEqual(JSON.parse(response.body), { message: 'Internal Server Error' });
    const report = stack.reports.slice(from).find((r) => r.functionName === 'echo')!;
    assert.equal(report.outcome, 'timeout');
    stack.chaos.stop(fault.id);
    assert.equal((await stack.get('/echo')).status, 200);
  });
});

describe('aws:lambda:invocation-error', () => {
  test('preventExecution false: the handler runs (its write lands) and the invocation fails', async () => {
    const fault = stack.chaos.inject({
      action: 'aws:lambda:invocation-error',
      target: 'writer',
      parameters: { preventExecution: false },
    });
    const from = stack.reports.length;
    const response = await stack.post('/items', { id: 'ran-then-failed' });
    assert.equal(response.status, 500);
    assert.deepEqual(JSON.parse(response.body), { message: 'Internal Server Error' });
    assert.equal(await stack.itemExists('items', 'ran-then-failed'), true);
    assert.equal(stack.reports.slice(from).find((r) => r.functionName === 'writer')!.outcome, 'function-error');
    // The other function is untouched.
    assert.equal((await stack.get('/echo')).status, 200);
    stack.chaos.stop(fault.id);
  });

  test('preventExecution true: the handler does not run (no write) and the invocation fails', async () => {
    const fault = stack.chaos.inject({
      action: 'aws:lambda:invocation-error',
      target: 'writer',
      parameters: { preventExecution: true },
    });
    const response = await stack.post('/items', { id: 'never-ran' });
    assert.equal(response.status, 500);
    assert.equal(await stack.itemExists('items', 'never-ran'), false);
    stack.chaos.stop(fault.id);
    assert.equal((await stack.post('/items', { id: 'after-stop' })).status, 201);
    assert.equal(await stack.itemExists('items', 'after-stop'), true);
  });
});

describe('aws:lambda:invocation-http-integration-response', () => {
  test("replaces the target function's response with the status and content type", async () => {
    const fault = stack.chaos.inject({
      action: 'aws:lambda:invocation-http-integration-response',
      target: 'echo',
      parameters: { statusCode: 418, contentTypeHeader: 'text/plain', preventExecution: true },
    });
    const response = await stack.get('/echo');
    assert.equal(response.status, 418);
    assert.equal(response.headers.get('content-type'), 'text/plain');
    assert.equal((await stack.post('/items', { id: 'http-untouched' })).status, 201);
    stack.chaos.stop(fault.id);
  });
});

describe('gantry:apigateway route faults', () => {
  test('route-add-delay holds requests of that route only, before the integration', async () => {
    const fault = stack.chaos.inject({
      action: 'gantry:apigateway:route-add-delay',
      target: 'GET /echo',
      parameters: { delayMilliseconds: 250 },
    });
    const from = stack.samples.length;
    assert.equal((await stack.get('/echo')).status, 200);
    assert.equal((await stack.get('/other')).status, 200);
    const [echo, other] = stack.samples.slice(from);
    assert.equal(echo.routeKey, 'GET /echo');
    assert.ok(echo.latencyMs - (echo.integrationLatencyMs ?? 0) >= 249, 'the delay is gateway time');
    assert.equal(other.routeKey, 'GET /other');
    assert.equal(stack.chaos.get(fault.id)!.seen, 1, 'GET /other (same function) was not asked about');
    stack.chaos.stop(fault.id);
  });

  test('route-connection-reset resets the connection of that route only', async () => {
    const fault = stack.chaos.inject({ action: 'gantry:apigateway:route-connection-reset', target: 'GET /echo' });
    await assert.rejects(fetch(`${stack.url}/echo`), (error: Error & { cause?: { code?: string } }) => {
      assert.match(String(error.cause?.code ?? error.cause), /ECONNRESET|UND_ERR_SOCKET/);
      return true;
    });
    assert.equal((await stack.get('/other')).status, 200);
    stack.chaos.stop(fault.id);
    assert.equal((await stack.get('/echo')).status, 200);
  });
});

describe('gantry:dynamodb table faults', () => {
  for (const errorCode of ['ProvisionedThroughputExceededException', 'InternalServerError']) {
    test(`table-error answers ${errorCode} for that table only, and nothing is written`, async () => {
      const fault = stack.chaos.inject({
        action: 'gantry:dynamodb:table-error',
        target: 'items',
        parameters: { errorCode },
      });
      const response = await stack.post('/items', { id: `refused-${errorCode}` });
      assert.equal(response.status, 503);
      assert.deepEqual(JSON.parse(response.body), { error: errorCode });
      // The same function reading the other table is untouched.
      const other = await stack.get('/others/x');
      assert.equal(other.status, 200);
      assert.deepEqual(JSON.parse(other.body), { found: false });
      stack.chaos.stop(fault.id);
      assert.equal(await stack.itemExists('items', `refused-${errorCode}`), false);
    });
  }

  test('table-add-delay delays requests naming the table, and they still land', async () => {
    const fault = stack.chaos.inject({
      action: 'gantry:dynamodb:table-add-delay',
      target: 'items',
      parameters: { delayMilliseconds: 200 },
    });
    const from = stack.reports.length;
    assert.equal((await stack.post('/items', { id: 'late' })).status, 201);
    assert.equal((await stack.get('/others/late')).status, 200);
    const writes = stack.reports.slice(from).filter((r) => r.functionName === 'writer');
    assert.ok(writes[0].durationMs >= 199, `the PutItem waited: Duration ${writes[0].durationMs} ms`);
    assert.equal(stack.chaos.get(fault.id)!.seen, 1, 'the GetItem on the other table was not asked about');
    stack.chaos.stop(fault.id);
    assert.equal(await stack.itemExists('items', 'late'), true);
  });
});

describe('gantry:lambda:function-concurrency-limit', () => {
  test('0 throttles every invocation of the target function (a Throttle, not an Invocation)', async () => {
    const before = stack.dev.telemetry!.functionCounters();
    const fault = stack.chaos.inject({
      action: 'gantry:lambda:function-concurrency-limit',
      target: 'echo',
      parameters: { reservedConcurrentExecutions: 0 },
    });
    assert.equal((await stack.get('/echo')).status, 500);
    assert.equal((await stack.post('/items', { id: 'not-throttled' })).status, 201);
    const afterCounters = stack.dev.telemetry!.functionCounters();
    assert.equal(afterCounters.echo.throttles - before.echo.throttles, 1);
    assert.equal(afterCounters.echo.invocations, before.echo.invocations);
    assert.equal(afterCounters.writer.throttles, before.writer.throttles);
    stack.chaos.stop(fault.id);
    assert.equal((await stack.get('/echo')).status, 200);
  });
});

describe('fault lifetime', () => {
  test('a fault ends by itself at its duration: its ended event, then requests are untouched', async () => {
    const fault = stack.chaos.inject({
      action: 'aws:lambda:invocation-error',
      target: 'echo',
      duration: '1s',
      parameters: { preventExecution: true },
    });
    const done = ended(fault.id);
    assert.equal((await stack.get('/echo')).status, 500);
    const event = await done;
    assert.equal(event.fault.endReason, 'expired');
    assert.equal(event.fault.state, 'ended');
    assert.ok(event.fault.endedAt! >= fault.startedAt + 1000 - 1);
    assert.equal(stack.dev.runtime.faults, undefined, 'no fault left: the runtime slot is empty again');
    assert.equal((await stack.get('/echo')).status, 200);
  });

  test('stop ends a fault at once; with none left every slot is empty', async () => {
    const a = stack.chaos.inject({ action: 'gantry:apigateway:route-connection-reset', target: 'GET /echo' });
    const b = stack.chaos.inject({ action: 'gantry:dynamodb:table-add-delay', target: 'items' });
    assert.notEqual(stack.dev.gateway.faults, undefined);
    assert.notEqual(stack.dev.store.faults, undefined);
    assert.equal(stack.dev.runtime.faults, undefined, 'no runtime fault: the runtime pays nothing');
    const stopped = stack.chaos.stop(a.id)!;
    assert.equal(stopped.endReason, 'stopped');
    assert.equal(stack.dev.gateway.faults, undefined);
    assert.deepEqual(
      stack.chaos.stopAll().map((f) => f.id),
      [b.id],
    );
    assert.equal(stack.dev.store.faults, undefined);
    assert.equal(stack.chaos.stop(a.id), undefined, 'an ended fault cannot be stopped again');
    const events = stack.dev.telemetry!.logs.query({ sources: ['system'], filter: `"${a.id}"` });
    assert.deepEqual(
      events.map((e) => e.message.replace(/:.*/, '')),
      [`chaos`, `chaos`],
    );
    assert.match(events[0].message, /started: gantry:apigateway:route-connection-reset on route GET \/echo/);
    assert.match(events[1].message, /ended \(stopped\)/);
  });
});
