/**
 * Bundles handlers with the options `gantry deploy` bundles them with (the config's BUNDLE_OPTIONS,
 * through the same esbuild), so the code that runs locally is the code that would be deployed: one
 * ESM file per function with its dependencies, the AWS SDK included (measured 113 → 74 ms Init
 * Duration for the example against loading the SDK's modules, 1.7 → 1.0 s for 20 concurrent cold
 * starts). Locally each build gets a file of its own (`{name}-{hash}.mjs`) so hot reload can swap.
 */
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildFailure, type BuildOptions, type BuildResult, build, type Message } from 'esbuild';
import { BUNDLE_OPTIONS, type ResolvedFunction } from '../config/index.ts';
import { LAZY_GLOBALS } from './protocol.ts';
import { EXPORTS_PARAMETER, IMPORT_META_PARAMETER } from './script-wrapper.ts';

export interface FunctionBundle {
  functionName: string;
  /** Absolute path of the bundle (`{name}-{content hash}.mjs`): a rebuild with new code gets a new file. */
  file: string;
  url: string;
  /** Every file written for it (bundle and source map). */
  files: string[];
  /** Absolute paths of the source files it was built from, node_modules excluded: what hot reload watches. */
  inputs: string[];
  /** The entry module's exports as esbuild saw them. */
  exports: string[];
  /**
   * Node's built-in modules it imports, and the globals it names whose first use loads one of Node's
   * modules (`ReadableStream`, which the AWS SDK checks for): a sandbox loads them before the
   * function's init (sandbox.ts, worker/preload.ts).
   */
  preload: string[];
  /**
   * The same bundle as a script (CommonJS output, or an async function's body when it awaits at its top
   * level; strict, `import.meta` passed in), which V8 can compile from a code cache on Node 20
   * (code-cache.ts); absent when the code cannot be one (a run-time import).
   */
  script?: {
    file: string;
    /** It awaits at its top level: an async function whose namespace comes at its end (script-wrapper.ts). */
    async?: boolean;
    codeCache?: Uint8Array;
    /** The cache holds the code an environment ran (its first invocation), not only the compile's. */
    executed?: boolean;
    /** An environment was asked to send its code cache after its first invocation. */
    requested?: boolean;
    /** A refused cache was replaced (once per bundle: every environment given it sends one). */
    replaced?: boolean;
  };
}

export type BundleResult = { ok: true; bundle: FunctionBundle } | { ok: false; problem: string; inputs: string[] };

export function functionOutDir(buildDir: string, functionName: string): string {
  return join(buildDir, 'functions', functionName);
}

