/**
 * Compile once per function: V8's code cache of a bundle's script form, produced once per build and
 * handed to every execution environment of the function (worker/load-bundle.ts), so fifty cold starts
 * do not parse and compile the same megabyte fifty times. Nothing of the function runs here: a
 * short-lived worker only compiles the script (it is never run), so no environment is shared and
 * every cold start still runs the function's init itself, when its invocation arrives; its Init
 * Duration is what it really spent, without the compile it no longer repeats.
 *
 * Node 20 has no cache for `import()` (`module.enableCompileCache` is Node 22), and a
 * `vm.SourceTextModule` compiled from a cache (or made in another isolate) loses its dynamic-import
 * hook (the AWS SDK imports `https` that way), hence the bundle's script form (bundler.ts), whose
 * `import()` of built-ins esbuild turned into `require()`. Measured on the example's orders bundle, per
 * environment: import 65-80 ms without a cache, 40-45 ms with a compile-only one.
 *
 * The cache belongs to one bundle object: a rebuild makes a new bundle (and a new cache), so an edited
 * handler never runs stale code; V8 also checks the source's hash and rejects a mismatch. It lives in
 * a SharedArrayBuffer: handing it to fifty workers copies nothing.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { FunctionBundle } from './bundler.ts';
import { SCRIPT_PREFIX, SCRIPT_SUFFIX } from './script-wrapper.ts';

const COMPILER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const vm = require('node:vm');
const source = workerData.prefix + readFileSync(workerData.file, 'utf8') + workerData.suffix;
const script = new vm.Script(source, {
  filename: workerData.file,
  lineOffset: -1,
});
const data = script.createCachedData();
const shared = new Uint8Array(new SharedArrayBuffer(data.byteLength));
shared.set(data);
parentPort.postMessage(shared);
`;

/** Compiles the script in a throwaway worker and returns its code cache, or undefined when it cannot. */
async function produceCodeCache(scriptFile: string): Promise<Uint8Array | undefined> {
  const worker = new Worker(COMPILER, {
    eval: true,
    workerData: { file: scriptFile, prefix: SCRIPT_PREFIX, suffix: SCRIPT_SUFFIX },
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

/** Gives the bundle's script form its code cache (without one, environments import the ES module). */
export async function attachCodeCache(bundle: FunctionBundle): Promise<void> {
  if (bundle.script) bundle.script.codeCache = await produceCodeCache(bundle.script.file);
}
