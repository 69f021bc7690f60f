import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { configFor, gate, recorder, waitFor } from './helpers.ts';

const dirs: string[] = [];
const runtimes: Runtime[] = [];

after(async () => {
  await Promise.all(runtimes.map((r) => r.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Answers its version and initialisation type; waits on `gate` when given. */
const handler = (version: string) => `
const type = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
export const handler = async (event: { gate?: string }) => {
  if (event.gate) await fetch(event.gate);
  return { version: '${version}', type };
};
`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-provisioned-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function started(dir: string, fn: Record<string, unknown>, local: Record<string, unknown> = {}) {
  const rec = recorder();
  const provisioned: [string, number, number, string | undefined][] = [];
  const provisionedBusy: number[] = [];
  const runtime = createRuntime(configFor({ app: { handler: 'app.handler', ...fn } }, { local }, dir), {
    observer: {
      ...rec.observer,
      onProvisioned: (name, ready, requested, problem) => provisioned.push([name, ready, requested, problem]),
      onEnvironmentChange: (_name, _alive, _busy, busy) => {
        if (busy !== undefined) provisionedBusy.push(busy);
      },
    },
  });
  runtimes.push(runtime);
  await runtime.start();
  return { runtime, rec, provisioned, provisionedBusy };
}

function payload(result: InvokeResult): { version: string; type: string } {
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  return JSON.parse((result.outcome as { payload: string }).payload);
}

const provisionedIds = (runtime: Runtime) =>
  runtime
    .environments()
    .filter((e) => e.initializationType === 'provisioned-concurrency')
    .map((e) => e.environmentId);

describe('provisioned concurrency', () => {
  test('provisioned environments are initialised before the first request and serve it warm', async () => {
    const dir = project({ 'app.ts': handler('v1') });
    const { runtime, rec, provisioned } = await started(dir, { provisionedConcurrency: 2 });
    // start() resolved: both exist, initialised, before any invocation.
    const envs = runtime.environments();
    assert.equal(envs.length, 2);
    for (const env of envs) {
      assert.equal(env.initializationType, 'provisioned-concurrency');
      assert.equal(env.state, 'idle');
      assert.equal(env.invocations, 0);
    }
    assert.deepEqual(provisioned, [['app', 2, 2, undefined]]);
    assert.deepEqual(rec.reports, []);

    const result = await runtime.invoke('app', '{}');
    assert.deepEqual(payload(result), { version: 'v1', type: 'provisioned-concurrency' });
    assert.equal(result.report!.coldStart, false);
    assert.equal(result.report!.initDurationMs, undefined);
    assert.equal(result.report!.initializationType, 'provisioned-concurrency');
    assert.ok(envs.some((e) => e.environmentId === result.report!.environmentId));
    const report = rec.linesOf(result.report!.requestId).find((l) => l.kind === 'report')!;
    assert.doesNotMatch(report.message, /Init Duration/);
  });

  test('invocations beyond N spill over to on-demand cold starts; provisioned ones are never reaped', async () => {
    const dir = project({ 'app.ts': handler('v1') });
    const { runtime, rec, provisionedBusy } = await started(
      dir,
      { provisionedConcurrency: 2 },
      { idleEnvironmentSeconds: 0.2 },
    );
    const g = await gate();
    try {
      const held = [0, 1, 2].map(() => runtime.invoke('app', JSON.stringify({ gate: g.url })));
      await waitFor(() => g.arrived() === 3, 'three invocations in flight');
      assert.equal(Math.max(...provisionedBusy), 2);
      g.open();
      const results = await Promise.all(held);
      const types = results.map((r) => r.report!.initializationType).sort();
      assert.deepEqual(types, ['on-demand', 'provisioned-concurrency', 'provisioned-concurrency']);
      const spill = results.find((r) => r.report!.initializationType === 'on-demand')!;
      assert.deepEqual(payload(spill), { version: 'v1', type: 'on-demand' });
      assert.equal(spill.report!.coldStart, true);
      assert.equal(rec.reports.filter((r) => r.coldStart).length, 1);
      // The on-demand environment is reaped when idle; the provisioned ones stay.
      await waitFor(() => runtime.environments().length === 2, 'the on-demand environment to be reaped');
      assert.equal(provisionedIds(runtime).length, 2);
      const after = await runtime.invoke('app', '{}');
      assert.equal(after.report!.initializationType, 'provisioned-concurrency');
      assert.equal(after.report!.coldStart, false);
    } finally {
      g.open();
      await g.close();
    }
  });

  test('a rebuild re-initialises them with the new code; the next request is warm and new', async () => {
    const dir = project({ 'app.ts': handler('v1') });
    const { runtime, provisioned } = await started(dir, { provisionedConcurrency: 2 });
    const before = provisionedIds(runtime);
    writeFileSync(join(dir, 'app.ts'), handler('v2'));
    await runtime.rebuild('app');
    await waitFor(() => provisioned.length === 2, 'the new generation to be initialised');
    assert.deepEqual(provisioned[1], ['app', 2, 2, undefined]);
    const now = provisionedIds(runtime);
    assert.equal(now.length, 2);
    assert.ok(
      now.every((id) => !before.includes(id)),
      'new environments, none of the old code',
    );
    const result = await runtime.invoke('app', '{}');
    assert.deepEqual(payload(result), { version: 'v2', type: 'provisioned-concurrency' });
    assert.equal(result.report!.coldStart, false);
  });

  test('an init that fails is reported as a failed allocation; invocations spill over and fail visibly', async () => {
    const dir = project({ 'app.ts': "throw new Error('no config');\nexport const handler = async () => 1;\n" });
    const { runtime, provisioned } = await started(dir, { provisionedConcurrency: 2 });
    assert.equal(provisioned.length, 1);
    const [name, ready, requested, problem] = provisioned[0];
    assert.deepEqual([name, ready, requested], ['app', 0, 2]);
    assert.equal(problem, 'Error: no config');
    assert.deepEqual(runtime.environments(), []);
    const result = await runtime.invoke('app', '{}');
    assert.equal(result.outcome.status, 'init-error');
    assert.equal(result.report!.initializationType, 'on-demand');
    assert.deepEqual(runtime.environments(), [], 'no retry loop behind the scenes');
  });
});
