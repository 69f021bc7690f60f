/**
 * Compile once per function: V8's code cache of a bundle's script form, handed to every execution
 * environment of the function (worker/load-bundle.ts), so fifty cold starts do not parse and compile
 * the same megabyte fifty times. Nothing of the function runs outside its environments: no environment
 * is shared, and every cold start still runs the function's init itself, when its invocation arrives;
 * its Init Duration is what it really spent, without the compile it no longer repeats.
 *
 * Two caches, in turn:
 * - compile-only, made at build by a short-lived worker that compiles the script and never runs it.
 *   V8 compiles functions lazily, on their first call, so this holds little beyond the top level:
 *   esbuild wraps each bundled module in a function, and the SDK's code is all functions.
 * - executed: the first environment of a bundle sends V8's cache after its first invocation
 *   (`script.createCachedData()` then holds every function its init and that invocation compiled),
 *   after its answer went out, and later environments compile from it. It is saved beside the
 *   script (`{script}.{arch}-v8-{version}.cache`), so the next `gantry dev` on the same code starts
 *   from it. Measured per environment on the example's POST /orders (thread CPU from /proc): bundle
 *   load 36-42 → 24 ms, first invocation 38 → 20-26 ms against the compile-only cache.
 *
 * Node 20 has no cache for `import()` (`module.enableCompileCache` is Node 22), and a
 * `vm.SourceTextModule` compiled from a cache (or made in another isolate) loses its dynamic-import
 * hook (the AWS SDK imports `https` that way), hence the bundle's script form (bundler.ts), whose
 * `import()` of built-ins esbuild turned into `require()`.
 *
 * A cache belongs to one bundle object and its script file, whose name is its content's hash: a
 * rebuild with an edit makes a new bundle, file and cache, so an edited handler never runs stale code;
 * V8 also checks its own version, flags and the source, and compiles afresh when one differs. A cache
 * lives in a SharedArrayBuffer: handing it to fifty workers copies nothing.
 */
import { once } from 'node:events';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { youngGenerationWindow } from './ahead-heap.ts';
import type { FunctionBundle } from './bundler.ts';
import type { ScriptForm } from './protocol.ts';
import { SCRIPT_SUFFIX, scriptPrefix } from './script-wrapper.ts';

const COMPILER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const vm = require('node:vm');
const source = workerData.prefix + readFileSync(workerData.file, 'utf8') + workerData.suffix;
const script = new vm.Script(source, {
  filename: workerData.file,
  lineOffset: -1,
});
// Made outside the young generation's flag window, as worker/outside-flag-window.ts explains.
const creating = new Int32Array(workerData.window);
const deadline = Date.now() + 5000;
for (let open; (open = Atomics.load(creating, 0)) !== 0 && Date.now() < deadline; ) {
  Atomics.wait(creating, 0, open, deadline - Date.now());
}
const data = script.createCachedData();
const shared = new Uint8Array(new SharedArrayBuffer(data.byteLength));
shared.set(data);
parentPort.postMessage(shared);
`;

/** Where a script's executed cache is saved: V8's caches are valid for one V8 version and architecture. */
export function savedCacheFile(scriptFile: string): string {
  return `${scriptFile}.${process.arch}-v8-${process.versions.v8}.cache`;
}

/** Compiles the script in a throwaway worker and returns its code cache, or undefined when it cannot. */
async function produceCodeCache(scriptFile: string, async: boolean | undefined): Promise<Uint8Array | undefined> {
  const worker = new Worker(COMPILER, {
    eval: true,
    workerData: { file: scriptFile, prefix: scriptPrefix(async), suffix: SCRIPT_SUFFIX, window: youngGenerationWindow },
    execArgv: [],
    env: {},
    stdout: true,
    stderr: true,
    name: 'gantry:code-cache',
  });
  worker.stdout.resume();
  worker.stderr.resume();
  try {
    const [cache] = (await once(worker, 'message')) as [Uint8Array];
    return cache;
  } catch {
    return undefined;
  } finally {
    void worker.terminate();
  }
}

async function readSavedCache(scriptFile: string): Promise<Uint8Array | undefined> {
  try {
    const data = await readFile(savedCacheFile(scriptFile));
    const shared = new Uint8Array(new SharedArrayBuffer(data.byteLength));
    shared.set(data);
    return shared;
  } catch {
    return undefined;
  }
}

/**
 * Gives the bundle's script form its code cache: the executed one an earlier session saved for this
 * very script, else a compile-only one (without a cache, environments import the ES module).
 */
export async function attachCodeCache(bundle: FunctionBundle): Promise<void> {
  const script = bundle.script;
  if (!script) return;
  const saved = await readSavedCache(script.file);
  if (saved) {
    script.codeCache = saved;
    script.executed = true;
    bundle.files.push(savedCacheFile(script.file));
    return;
  }
  script.codeCache = await produceCodeCache(script.file, script.async);
}

/**
 * Whether an environment starting now on `bundle` should send its code cache after its first
 * invocation: the first one to start while the bundle has only a compile-only cache.
 */
export function claimCacheProduction(bundle: FunctionBundle): boolean {
  const script = bundle.script;
  if (!script?.codeCache || script.executed || script.requested) return false;
  script.requested = true;
  return true;
}

/** What an environment of `bundle` compiles its code from (protocol.ts), or undefined: it imports the ES module. */
export function scriptFormOf(bundle: FunctionBundle, produceCache: boolean): ScriptForm | undefined {
  const script = bundle.script;
  return script && { file: script.file, async: script.async, codeCache: script.codeCache, produceCache };
}

/** The asked environment ended without sending it: the next one to start is asked instead. */
export function releaseCacheProduction(bundle: FunctionBundle): void {
  if (bundle.script && !bundle.script.executed) bundle.script.requested = false;
}

/**
 * An environment's executed cache: later environments of the bundle start from it, and so will later
 * sessions. One made because V8 refused the saved one (V8 flags that differ from the saving session's)
 * replaces it, once.
 */
export function acceptExecutedCache(
  bundle: FunctionBundle,
  cache: Uint8Array,
  replacesRejected = false,
): Promise<void> {
  const script = bundle.script;
  if (!script || (script.executed && (!replacesRejected || script.replaced))) return Promise.resolve();
  if (replacesRejected) script.replaced = true;
  const file = savedCacheFile(script.file);
  if (!script.executed) bundle.files.push(file);
  script.codeCache = cache;
  script.executed = true;
  // Written then renamed, so a session starting meanwhile never reads half of it; a cache that cannot
  // be saved only costs the next session the same first invocation.
  const tmp = `${file}.${process.pid}.tmp`;
  return writeFile(tmp, cache)
    .then(() => rename(tmp, file))
    .catch(() => {});
}
