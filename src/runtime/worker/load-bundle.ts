/**
 * Loads a function's code. With a script form and its function's code cache (runtime/code-cache.ts),
 * the bundle is compiled from the cache with `vm.Script`, skipping the parse and compile of the bundle
 * (the AWS SDK in it) that every environment would otherwise repeat. The script keeps the ES module's
 * semantics that code can see: strict mode, `import.meta` of the bundle, no `__dirname`, top-level
 * awaits that are part of the init; a bundle with a run-time `import()` of unbundled code has no
 * script form and is imported.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { ScriptForm } from '../protocol.ts';
import { SCRIPT_SUFFIX, scriptPrefix } from '../script-wrapper.ts';
import { outsideFlagWindow } from './outside-flag-window.ts';
import { mapStackTraces } from './source-map.ts';

type Namespace = Record<string, unknown>;

/** The compiled bundle, kept for the code cache the host may ask for after the first invocation. */
let compiled: vm.Script | undefined;
/** Whether V8 refused the cache it was given, compiling the bundle afresh. */
export let cacheRejected = false;
/** The young generation's flag window (runtime/ahead-heap.ts): caches are read and made outside it. */
let flagWindow: SharedArrayBuffer | undefined;

export async function loadBundle(
  bundleUrl: string,
  script: ScriptForm | undefined,
  youngGenerationWindow?: SharedArrayBuffer,
): Promise<Namespace> {
  if (!script?.codeCache) return (await import(bundleUrl)) as Namespace;
  const { file, codeCache, async } = script;
  const source = scriptPrefix(async) + (await readFile(file, 'utf8')) + SCRIPT_SUFFIX;
  flagWindow = youngGenerationWindow;
  const compile = () => new vm.Script(source, { filename: file, lineOffset: -1, cachedData: codeCache });
  outsideFlagWindow(flagWindow);
  compiled = compile();
  // A window that opened between the wait and the read: once it has closed, the cache is good again.
  if (compiled.cachedDataRejected && outsideFlagWindow(flagWindow)) compiled = compile();
  // A cache V8 refused (another V8's flags: NODE_OPTIONS differs from the session that saved it) is
  // replaced by this environment's after its first invocation.
  cacheRejected = compiled.cachedDataRejected === true;
  // Stack traces name the user's .ts lines, as Node's own loaders do with source maps enabled.
  mapStackTraces(file, `${file}.map`);
  const url = pathToFileURL(file).href;
  const meta = { url, filename: file, dirname: dirname(file) };
  const module = { exports: {} as Namespace };
  const run = compiled.runInThisContext() as (...args: unknown[]) => unknown;
  // The async form hands its namespace over at its end (script-wrapper.ts); the CommonJS one fills `module`.
  let namespace: Namespace | undefined;
  const ran = run.call(undefined, module.exports, createRequire(file), module, meta, (ns: Namespace) => {
    namespace = ns;
  });
  // Its top-level awaits are the function's init, as an ES module's are.
  if (async) await ran;
  return namespace ?? module.exports;
}

/**
 * V8's code cache of the bundle now, with every function compiled so far (the module bodies the init
 * ran, the handler's path through the SDK), in shared memory; undefined when the bundle was imported.
 */
export function executedCodeCache(): Uint8Array | undefined {
  if (!compiled) return undefined;
  outsideFlagWindow(flagWindow);
  const data = compiled.createCachedData();
  const shared = new Uint8Array(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  return shared;
}
