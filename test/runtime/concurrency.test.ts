import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { configFor, gate, recorder, tempBuildDir, waitFor } from './helpers.ts';

const build = tempBuildDir();
const runtimes: Runtime[] = [];
const gates: Awaited<ReturnType<typeof gate>>[] = [];

after(async () => {
  for (const g of gates) g.open();
  await Promise.all(runtimes.map((r) => r.stop()));
  await Promise.all(gates.map((g) => g.close()));
  build.remove();
});

async function started(
  functions: Record<string, Record<string, unknown>>,
  local: Record<string, number> = {},
): Promise<{ runtime: Runtime; rec: ReturnType<typeof recorder> }> {
  const rec = recorder();
  const runtime = createRuntime(configFor(functions, { local }), { observer: rec.observer, buildDir: build.dir });
  runtimes.push(runtime);
  await runtime.start();
  return { runtime, rec };
}

async function newGate() {
  const g = await gate();
  gates.push(g);
  return g;
}

describe('concurrency', () => {
  test('reserved concurrency 2: of 5 parallel invokes exactly the 3 over the cap are throttled, at once', async () => {
    const { runtime, rec } = await started({ gated: { handler: 'handlers/gated.handler', reservedConcurrency: 2 } });
    const g = await newGate();
    const calls = [0, 1, 2, 3, 4].map((id) => runtime.invoke('gated', JSON.stringify({ gate: g.url, id })));
    // The over-cap ones settle while the first two are still held at the gate.
    const refused = await Promise.all(calls.slice(2));
    for (const r of refused) assert.deepEqual(r, { outcome: { status: 'throttled', reason: 'reserved-concurrency' } });
    await waitFor(() => g.arrived() === 2, 'both admitted invocations to reach the gate');
    assert.deepEqual(
      runtime.environments().map((e) => e.state),
      ['busy', 'busy'],
    );
    g.open();
    const admitted = await Promise.all(calls.slice(0, 2));
    assert.deepEqual(
      admitted.map((r) => r.outcome),
      [
        { status: 'success', payload: '{"id":0,"gate":"open"}' },
        { status: 'success', payload: '{"id":1,"gate":"open"}' },
      ],
    );
    assert.deepEqual(rec.throttles, [
      ['gated', 'reserved-concurrency'],
      ['gated', 'reserved-concurrency'],
      ['gated', 'reserved-concurrency'],
    ]);
    assert.equal(Math.max(...rec.changes.map(([, , busy]) => busy)), 2);
    assert.deepEqual(rec.changes.at(-1), ['gated', 2, 0]);
    // Capacity is back: a new invoke reuses a warm environment.
    const again = await runtime.invoke('gated', JSON.stringify({ gate: g.url, id: 5 }));
    assert.equal(again.outcome.status, 'success');
    assert.equal(again.report!.coldStart, false);
  });

  test('reserved concurrency 0 throttles every invoke and starts nothing', async () => {
    const { runtime, rec } = await started({ blocked: { handler: 'handlers/basic.echo', reservedConcurrency: 0 } });
    assert.deepEqual(await runtime.invoke('blocked', '{}'), {
      outcome: { status: 'throttled', reason: 'reserved-concurrency' },
    });
    assert.deepEqual(rec.throttles, [['blocked', 'reserved-concurrency']]);
    assert.deepEqual(rec.reports, []);
    assert.deepEqual(rec.logs, []);
    assert.deepEqual(runtime.environments(), []);
  });

  test('the account limit applies across functions; idle environments are reaped; stop waits for in-flight work', async () => {
    const { runtime, rec } = await started(
      { held: { handler: 'handlers/gated.handler' }, other: { handler: 'handlers/basic.echo' } },
      { accountConcurrency: 2, idleEnvironmentSeconds: 0.3 },
    );
    const g = await newGate();
    const held = [0, 1].map((id) => runtime.invoke('held', JSON.stringify({ gate: g.url, id })));
    assert.deepEqual(await runtime.invoke('other', '{}'), {
      outcome: { status: 'throttled', reason: 'account-concurrency' },
    });
    assert.deepEqual(rec.throttles, [['other', 'account-concurrency']]);
    await waitFor(() => g.arrived() === 2, 'both held invocations to reach the gate');
    g.open();
    assert.deepEqual(
      (await Promise.all(held)).map((r) => r.outcome.status),
      ['success', 'success'],
    );
    const other = await runtime.invoke('other', '{"x":1}');
    assert.deepEqual(other.outcome, { status: 'success', payload: '{"received":{"x":1}}' });

    // Idle reaping after 0.3 s without work.
    await waitFor(() => runtime.environments().length === 0, 'idle environments to be reaped');
    assert.deepEqual(rec.changes.filter(([name]) => name === 'other').at(-1), ['other', 0, 0]);
    assert.deepEqual(rec.changes.filter(([name]) => name === 'held').at(-1), ['held', 0, 0]);

    // stop() lets an in-flight invocation finish, refuses new ones, then ends every worker.
    const g2 = await newGate();
    const inFlight = runtime.invoke('held', JSON.stringify({ gate: g2.url, id: 9 }));
    await waitFor(() => g2.arrived() === 1, 'the invocation to reach the gate');
    let stopped = false;
    const stopping = runtime.stop().then(() => {
      stopped = true;
    });
    const refused: InvokeResult = await runtime.invoke('other', '{}');
    assert.deepEqual(refused.outcome, {
      status: 'init-error',
      errorType: 'Runtime.Stopped',
      errorMessage: 'the runtime is stopping; no new invocations',
    });
    assert.equal(stopped, false);
    g2.open();
    assert.deepEqual((await inFlight).outcome, { status: 'success', payload: '{"id":9,"gate":"open"}' });
    await stopping;
    assert.deepEqual(runtime.environments(), []);
    assert.deepEqual(rec.changes.at(-1), ['held', 0, 0]);
  });
});
