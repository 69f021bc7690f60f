import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { type Store, startStore } from '../../src/store/index.ts';
import { configFor, gate, recorder, tempBuildDir, waitFor } from './helpers.ts';

const build = tempBuildDir();
const rec = recorder();
const config = configFor({
  timers: { handler: 'handlers/freeze.handler' },
  requests: { handler: 'handlers/freeze.handler' },
  interval: { handler: 'handlers/freeze.handler' },
  dontWait: { handler: 'handlers/freeze.dontWait' },
  storeCall: { handler: 'handlers/freeze.storeCall' },
  logAfter: { handler: 'handlers/freeze.handler' },
  unref: { handler: 'handlers/unref.handler' },
  calm: { handler: 'handlers/unref.handler' },
  deadline: { handler: 'handlers/unref.handler' },
});
let runtime: Runtime;
let store: Store;

const frozen: [functionName: string, requestId: string | undefined, pending: string[]][] = [];

before(async () => {
  store = await startStore({
    tables: [{ tableName: 'orders', partitionKey: { name: 'id', type: 'S' }, indexes: [], retain: true }],
  });
  runtime = createRuntime(config, {
    observer: { ...rec.observer, onFrozen: (...args) => frozen.push(args) },
    buildDir: build.dir,
    environment: { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint },
  });
  await runtime.start();
});

after(async () => {
  await runtime.stop();
  await store.close();
  build.remove();
});

function invoke(functionName: string, event: Record<string, unknown>): Promise<InvokeResult> {
  return runtime.invoke(functionName, JSON.stringify(event));
}

/** Long enough for any timer the fixtures leave (20 ms) to have fired, were the environment running. */
const idle = () => new Promise((resolve) => setTimeout(resolve, 300));

function logged(functionName: string, text: string): boolean {
  return rec.logs.some((l) => l.functionName === functionName && l.message.includes(text));
}

