// Pre-started runtimes: sandboxes whose Node.js runtime is up before a cold start needs one. A
// worker's threadId counts every worker this process started, so a handler's threadId below that of
// a worker the test starts after `start()` shows its environment took a sandbox started ahead.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createRuntime, type InvokeResult, type Runtime, SandboxReserve } from '../../src/runtime/index.ts';
import { prestartedRuntimesOf } from '../../src/runtime/prestarted.ts';
import { configFor, gate, waitFor } from './helpers.ts';

const dirs: string[] = [];
const FIXTURE = { app: { handler: 'handlers/basic.handler' } };
const runtimes: Runtime[] = [];

after(async () => {
  await Promise.all(runtimes.map((r) => r.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-prestarted-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The threadId the next worker of this process gets: every thread started before has a lower one. */
async function nextThreadId(): Promise<number> {
  const worker = new Worker('', { eval: true });
  const id = worker.threadId;
  await once(worker, 'exit');
  return id;
}

interface Seen {
  version: string;
  thread: number;
  calls: number;
  shared: number;
  type: string;
}

function seen(result: InvokeResult): Seen {
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  return JSON.parse((result.outcome as { payload: string }).payload);
}

/** Counts its calls in module state and in globalThis; waits on `gate` when given. */
const handler = (version: string) => `
import { threadId } from 'node:worker_threads';
let calls = 0;
const g = globalThis as { shared?: number };
export const handler = async (event: { gate?: string }) => {
  if (event.gate) await fetch(event.gate);
  calls++;
  g.shared = (g.shared ?? 0) + 1;
  return { version: '${version}', thread: threadId, calls, shared: g.shared, type: process.env.AWS_LAMBDA_INITIALIZATION_TYPE };
};
`;

describe('pre-started runtimes', () => {
  test('how many a function keeps: its reserved concurrency less what is provisioned, or local.prestartedRuntimes', () => {
    const local = (prestartedRuntimes?: number) => ({
      accountConcurrency: 1000,
      idleEnvironmentSeconds: 300,
      healthCheckIntervalSeconds: 1,
      replicationLagMs: 500,
      ...(prestartedRuntimes === undefined ? {} : { prestartedRuntimes }),
    });
    type Fn = Parameters<typeof prestartedRuntimesOf>[0];
    const fn = (reservedConcurrency?: number, provisionedConcurrency = 0) =>
      ({ reservedConcurrency, provisionedConcurrency }) as Fn;
    // One function alone, or beside others: `functions` holds every function of the config.
    const count = (f: Fn, prestarted?: number, others: Fn[] = []) =>
      prestartedRuntimesOf(f, {
        functions: Object.fromEntries([f, ...others].map((g, i) => [`f${i}`, g])),
        local: local(prestarted),
      } as Parameters<typeof prestartedRuntimesOf>[1]);
    assert.equal(count(fn(50)), 50);
    assert.equal(count(fn(50, 10)), 40);
    assert.equal(count(fn(400)), 50, 'at most 50 by default');
    assert.equal(count(fn(400), 80), 80);
    assert.equal(count(fn(50, 50)), 0, 'nothing can spill over');
    assert.equal(count(fn()), 0);
    assert.equal(count(fn(), 4), 4);
    assert.equal(count(fn(50), 5), 5);
    assert.equal(count(fn(3), 80), 3, 'never more than can run at once');
    assert.equal(count(fn(50), 0), 0, '0 turns them off');
    // By default at most 100 across the functions, in proportion to what each would keep alone.
    assert.equal(count(fn(50), undefined, [fn(50)]), 50, 'two of 50: 100 in all');
    assert.equal(count(fn(50), undefined, [fn(50), fn(50), fn(50)]), 25, 'four of 50 share 100');
    assert.equal(count(fn(20), undefined, [fn(50), fn(50), fn(50)]), 11, '20 of 170, rounded down');
    assert.equal(count(fn(50), 50, [fn(50), fn(50), fn(50)]), 50, 'local.prestartedRuntimes is per function, as asked');
  });

  test('local.prestartedRuntimes must be a whole number of 0 or more', () => {
    const config = (value: unknown) => () => configFor(FIXTURE, { local: { prestartedRuntimes: value } });
    assert.throws(config(-1), /local\.prestartedRuntimes.*expected 0 or more/s);
    assert.throws(config(1.5), /local\.prestartedRuntimes.*expected a whole number/s);
    assert.equal(config(2)().local.prestartedRuntimes, 2);
  });

  test('cold starts run on sandboxes started ahead, each one environment with no state of another', async () => {
    const dir = project({ 'app.ts': handler('v1') });
    const runtime = createRuntime(configFor({ app: { handler: 'app.handler', reservedConcurrency: 3 } }, {}, dir));
    runtimes.push(runtime);
    await runtime.start();
    const after = await nextThreadId();
    const g = await gate();
    try {
      // Three at once: three cold starts, held until all three run.
      const results = [0, 1, 2].map(() => runtime.invoke('app', JSON.stringify({ gate: g.url })));
      await waitFor(() => g.arrived() === 3, 'three cold starts in flight');
      g.open();
      const cold = await Promise.all(results);
      const threads = new Set<number>();
      for (const result of cold) {
        const s = seen(result);
        assert.equal(result.report!.coldStart, true);
        assert.ok(s.thread < after, `thread ${s.thread} was started before the invocation (next: ${after})`);
        threads.add(s.thread);
        // Nothing of another environment's module or global state.
        assert.deepEqual([s.calls, s.shared, s.type, s.version], [1, 1, 'on-demand', 'v1']);
        assert.ok((result.report!.initDurationMs ?? -1) >= 0);
      }
      assert.equal(threads.size, 3, 'three sandboxes, one per environment');
      const warm = seen(await runtime.invoke('app', '{}'));
      assert.ok(threads.has(warm.thread));
      assert.deepEqual([warm.calls, warm.shared], [2, 2]);
    } finally {
      g.open();
      await g.close();
    }
  });

  test('a used sandbox is replaced only once its cold start ends: init and first invocation', async () => {
    const dir = project({ 'app.ts': handler('v1') });
    const config = configFor({ app: { handler: 'app.handler', reservedConcurrency: 2 } }, {}, dir);
    const runtime = createRuntime({ ...config, local: { ...config.local, prestartedRuntimes: 1 } });
    runtimes.push(runtime);
    await runtime.start();
    const first = await gate();
    const second = await gate();
    try {
      // The only sandbox becomes A's environment; its init is over once the handler waits at the gate.
      const a = runtime.invoke('app', JSON.stringify({ gate: first.url }));
      await waitFor(() => first.arrived() === 1, "A's first invocation running");
      // A worker started now gets a higher threadId than a refill started while A's init ended.
      const during = await nextThreadId();
      first.open();
      assert.equal(seen(await a).calls, 1);
      // A's environment busy again, so B is a cold start: it takes the refilled sandbox.
      const warm = runtime.invoke('app', JSON.stringify({ gate: second.url }));
      await waitFor(() => second.arrived() === 1, 'A busy with its second invocation');
      const b = seen(await runtime.invoke('app', '{}'));
      assert.equal(b.calls, 1, 'B is a cold start');
      assert.ok(b.thread > during, `the refill (thread ${b.thread}) started after A's first invocation (${during})`);
      second.open();
      assert.equal(seen(await warm).calls, 2);
    } finally {
      first.open();
      second.open();
      await Promise.all([first.close(), second.close()]);
    }
  });

  test('a runtime for one invocation (gantry invoke) starts none', async () => {
    const dir = project({ 'app.ts': handler('v1') });
    const runtime = createRuntime(configFor({ app: { handler: 'app.handler', reservedConcurrency: 3 } }, {}, dir), {
      prestartedRuntimes: false,
    });
    runtimes.push(runtime);
    await runtime.start();
    const after = await nextThreadId();
    const s = seen(await runtime.invoke('app', '{}'));
    assert.ok(s.thread > after, `thread ${s.thread} started for the invocation (after ${after})`);
  });

  test("one gantry dev's runtimes share one reserve: a region's cold start takes a sandbox another runtime started, with its own region's variables and ARN", async () => {
    const dir = project({
      'app.ts': `
import { threadId } from 'node:worker_threads';
export const handler = async (_event: unknown, context: { invokedFunctionArn: string }) => ({
  thread: threadId,
  region: process.env.AWS_REGION,
  endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
  own: process.env.OWN,
  eastOnly: process.env.EAST_ONLY ?? null,
  arn: context.invokedFunctionArn,
});
`,
    });
    const config = configFor(
      { app: { handler: 'app.handler', reservedConcurrency: 2, environment: { OWN: 'kept' } } },
      {},
      dir,
    );
    const reserve = new SandboxReserve();
    const regional = (region: string, environment: Record<string, string>) =>
      createRuntime(config, { region, environment, sandboxReserve: reserve, buildDir: join(dir, '.gantry', region) });
    const before = await nextThreadId();
    const east = regional('us-east-1', { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4001', EAST_ONLY: 'east' });
    runtimes.push(east);
    await east.start();
    const eastStarted = await nextThreadId();
    const west = regional('us-west-2', { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4002' });
    runtimes.push(west);
    await west.start();
    // East lets go first, as a reloaded config's predecessor does: west still holds the sandboxes.
    await east.stop();
    // Two cold starts at once: two sandboxes, both east's (without sharing, west's own two would be taken).
    const results = await Promise.all([west.invoke('app', '{}'), west.invoke('app', '{}')]);
    const threads = new Set<number>();
    for (const result of results) {
      assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
      assert.equal(result.report!.coldStart, true);
      const s = JSON.parse((result.outcome as { payload: string }).payload);
      assert.ok(s.thread > before && s.thread < eastStarted, `thread ${s.thread} is a sandbox east started`);
      threads.add(s.thread);
      assert.deepEqual(
        [s.region, s.endpoint, s.own, s.eastOnly],
        ['us-west-2', 'http://127.0.0.1:4002', 'kept', null],
        "west's variables only: none of east's is left",
      );
      assert.match(s.arn, /^arn:aws:lambda:us-west-2:\d{12}:function:app$/);
    }
    assert.equal(threads.size, 2);
  });

  test('after a rebuild, cold starts on sandboxes started before it run the new code', async () => {
    const dir = project({ 'app.ts': handler('v1') });
    const runtime = createRuntime(configFor({ app: { handler: 'app.handler', reservedConcurrency: 2 } }, {}, dir));
    runtimes.push(runtime);
    await runtime.start();
    const after = await nextThreadId();
    assert.equal(seen(await runtime.invoke('app', '{}')).version, 'v1');
    writeFileSync(join(dir, 'app.ts'), handler('v2'));
    await runtime.rebuild('app');
    // The v1 environment retired with the rebuild: both are cold starts of v2.
    const results = await Promise.all([runtime.invoke('app', '{}'), runtime.invoke('app', '{}')]);
    const fresh = results.map(seen);
    assert.deepEqual(
      fresh.map((s) => [s.version, s.calls]),
      [
        ['v2', 1],
        ['v2', 1],
      ],
    );
    assert.ok(
      fresh.some((s) => s.thread < after),
      'the sandbox never taken before the rebuild serves the new code',
    );
  });
});
