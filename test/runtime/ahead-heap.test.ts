// Pre-started sandboxes start their young generation at V8's maximum, so the cold start that takes one
// skips the scavenges of a semi-space growing from 1 MB; provisioned ones run without V8's memory
// reducer, whose collection would otherwise come due while they wait frozen and run at their first
// invocation; an on-demand cold start's sandbox, whose boot an invocation waits for, starts as V8
// starts any heap (runtime/ahead-heap.ts). Code caches are read and made outside the window in which
// the young generation's flag is on, as V8 refuses them across it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { aheadHeapWhileCreating, youngGenerationWindow } from '../../src/runtime/ahead-heap.ts';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { SCRIPT_PREFIX, SCRIPT_SUFFIX } from '../../src/runtime/script-wrapper.ts';
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
  // Listened for first: a worker that ends before its message is delivered has it delivered from its
  // exit, 'exit' following at once, before an await after the message could listen for it.
  const exited = once(worker, 'exit');
  const [size] = (await once(worker, 'message')) as [number];
  await exited;
  return size;
}

function newSpaceAtFirstInvocation(result: InvokeResult): number {
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  return Number((result.outcome as { payload: string }).payload);
}

test('pre-started environments find their new space at 16 MB at their first invocation; provisioned ones and an on-demand one without a pre-started runtime do not', async () => {
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
  const provisioned = newSpaceAtFirstInvocation(await runtime.invoke('provisioned', '{}'));
  assert.ok(provisioned < FULL, `provisioned new space ${provisioned} bytes`);
});

test('the full young generation lasts while any pre-started sandbox is being created, and calling its end twice is harmless', async () => {
  const first = aheadHeapWhileCreating('prestarted');
  const second = aheadHeapWhileCreating('prestarted');
  const provisioned = aheadHeapWhileCreating('provisioned');
  try {
    assert.equal(await newSpaceOfAFreshWorker(), FULL);
    provisioned();
    first();
    first();
    assert.equal(await newSpaceOfAFreshWorker(), FULL, 'the second is still being created');
  } finally {
    first();
    second();
    provisioned();
  }
  assert.ok((await newSpaceOfAFreshWorker()) < FULL);
  // A provisioned sandbox's own window does not hold the young generation's flag.
  const alone = aheadHeapWhileCreating('provisioned');
  try {
    assert.ok((await newSpaceOfAFreshWorker()) < FULL);
  } finally {
    alone();
  }
});

/** A script form of a tiny bundle and V8's cache of it, made on this thread with V8's default flags. */
function scriptWithCache(): { file: string; codeCache: Uint8Array } {
  const file = join(build.dir, 'cached.cjs');
  writeFileSync(file, 'function twice(x) { return x * 2 }\nmodule.exports.answer = twice(21);\n');
  const source = SCRIPT_PREFIX + readFileSync(file, 'utf8') + SCRIPT_SUFFIX;
  const made = new vm.Script(source, { filename: file, lineOffset: -1 }).createCachedData();
  const codeCache = new Uint8Array(new SharedArrayBuffer(made.byteLength));
  codeCache.set(made);
  return { file, codeCache };
}

/** The loader bundled as the environment's bootstrap is (runtime/bundler.ts): workers do not load TypeScript. */
function loaderFile(): string {
  const outfile = join(build.dir, 'load-bundle.mjs');
  if (!existsSync(outfile)) {
    buildSync({
      entryPoints: [fileURLToPath(new URL('../../src/runtime/worker/load-bundle.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile,
      logLevel: 'silent',
    });
  }
  return outfile;
}

/**
 * A worker that has imported the environment's bundle loader (worker/load-bundle.ts) and runs `body`
 * (an async function body: `loader`, `workerData`, `parentPort`, `vm`, `read` in scope); what it
 * returns is posted.
 */
function loaderWorker(body: string, data: Record<string, unknown>): Worker {
  return new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const vm = require('node:vm');
     const read = (file) => workerData.prefix + require('node:fs').readFileSync(file, 'utf8') + workerData.suffix;
     import(workerData.loader).then(async (loader) => parentPort.postMessage(await (async () => { ${body} })()));`,
    {
      eval: true,
      workerData: { ...data, loader: pathToFileURL(loaderFile()).href, prefix: SCRIPT_PREFIX, suffix: SCRIPT_SUFFIX },
    },
  );
}

async function answerOf(worker: Worker): Promise<Record<string, unknown>> {
  const [answer] = (await once(worker, 'message')) as [Record<string, unknown>];
  await worker.terminate();
  return answer;
}

/** Whether V8 refuses `codeCache` for `file` in a worker created now, as an environment would read it. */
function refusedInAWorker(file: string, codeCache: Uint8Array): Promise<Record<string, unknown>> {
  return answerOf(
    loaderWorker(
      `const compiled = new vm.Script(read(workerData.file), { filename: workerData.file, lineOffset: -1, cachedData: workerData.codeCache });
       return { refused: compiled.cachedDataRejected };`,
      { file, codeCache },
    ),
  );
}

test("an environment reads its function's code cache only outside the young generation's window, where V8 would refuse it", async () => {
  const { file, codeCache } = scriptWithCache();
  const window = aheadHeapWhileCreating('prestarted');
  // V8's own behaviour, the reason for the wait: a worker that reads the cache inside the window is refused.
  assert.deepEqual(await refusedInAWorker(file, codeCache), { refused: true });
  // The environment's loader waits for the window to close (300 ms on), then reads the cache.
  const closing = setTimeout(window, 300);
  try {
    const loaded = await answerOf(
      loaderWorker(
        `const exports = await loader.loadBundle('unused', workerData.script, workerData.window);
         return { answer: exports.answer, refused: loader.cacheRejected };`,
        { script: { file, codeCache }, window: youngGenerationWindow },
      ),
    );
    assert.deepEqual(loaded, { answer: 42, refused: false });
  } finally {
    clearTimeout(closing);
    window();
  }
  assert.deepEqual(await refusedInAWorker(file, codeCache), { refused: false });
});

test("the memory reducer's flag is not in V8's flag hash: a provisioned sandbox's own flag needs no window", async () => {
  const { file, codeCache } = scriptWithCache();
  setFlagsFromString('--no-memory-reducer');
  try {
    assert.deepEqual(await refusedInAWorker(file, codeCache), { refused: false });
  } finally {
    setFlagsFromString('--memory-reducer');
  }
});

test('an environment makes its executed code cache only outside the window, where it is accepted', async () => {
  const { file, codeCache } = scriptWithCache();
  const worker = loaderWorker(
    `await loader.loadBundle('unused', workerData.script, workerData.window);
     parentPort.postMessage('loaded');
     await new Promise((resolve) => parentPort.once('message', resolve));
     return { cache: loader.executedCodeCache() };`,
    { script: { file, codeCache }, window: youngGenerationWindow },
  );
  await once(worker, 'message');
  const window = aheadHeapWhileCreating('prestarted');
  worker.postMessage('make it now');
  const closing = setTimeout(window, 300);
  let made: Uint8Array;
  try {
    made = (await answerOf(worker)).cache as Uint8Array;
  } finally {
    clearTimeout(closing);
    window();
  }
  assert.deepEqual(await refusedInAWorker(file, made), { refused: false });
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