describe('between invocations an environment is frozen, as Lambda freezes it', () => {
  test('a timer left running after the answer does not fire while idle, and fires when the next invocation thaws it', async () => {
    const first = await invoke('timers', { action: 'leave-timer' });
    assert.deepEqual(first.outcome, { status: 'success', payload: '"answered"' });
    await idle();
    assert.equal(logged('timers', 'the timer left behind fired'), false, 'the timer ran in a frozen environment');
    const second = await invoke('timers', { action: 'peek' });
    assert.equal(second.report!.environmentId, first.report!.environmentId);
    // Overdue by then, the timer fires as the environment thaws, before the new event is handled.
    assert.deepEqual(second.outcome, { status: 'success', payload: '{"timerFired":true}' });
    assert.equal(logged('timers', 'the timer left behind fired'), true);
  });

  test('an unawaited request reaches its server only when the environment is next invoked', async () => {
    const server = await gate();
    try {
      server.open();
      const first = await invoke('requests', { action: 'leave-request', url: server.url });
      assert.deepEqual(first.outcome, { status: 'success', payload: '"answered"' });
      await idle();
      assert.equal(server.arrived(), 0, 'a frozen environment sent the request');
      // The request goes on only while an invocation runs (connect, then write: a few loop turns).
      for (let i = 0; i < 100 && server.arrived() === 0; i++) await invoke('requests', { action: 'pause' });
      assert.equal(server.arrived(), 1);
    } finally {
      await server.close();
    }
  });

  test('an interval started at init does not tick while the environment waits for work', async () => {
    const first = await invoke('interval', { action: 'ticks' });
    await idle();
    const second = await invoke('interval', { action: 'ticks' });
    assert.equal(second.report!.environmentId, first.report!.environmentId);
    const before = Number((first.outcome as { payload: string }).payload);
    const after = Number((second.outcome as { payload: string }).payload);
    // An overdue interval fires once on thaw; running through the idle 300 ms it would tick ~30 times.
    assert.ok(after - before <= 2, `ticked ${after - before} times between two invocations`);
  });

  test('with callbackWaitsForEmptyEventLoop = false, what the handler left runs in the next invocation', async () => {
    const first = await invoke('dontWait', {});
    assert.deepEqual(first.outcome, { status: 'success', payload: '"answered"' });
    await idle();
    assert.equal(logged('dontWait', 'left behind by a callback handler'), false);
    await invoke('dontWait', {});
    assert.equal(logged('dontWait', 'left behind by a callback handler'), true);
  });

  test('a freeze scheduled after one answer never falls into the next invocation (seen as a stall, ~1 in 300 before)', async () => {
    // With a loop that is not empty (the init interval), every answer schedules a freeze. A port hands
    // over every queued message in one turn, so the next invocation can start before that freeze runs;
    // if it then froze mid-invocation while waiting for its log line to flush, it would time out.
    const outcomes = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const result = await invoke('interval', { action: i % 2 ? 'log' : 'ticks' });
      outcomes.add(result.outcome.status);
    }
    assert.deepEqual([...outcomes], ['success']);
  });

  test("an unref()'d interval (a batching exporter's flush) does not tick while the environment is idle", async () => {
    const first = await invoke('unref', { action: 'leave-unref-interval' });
    await idle();
    const second = await invoke('unref', { action: 'ticks' });
    assert.equal(second.report!.environmentId, first.report!.environmentId);
    const ticks = Number((second.outcome as { payload: string }).payload);
    // Overdue, it fires once on thaw; running through the idle 300 ms it would tick ~30 times.
    assert.ok(ticks <= 2, `ticked ${ticks} times while idle`);
  });

  test('the host hears what a freeze held back, and of which invocation; nothing when nothing was left', async () => {
    await invoke('calm', { action: 'ticks' });
    await invoke('calm', { action: 'ticks' });
    assert.deepEqual(
      frozen.filter(([name]) => name === 'calm'),
      [],
      'no freeze reported after init or an answer that left nothing',
    );
    const requestId = 'aaaaaaaa-0000-4000-8000-00000000f0f0';
    await runtime.invoke('calm', JSON.stringify({ action: 'leave-unref-interval' }), { requestId });
    await waitFor(() => frozen.some(([name]) => name === 'calm'), 'the freeze report');
    assert.deepEqual(
      frozen.filter(([name]) => name === 'calm'),
      [['calm', requestId, ['Timeout']]],
    );
  });

  test('a deadline left by AbortSignal.timeout() freezes the environment, and no one is told to await it', async () => {
    await runtime.invoke('deadline', JSON.stringify({ action: 'leave-deadline' }));
    await idle();
    const { outcome } = await invoke('deadline', { action: 'deadline' });
    const { firedAfterMs } = JSON.parse((outcome as { payload: string }).payload);
    // Frozen, the 50 ms deadline fires as the environment thaws, after the idle 300 ms.
    assert.ok(firedAfterMs >= 300, `the deadline fired ${firedAfterMs} ms after it was set`);
    assert.deepEqual(
      frozen.filter(([name]) => name === 'deadline'),
      [],
      'a deadline is no work to await: no warning',
    );
  });

  test('lines logged after the answer reach the host before the environment freezes', async () => {
    await invoke('logAfter', { action: 'log-after' });
    // No further invocation: were the worker frozen with the lines unsent, they would never arrive.
    await waitFor(
      () =>
        rec.logs.filter((l) => l.functionName === 'logAfter' && l.message.includes('after the answer')).length === 3,
      'the three lines',
    );
  });

  test('a connection to the store kept by a frozen environment still works after node:http would have closed it', async () => {
    const first = await invoke('storeCall', {});
    assert.deepEqual(first.outcome, { status: 'success', payload: '1' });
    // node:http closes a connection idle for 5 s (and some slack): had the store closed the pooled
    // socket meanwhile, the thawed SDK would write to a dead connection and need a second attempt.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const second = await invoke('storeCall', {});
    assert.equal(second.report!.environmentId, first.report!.environmentId);
    assert.deepEqual(second.outcome, { status: 'success', payload: '1' }, 'attempts the thawed read took');
  });
});