/** Builds one function. Never throws: a failure is a problem line naming function, handler, file and cause. */
export async function bundleFunction(
  fn: ResolvedFunction,
  projectDir: string,
  buildDir: string,
  /** Also build the script form that environments compile from a shared code cache (code-cache.ts). */
  withScript = false,
): Promise<BundleResult> {
  const file = relative(projectDir, fn.modulePath);
  const where = `function "${fn.name}" (handler "${fn.handler}")`;
  try {
    await access(fn.modulePath);
  } catch {
    return { ok: false, problem: `${where}: module ${file} does not exist`, inputs: [fn.modulePath] };
  }
  const outdir = functionOutDir(buildDir, fn.name);
  let result: Awaited<ReturnType<typeof buildHandler>>;
  const script = withScript ? buildScript(fn.modulePath, projectDir, outdir) : undefined;
  try {
    result = await buildHandler(fn.modulePath, projectDir, outdir);
  } catch (error) {
    const errors = (error as Partial<BuildFailure>).errors ?? [];
    const detail = errors.length ? errors.map(formatMessage).join('; ') : String(error);
    const failed = errors.flatMap((m) => (m.location ? [resolve(projectDir, m.location.file)] : []));
    return {
      ok: false,
      problem: `${where}: ${file} could not be bundled: ${detail}`,
      inputs: [...new Set([fn.modulePath, ...failed])],
    };
  }
  const { metafile, outputFiles } = result;
  const inputs = Object.keys(metafile.inputs)
    .filter((input) => !input.includes('node_modules/') && !input.includes(':'))
    .map((input) => resolve(projectDir, input));
  const [outputKey, output] = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint !== undefined) ?? [];
  if (!outputKey || !output) return { ok: false, problem: `${where}: esbuild produced no bundle for ${file}`, inputs };
  const exports = output.exports;
  // A CommonJS entry becomes `export default module.exports`: its named exports are only known at run time.
  const cjs = output.entryPoint && metafile.inputs[output.entryPoint]?.format === 'cjs' && exports.includes('default');
  if (!exports.includes(fn.exportName) && !cjs) {
    const known = exports.length ? `its exports: ${exports.join(', ')}` : 'it has no exports';
    return { ok: false, problem: `${where}: ${file} has no export "${fn.exportName}" (${known})`, inputs };
  }
  const bundleFile = resolve(projectDir, outputKey);
  const scriptForm = await script;
  const scriptFiles = scriptForm?.files;
  await mkdir(outdir, { recursive: true });
  for (const files of [outputFiles, scriptFiles ?? []]) {
    // The source map first: the worker reads it when it imports the bundle.
    const ordered = [...files].sort((a, b) => Number(!a.path.endsWith('.map')) - Number(!b.path.endsWith('.map')));
    for (const out of ordered) await writeAtomic(out.path, out.contents);
  }
  const scriptFile = scriptFiles?.find((o) => o.path.endsWith('.cjs'))?.path;
  return {
    ok: true,
    bundle: {
      functionName: fn.name,
      file: bundleFile,
      url: pathToFileURL(bundleFile).href,
      files: [...outputFiles, ...(scriptFiles ?? [])].map((o) => o.path),
      inputs,
      exports,
      preload: [
        ...new Set(output.imports.filter((i) => i.external && isBuiltin(i.path)).map((i) => i.path)),
        ...lazyGlobalsNamed(outputFiles.find((o) => o.path === bundleFile)?.text ?? ''),
      ],
      ...(scriptFile ? { script: { file: scriptFile, async: scriptForm?.async } } : {}),
    },
  };
}

/** The globals `preload.ts` loads ahead when a bundle names them. */
function lazyGlobalsNamed(code: string): string[] {
  return LAZY_GLOBALS.filter((name) => code.includes(name));
}

/**
 * The script form of the bundle, built beside it from the same sources; undefined when it imports at
 * run time what is not bundled (a code cache drops the dynamic-import hook a script needs on Node 20,
 * so `import()` becomes `require()`, which holds for Node's built-ins only): the function then runs
 * from its ES module alone. CommonJS output, unless the code awaits at its top level, which esbuild
 * writes only as an ES module: that one becomes an async function's body (asyncScriptOptions).
 */
async function buildScript(entry: string, projectDir: string, outdir: string) {
  const options = {
    entryPoints: [entry],
    absWorkingDir: projectDir,
    outdir,
    entryNames: '[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    // What the deployed bundle is built with, minification included: a third less source for every
    // environment to read and hand to V8 (the example's orders function: 962 → 642 KB, its compile
    // from the code cache 8-9 → 4.5-5 ms of thread CPU in a 50-environment storm).
    ...BUNDLE_OPTIONS,
    format: 'cjs',
    // An ES module is strict throughout; so is its script form.
    banner: { js: '"use strict";' },
    define: { 'import.meta': IMPORT_META_PARAMETER },
    supported: { 'dynamic-import': false },
    metafile: true,
    write: false,
    logLevel: 'silent',
  } satisfies BuildOptions;
  let result: BuildResult<typeof options>;
  let async = false;
  try {
    result = await build(options);
  } catch (error) {
    const awaits = ((error as Partial<BuildFailure>).errors ?? []).some((m) => m.text.includes('Top-level await'));
    if (!awaits) return undefined;
    try {
      result = await build({ ...options, ...asyncScriptOptions(entry) });
      async = true;
    } catch {
      return undefined;
    }
  }
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
  const runtimeImport = imports.some((i) => i.kind === 'dynamic-import' && i.external && !isBuiltin(i.path));
  // "This call to "import" will not be bundled because the argument is not a string literal"
  const computedImport = result.warnings.some((w) => w.text.includes('"import"'));
  return runtimeImport || computedImport ? undefined : { files: result.outputFiles, async: async || undefined };
}

