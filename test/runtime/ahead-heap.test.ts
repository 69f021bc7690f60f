// Sandboxes started ahead of need (pre-started, provisioned) start their young generation at V8's
// maximum, so their cold start skips the scavenges of a semi-space growing from 1 MB, and provisioned
// ones run without V8's memory reducer, whose collection would otherwise come due while they wait
// frozen and run at their first invocation; an on-demand cold start's sandbox, whose boot an
// invocation waits for, starts as V8 starts any heap (runtime/ahead-heap.ts).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, test } from 'node:test';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { aheadHeapWhileCreating } from '../../src/runtime/ahead-heap.ts';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { configFor, tempBuildDir } from './helpers.ts';

const FULL = 16 * 1024 * 1024;
const build = tempBuildDir();
const runtimes: Runtime[] = [];

after(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.stop()));
  build.remove();
});

/** The new space of a worker created now: what a sandbox created at this moment would start with. */
async function newSpaceOfAFreshWorker(): Promise<number> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.postMessage(require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);`,
    { eval: true },
  );
  const [size] = (await once(worker, 'message')) as [number];
  await once(worker, 'exit');
  return size;
}

function newSpaceAtFirstInvocation(result: InvokeResult): number {
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  return Number((result.outcome as { payload: string }).payload);
}

test('pre-started and provisioned environments find their new space at 16 MB at their first invocation; an on-demand one without a pre-started runtime does not', async () => {
  const config = configFor({
    prestarted: { handler: 'handlers/heap.handler', memoryMb: 128, reservedConcurrency: 1 },
    provisioned: { handler: 'handlers/heap.handler', memoryMb: 128, provisionedConcurrency: 1 },
    onDemand: { handler: 'handlers/heap.handler', memoryMb: 128 },
  });
  const runtime = createRuntime(config, { buildDir: build.dir });
  runtimes.push(runtime);
  await runtime.start();
  // Every sandbox started ahead exists once the runtime has started: a worker created now, as an
  // on-demand cold start's sandbox is, gets V8's own starting size. (A refill, which starts once a
  // pre-started runtime is taken, would make a window: the on-demand invocation comes first.)
  assert.ok((await newSpaceOfAFreshWorker()) < FULL);
  const onDemand = newSpaceAtFirstInvocation(await runtime.invoke('onDemand', '{}'));
  assert.ok(onDemand < FULL, `on-demand new space ${onDemand} bytes`);
  assert.equal(newSpaceAtFirstInvocation(await runtime.invoke('prestarted', '{}')), FULL);
  assert.equal(newSpaceAtFirstInvocation(await runtime.invoke('provisioned', '{}')), FULL);
});

test('the full young generation lasts while any sandbox started ahead is being created, and calling its end twice is harmless', async () => {
  const first = aheadHeapWhileCreating('prestarted');
  const second = aheadHeapWhileCreating('provisioned');
  try {
    assert.equal(await newSpaceOfAFreshWorker(), FULL);
    first();
    first();
    assert.equal(await newSpaceOfAFreshWorker(), FULL, 'the second is still being created');
  } finally {
    first();
    second();
  }
  assert.ok((await newSpaceOfAFreshWorker()) < FULL);
});

test("a code cache made under either heap's flags is accepted under the other (neither changes generated code)", () => {
  const source = 'function twice(x) { return x * 2 } twice(21);';
  const compile = (cachedData?: Buffer) => new vm.Script(source, { filename: 'young.js', cachedData });
  const madeDefault = compile().createCachedData();
  const created = aheadHeapWhileCreating('provisioned');
  let madeFull: Buffer;
  try {
    assert.equal(compile(madeDefault).cachedDataRejected, false);
    madeFull = compile().createCachedData();
  } finally {
    created();
  }
  assert.equal(compile(madeFull).cachedDataRejected, false);
});

/** Fills its heap, keeps a little of it, then idles: answers each message with its heap's size. */
const IDLER = `
const { parentPort } = require('node:worker_threads');
const { getHeapStatistics } = require('node:v8');
let kept = [];
for (let i = 0; i < 300000; i++) kept.push({ i, text: 'x' + i });
kept = kept.slice(0, 1000);
const size = () => getHeapStatistics().total_heap_size;
parentPort.on('message', () => parentPort.postMessage(size()));
parentPort.postMessage(size());
`;

async function idler(kind: 'prestarted' | 'provisioned'): Promise<{ worker: Worker; size(): Promise<number> }> {
  const created = aheadHeapWhileCreating(kind);
  const worker = new Worker(IDLER, { eval: true });
  worker.once('online', created);
  await once(worker, 'message');
  return {
    worker,
    size: async () => {
      worker.postMessage('size');
      const [size] = (await once(worker, 'message')) as [number];
      return size;
    },
  };
}

test("a provisioned sandbox's heap is not shrunk by V8's memory reducer while it idles; a pre-started one's is", async () => {
  const provisioned = await idler('provisioned');
  const prestarted = await idler('prestarted');
  try {
    const provisionedAtStart = await provisioned.size();
    const prestartedAtStart = await prestarted.size();
    // The reducer collects an isolate that has allocated little for ~8 s after its last full collection.
    let shrunk = false;
    for (let waited = 0; waited < 45 && !shrunk; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      shrunk = (await prestarted.size()) < prestartedAtStart * 0.7;
    }
    assert.ok(shrunk, 'the pre-started sandbox, created with the reducer, had its heap shrunk within 45 s');
    const provisionedNow = await provisioned.size();
    assert.ok(
      provisionedNow >= provisionedAtStart * 0.9,
      `provisioned heap ${provisionedAtStart} -> ${provisionedNow} bytes while it idled`,
    );
  } finally {
    await Promise.all([provisioned.worker.terminate(), prestarted.worker.terminate()]);
  }
});
