// Sandboxes started ahead of need (pre-started, provisioned) start their young generation at V8's
// maximum, so their cold start skips the scavenges of a semi-space growing from 1 MB; an on-demand
// cold start's sandbox, whose boot an invocation waits for, starts as V8 starts any heap
// (runtime/young-generation.ts).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, test } from 'node:test';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { fullYoungGenerationWhileCreating } from '../../src/runtime/young-generation.ts';
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
  const first = fullYoungGenerationWhileCreating();
  const second = fullYoungGenerationWhileCreating();
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

test('a code cache made under either young generation is accepted under the other (the flag changes no generated code)', () => {
  const source = 'function twice(x) { return x * 2 } twice(21);';
  const compile = (cachedData?: Buffer) => new vm.Script(source, { filename: 'young.js', cachedData });
  const madeDefault = compile().createCachedData();
  const created = fullYoungGenerationWhileCreating();
  let madeFull: Buffer;
  try {
    assert.equal(compile(madeDefault).cachedDataRejected, false);
    madeFull = compile().createCachedData();
  } finally {
    created();
  }
  assert.equal(compile(madeFull).cachedDataRejected, false);
});