const SCRIPT_ENTRY = 'gantry:script-entry';
const BUILTIN = 'gantry-builtin';

/**
 * The script form of a bundle with top-level await: esbuild's ES module output, with nothing in it a
 * function body cannot hold. Its entry is a module of ours that imports the handler's module and hands
 * its namespace to EXPORTS_PARAMETER, so no `export` is left; Node's built-ins, imported statically or
 * with `import()`, become `require()` calls (the wrapper's `require`), so no `import` is left either.
 */
function asyncScriptOptions(entry: string): BuildOptions {
  const name = basename(entry).replace(/\.[^.]*$/, '');
  return {
    format: 'esm',
    entryPoints: [{ in: SCRIPT_ENTRY, out: name }],
    plugins: [
      {
        name: 'gantry-async-script',
        setup(build) {
          build.onResolve({ filter: new RegExp(`^${SCRIPT_ENTRY}$`) }, () => ({
            path: entry,
            namespace: SCRIPT_ENTRY,
          }));
          build.onLoad({ filter: /.*/, namespace: SCRIPT_ENTRY }, () => ({
            contents: `import * as namespace from ${JSON.stringify(entry)};\n${EXPORTS_PARAMETER}(namespace);\n`,
            loader: 'js',
            resolveDir: dirname(entry),
          }));
          // A require() of a built-in stays as it is: the wrapper's `require` answers it.
          build.onResolve({ filter: /.*/ }, (args) =>
            args.kind !== 'require-call' && isBuiltin(args.path) ? { path: args.path, namespace: BUILTIN } : undefined,
          );
          build.onLoad({ filter: /.*/, namespace: BUILTIN }, (args) => ({
            contents: `module.exports = require(${JSON.stringify(args.path)});`,
            loader: 'js',
          }));
        },
      },
    ],
  };
}

function buildHandler(entry: string, projectDir: string, outdir: string) {
  return build({
    entryPoints: [entry],
    absWorkingDir: projectDir,
    outdir,
    entryNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    ...BUNDLE_OPTIONS,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
}

function formatMessage(message: Message): string {
  const at = message.location;
  return at ? `${at.file}:${at.line}:${at.column + 1}: ${message.text}` : message.text;
}

/** Bundles the worker bootstrap (tsx cannot start a worker from .ts on Node 20) and returns its path. */
export async function bundleBootstrap(buildDir: string): Promise<string> {
  const entry = fileURLToPath(new URL('./worker/bootstrap.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const contents = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 12);
  const file = join(buildDir, `bootstrap-${hash}.mjs`);
  await mkdir(buildDir, { recursive: true });
  await writeAtomic(file, contents);
  return file;
}

/** Files untouched this long are leftovers of earlier sessions; anything newer may be in use. */
export const STALE_BUNDLE_MS = 60 * 60 * 1000;

/**
 * Removes a function's bundles left by earlier sessions, keeping `keep`. Only stale files go: another
 * gantry on the same project (`gantry invoke` beside `gantry dev`, parallel test processes) may be
 * writing or running the recent ones.
 */
export async function pruneBundles(outdir: string, keep: FunctionBundle, now = Date.now()): Promise<void> {
  const names = await readdir(outdir).catch(() => [] as string[]);
  const kept = new Set(keep.files.map((f) => basename(f)));
  await Promise.all(
    names
      .filter((n) => !kept.has(n))
      .map(async (n) => {
        const file = join(outdir, n);
        const info = await stat(file).catch(() => undefined);
        if (info && now - info.mtimeMs > STALE_BUNDLE_MS) await unlink(file).catch(() => {});
      }),
  );
}

export async function removeBundle(bundle: FunctionBundle): Promise<void> {
  await Promise.all(bundle.files.map((f) => unlink(f).catch(() => {})));
}

/** Write then rename, so a worker (or a second gantry on the same project) never imports half a file. */
async function writeAtomic(file: string, contents: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, contents);
  await rename(tmp, file);
}
