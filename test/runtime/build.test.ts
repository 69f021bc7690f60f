import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  createRuntime,
  type InvokeResult,
  type Runtime,
  RuntimeBuildError,
  RuntimeStartError,
} from '../../src/runtime/index.ts';
import { configFor, gate, recorder, waitFor } from './helpers.ts';

const dirs: string[] = [];
const runtimes: Runtime[] = [];

after(async () => {
  await Promise.all(runtimes.map((r) => r.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A throw-away project folder with the given handler files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-runtime-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function runtimeFor(dir: string, functions: Record<string, Record<string, unknown>>, watch = false) {
  const rec = recorder();
  const runtime = createRuntime(configFor(functions, {}, dir), { observer: rec.observer, watch });
  runtimes.push(runtime);
  return { runtime, rec };
}

function payload(result: InvokeResult): string {
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  return (result.outcome as { payload: string }).payload;
}

const versioned = (v: string) =>
  `export const handler = async (event: { gate?: string }) => {\n  if (event.gate) await fetch(event.gate);\n  return '${v}';\n};\n`;

describe('bundling at start', () => {
  test('start lists every function that cannot run: missing export, syntax error, missing module, bad import', async () => {
    const dir = project({
      'good.ts': "export const handler = async () => 'good';\n",
      'no-export.ts': 'export const other = async () => 1;\nexport function helper() {}\n',
      'broken.ts': "export const handler = async () => { return 'x' oops; };\n",
      'gone.ts': 'export const handler = async () => 1;\n',
      'bad-import.ts': "import { x } from './missing-dep.ts';\nexport const handler = async () => x;\n",
      'empty.ts': 'const nothing = 1;\nvoid nothing;\n',
    });
    const { runtime } = runtimeFor(dir, {
      good: { handler: 'good.handler' },
      noExport: { handler: 'no-export.handler' },
      broken: { handler: 'broken.handler' },
      gone: { handler: 'gone.handler' },
      badImport: { handler: 'bad-import.handler' },
      empty: { handler: 'empty.main' },
    });
    rmSync(join(dir, 'gone.ts'));
    const problems = [
      'function "noExport" (handler "no-export.handler"): no-export.ts has no export "handler" (its exports: helper, other)',
      'function "broken" (handler "broken.handler"): broken.ts could not be bundled: broken.ts:1:49: Expected ";" but found "oops"',
      'function "gone" (handler "gone.handler"): module gone.ts does not exist',
      'function "badImport" (handler "bad-import.handler"): bad-import.ts could not be bundled: bad-import.ts:1:19: Could not resolve "./missing-dep.ts"',
      'function "empty" (handler "empty.main"): empty.ts has no export "main" (it has no exports)',
    ];
    await assert.rejects(runtime.start(), (error: unknown) => {
      assert.ok(error instanceof RuntimeStartError);
      assert.equal(error.code, 'GANTRY_RUNTIME_START_FAILED');
      assert.deepEqual(error.problems, problems);
      assert.equal(
        error.message,
        `the Lambda runtime cannot start: 5 functions could not be built:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      );
      return true;
    });
    await runtime.stop();
  });
});

describe('rebuild and hot reload', () => {
  test('rebuild: new invocations run the new code, a busy old environment finishes, then retires', async () => {
    const dir = project({ 'app.ts': versioned('v1') });
    const { runtime } = runtimeFor(dir, { app: { handler: 'app.handler' } });
    await runtime.start();
    const outDir = join(dir, '.gantry', 'build', 'functions', 'app');
    const bundles = () => readdirSync(outDir).filter((f) => f.endsWith('.mjs'));
    const [v1Bundle] = bundles();
    assert.match(v1Bundle, /^app-[A-Z0-9]{8}\.mjs$/);
    const g = await gate();
    try {
      const old = runtime.invoke('app', JSON.stringify({ gate: g.url }));
      await waitFor(() => g.arrived() === 1, 'the v1 invocation to be in flight');
      writeFileSync(join(dir, 'app.ts'), versioned('v2'));
      await runtime.rebuild('app');
      const fresh = await runtime.invoke('app', '{}');
      assert.equal(payload(fresh), '"v2"');
      assert.equal(fresh.report!.coldStart, true);
      g.open();
      const finished = await old;
      assert.equal(payload(finished), '"v1"');
      await waitFor(() => runtime.environments().length === 1, 'the v1 environment to retire');
      assert.equal(runtime.environments()[0].environmentId, fresh.report!.environmentId);
      const warm = await runtime.invoke('app', '{}');
      assert.equal(payload(warm), '"v2"');
      assert.equal(warm.report!.environmentId, fresh.report!.environmentId);
      // A new content hash, and the superseded bundle is deleted once nothing runs it.
      await waitFor(() => bundles().length === 1 && bundles()[0] !== v1Bundle, 'the v1 bundle to be removed');
    } finally {
      g.open();
      await g.close();
    }

    writeFileSync(join(dir, 'app.ts'), "export const handler = async () => { return 'v3' oops; };\n");
    await assert.rejects(runtime.rebuild(), (error: unknown) => {
      assert.ok(error instanceof RuntimeBuildError);
      assert.deepEqual(error.problems, [
        'function "app" (handler "app.handler"): app.ts could not be bundled: app.ts:1:50: Expected ";" but found "oops"',
      ]);
      return true;
    });
    assert.equal(payload(await runtime.invoke('app', '{}')), '"v2"', 'the last good bundle keeps serving');
    await assert.rejects(runtime.rebuild('nope'), /rebuild: unknown function "nope" \(known: app\)/);
  });

  test('watch: editing an imported file rebuilds; a broken edit is reported and the last good code serves', async () => {
    const dir = project({
      'watched.ts': "import { message } from './message.ts';\nexport const handler = async () => message;\n",
      'message.ts': "export const message = 'one';\n",
    });
    const { runtime, rec } = runtimeFor(dir, { watched: { handler: 'watched.handler' } }, true);
    await runtime.start();
    assert.equal(payload(await runtime.invoke('watched', '{}')), '"one"');

    writeFileSync(join(dir, 'message.ts'), "export const message = 'two';\n");
    await waitFor(() => rec.reloads.length === 1, 'the first reload');
    assert.deepEqual(rec.reloads[0], ['watched', undefined]);
    assert.equal(payload(await runtime.invoke('watched', '{}')), '"two"');

    writeFileSync(join(dir, 'message.ts'), "export const message = 'three' +;\n");
    await waitFor(() => rec.reloads.length === 2, 'the failed reload');
    const [name, error] = rec.reloads[1];
    assert.equal(name, 'watched');
    assert.ok(error instanceof RuntimeBuildError);
    assert.deepEqual(error.problems, [
      'function "watched" (handler "watched.handler"): watched.ts could not be bundled: message.ts:1:33: Unexpected ";"',
    ]);
    assert.equal(payload(await runtime.invoke('watched', '{}')), '"two"');

    writeFileSync(join(dir, 'message.ts'), "export const message = 'three';\n");
    await waitFor(() => rec.reloads.length === 3, 'the reload after the fix');
    assert.deepEqual(rec.reloads[2], ['watched', undefined]);
    assert.equal(payload(await runtime.invoke('watched', '{}')), '"three"');
  });
});
