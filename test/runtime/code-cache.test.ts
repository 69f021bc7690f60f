import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import vm from 'node:vm';
import { bundleFunction } from '../../src/runtime/bundler.ts';
import { attachCodeCache, claimCacheProduction, savedCacheFile } from '../../src/runtime/code-cache.ts';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { SCRIPT_PREFIX, SCRIPT_SUFFIX, scriptPrefix } from '../../src/runtime/script-wrapper.ts';
import { configFor, gate, recorder, waitFor } from './helpers.ts';

const dirs: string[] = [];
const runtimes: Runtime[] = [];

after(async () => {
  await Promise.all(runtimes.map((r) => r.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-code-cache-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function payload(result: InvokeResult): unknown {
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  return JSON.parse((result.outcome as { payload: string }).payload);
}

/** What a handler sees of the module it runs in. */
const introspect = `
const strict = (function (this: unknown) { return this === undefined; })();
export const handler = async () => ({
  file: import.meta.url.slice(import.meta.url.lastIndexOf('.')),
  strict,
  dirname: typeof (globalThis as { __dirname?: string }).__dirname,
  os: typeof (await import('node:os')).cpus,
});
`;

describe('compile once per function', () => {
  test("environments run the function's shared compiled code with an ES module's semantics", async () => {
    const dir = project({ 'app.ts': introspect });
    const runtime = createRuntime(configFor({ app: { handler: 'app.handler' } }, {}, dir));
    runtimes.push(runtime);
    await runtime.start();
    const g = await gate();
    try {
      // Two at once: two environments, both compiled from the one cache.
      const results = await Promise.all([runtime.invoke('app', '{}'), runtime.invoke('app', '{}')]);
      assert.notEqual(results[0].report!.environmentId, results[1].report!.environmentId);
      for (const result of results) {
        assert.equal(result.report!.coldStart, true);
        assert.deepEqual(payload(result), { file: '.cjs', strict: true, dirname: 'undefined', os: 'function' });
      }
    } finally {
      await g.close();
    }
  });

  test('without the cache the function is imported as its ES module', async () => {
    const dir = project({ 'app.ts': introspect });
    const off = createRuntime(configFor({ app: { handler: 'app.handler' } }, {}, dir), { codeCache: false });
    runtimes.push(off);
    await off.start();
    assert.deepEqual(payload(await off.invoke('app', '{}')), {
      file: '.mjs',
      strict: true,
      dirname: 'undefined',
      os: 'function',
    });
  });

  test('a handler that awaits at its top level runs from the shared compiled code too, its awaits part of its init', async () => {
    const dir = project({
      'tla.ts': `import { hostname } from 'node:os';
const ready = await new Promise<string>((resolve) => setTimeout(() => resolve('tla'), 20));
const strict = (function (this: unknown) { return this === undefined; })();
export const handler = async () => ({
  ready,
  strict,
  host: hostname() === (await import('node:os')).hostname(),
  file: import.meta.url.slice(import.meta.url.lastIndexOf('.')),
  dirname: typeof (globalThis as { __dirname?: string }).__dirname,
});
`,
      'broken.ts': "await Promise.reject(new Error('no config'));\nexport const handler = async () => 'never';\n",
    });
    const config = configFor({ tla: { handler: 'tla.handler' }, broken: { handler: 'broken.handler' } }, {}, dir);
    const built = await bundleFunction(config.functions.tla, dir, join(dir, '.gantry', 'check'), true);
    assert.ok(built.ok);
    assert.equal(built.bundle.script?.async, true, 'a script form that awaits');
    const runtime = createRuntime(config);
    runtimes.push(runtime);
    await runtime.start();
    const expected = { ready: 'tla', strict: true, host: true, file: '.cjs', dirname: 'undefined' };
    const first = await runtime.invoke('tla', '{}');
    assert.deepEqual(payload(first), expected);
    // The awaits ran in the init, before the first invocation: Init Duration holds them (a 20 ms timer).
    assert.ok((first.report!.initDurationMs ?? 0) >= 20, `Init Duration ${first.report!.initDurationMs} ms`);
    // The first environment's executed cache is saved, and V8 takes it for the async script's source.
    const outdir = join(dir, '.gantry', 'build', 'functions', 'tla');
    const saved = () => readdirSync(outdir).filter((f) => f.endsWith('.cache'));
    await waitFor(() => saved().length === 1, 'the executed cache to be saved');
    const script = join(outdir, readdirSync(outdir).find((f) => f.endsWith('.cjs'))!);
    const compiled = new vm.Script(scriptPrefix(true) + readFileSync(script, 'utf8') + SCRIPT_SUFFIX, {
      filename: script,
      lineOffset: -1,
      cachedData: readFileSync(savedCacheFile(script)),
    });
    assert.equal(compiled.cachedDataRejected, false);
    // Two more environments at once start from it.
    const later = await Promise.all([
      runtime.invoke('tla', '{}'),
      runtime.invoke('tla', '{}'),
      runtime.invoke('tla', '{}'),
    ]);
    for (const result of later) assert.deepEqual(payload(result), expected);
    // A rejected top-level await is the function's init failing, as an ES module's is.
    const failed = await runtime.invoke('broken', '{}');
    assert.equal(failed.outcome.status, 'init-error');
    assert.match(JSON.stringify(failed.outcome), /no config/);
  });

  test("the first environment's executed code is shared with later environments and saved for later sessions", async () => {
    const dir = project({
      'app.ts':
        "import { join } from 'node:path';\nconst base = join('a', 'b');\nexport const handler = async (event: { n: number }) => base + ':' + event.n * 2;\n",
    });
    const config = configFor({ app: { handler: 'app.handler' } }, {}, dir);
    const outdir = join(dir, '.gantry', 'build', 'functions', 'app');
    const saved = () => readdirSync(outdir).filter((f) => f.endsWith('.cache'));
    const runtime = createRuntime(config);
    runtimes.push(runtime);
    await runtime.start();
    assert.deepEqual(saved(), [], 'a fresh build has only a compile-only cache');
    assert.equal(payload(await runtime.invoke('app', '{"n":1}')), 'a/b:2');
    // Sent after the first invocation's answer, then saved beside the script.
    await waitFor(() => saved().length === 1, 'the executed cache to be saved');
    const script = join(outdir, readdirSync(outdir).find((f) => f.endsWith('.cjs'))!);
    assert.equal(savedCacheFile(script), join(outdir, saved()[0]));
    // V8 accepts it for the script's source: it is a cache of this code, not merely a file.
    const source = SCRIPT_PREFIX + readFileSync(script, 'utf8') + SCRIPT_SUFFIX;
    const compiled = new vm.Script(source, {
      filename: script,
      lineOffset: -1,
      cachedData: readFileSync(savedCacheFile(script)),
    });
    assert.equal(compiled.cachedDataRejected, false);
    // Later environments start from it.
    const later = await Promise.all([2, 3].map((n) => runtime.invoke('app', `{"n":${n}}`)));
    assert.deepEqual(later.map(payload), ['a/b:4', 'a/b:6']);
    assert.equal(later.filter((r) => r.report!.coldStart).length, 1, 'one new environment beside the warm one');
    await runtime.stop();

    // A later session on the same code starts from the saved cache and asks no environment for another.
    const result = await bundleFunction(config.functions.app, dir, join(dir, '.gantry', 'build'), true);
    assert.ok(result.ok);
    await attachCodeCache(result.bundle);
    assert.equal(result.bundle.script?.executed, true);
    assert.equal(claimCacheProduction(result.bundle), false);
    const next = createRuntime(config);
    runtimes.push(next);
    await next.start();
    assert.equal(payload(await next.invoke('app', '{"n":5}')), 'a/b:10');
    assert.equal(saved().length, 1);
    assert.ok(existsSync(script));
  });

  test("a saved cache V8 refuses (another V8 flag set) is replaced by the next session's executed one", async () => {
    const dir = project({ 'app.ts': "export const handler = async () => 'ok';\n" });
    const config = configFor({ app: { handler: 'app.handler' } }, {}, dir);
    const outdir = join(dir, '.gantry', 'build', 'functions', 'app');
    const result = await bundleFunction(config.functions.app, dir, join(dir, '.gantry', 'build'), true);
    assert.ok(result.ok && result.bundle.script);
    const script = result.bundle.script.file;
    const refused = Buffer.from('not a code cache of this V8');
    writeFileSync(savedCacheFile(script), refused);
    const runtime = createRuntime(config);
    runtimes.push(runtime);
    await runtime.start();
    assert.equal(payload(await runtime.invoke('app', '{}')), 'ok');
    await waitFor(() => !readFileSync(savedCacheFile(script)).equals(refused), 'the refused cache to be replaced');
    const source = SCRIPT_PREFIX + readFileSync(script, 'utf8') + SCRIPT_SUFFIX;
    const compiled = new vm.Script(source, {
      filename: script,
      lineOffset: -1,
      cachedData: readFileSync(savedCacheFile(script)),
    });
    assert.equal(compiled.cachedDataRejected, false);
    assert.equal(readdirSync(outdir).filter((f) => f.endsWith('.cache')).length, 1);
  });

  test("the script form is minified as the deployed bundle, and its stack traces still name the handler's lines", async () => {
    const source = [
      'function check(quantity: number): number {',
      '  if (quantity > 10) {',
      "    throw new RangeError('too many');",
      '  }',
      '  return quantity;',
      '}',
      'export const handler = async (event: { quantity: number }) => ({ quantity: check(event.quantity) });',
      '',
    ].join('\n');
    const dir = project({ 'app.ts': source });
    const config = configFor({ app: { handler: 'app.handler' } }, {}, dir);
    const built = await bundleFunction(config.functions.app, dir, join(dir, '.gantry', 'build'), true);
    assert.ok(built.ok);
    const script = readFileSync(built.bundle.script!.file, 'utf8');
    const esm = readFileSync(built.bundle.file, 'utf8');
    // esbuild indents unminified output; minified, the code is one line after the banner.
    assert.doesNotMatch(script, /\n {2}\S/);
    assert.doesNotMatch(esm, /\n {2}\S/);
    const runtime = createRuntime(config);
    runtimes.push(runtime);
    await runtime.start();
    assert.deepEqual(payload(await runtime.invoke('app', '{"quantity":2}')), { quantity: 2 });
    const failed = await runtime.invoke('app', '{"quantity":11}');
    assert.equal(failed.outcome.status, 'function-error');
    const { stackTrace } = failed.outcome as { stackTrace: string[] };
    assert.equal(stackTrace[0], 'RangeError: too many');
    assert.match(stackTrace[1], /^ {4}at check \(.*app\.ts:3:11\)$/);
  });

  test('an edited handler runs at once: the cache of the old code never serves the new bundle', async () => {
    const version = (v: string) =>
      `export const handler = async (event: { gate?: string }) => {\n  if (event.gate) await fetch(event.gate);\n  return '${v}';\n};\n`;
    const dir = project({ 'app.ts': version('v1') });
    const rec = recorder();
    // Held on the gate until the reload is done, however slow the machine: no timeout in between.
    const runtime = createRuntime(configFor({ app: { handler: 'app.handler', timeoutSeconds: 120 } }, {}, dir), {
      observer: rec.observer,
      watch: true,
    });
    runtimes.push(runtime);
    await runtime.start();
    const g = await gate();
    try {
      // Two v1 environments busy at once, so both exist when the edit lands.
      const held = [0, 1].map(() => runtime.invoke('app', JSON.stringify({ gate: g.url })));
      await waitFor(() => g.arrived() === 2, 'two v1 invocations in flight');
      writeFileSync(join(dir, 'app.ts'), version('v2'));
      await waitFor(() => rec.reloads.length === 1, 'the reload');
      assert.deepEqual(rec.reloads[0], ['app', undefined]);
      const fresh = await Promise.all([runtime.invoke('app', '{}'), runtime.invoke('app', '{}')]);
      for (const result of fresh) {
        assert.equal(payload(result), 'v2');
        assert.equal(result.report!.coldStart, true);
      }
      g.open();
      for (const result of await Promise.all(held)) assert.equal(payload(result), 'v1');
      await waitFor(() => runtime.environments().length === 2, 'the v1 environments to retire');
      assert.equal(payload(await runtime.invoke('app', '{}')), 'v2');
    } finally {
      g.open();
      await g.close();
    }
  });
});
