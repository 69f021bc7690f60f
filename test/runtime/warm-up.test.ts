// A sandbox started ahead of need (pre-started, provisioned) warms Node's HTTP client up (and its
// hashes, when the bundle imports crypto) before it reports itself booted, when its function's bundle
// imports that client (worker/warm-up.ts); one started for an on-demand cold start does not, as its
// invocation waits. The warm-up leaves nothing a handler sees.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { bundleBootstrap, bundleFunction, type FunctionBundle } from '../../src/runtime/bundler.ts';
import { type EnvironmentSpec, ExecutionEnvironment, type InitializationType } from '../../src/runtime/environment.ts';
import { environmentSpec } from '../../src/runtime/environment-spec.ts';
import type { InvokeOutcome } from '../../src/runtime/index.ts';
import { Sandbox } from '../../src/runtime/sandbox.ts';
import { warmUp } from '../../src/runtime/worker/warm-up.ts';
import { configFor, tempBuildDir } from './helpers.ts';

const build = tempBuildDir();
const config = configFor({
  http: { handler: 'handlers/warm-up.handler' },
  plain: { handler: 'handlers/basic.echo' },
});
const specs = new Map<string, EnvironmentSpec>();
const bundles = new Map<string, FunctionBundle>();
// The handler's own request goes here.
const server = createServer((_request, response) => response.end('served'));
let url: string;

before(async () => {
  const bootstrapFile = await bundleBootstrap(build.dir);
  for (const name of ['http', 'plain']) {
    const result = await bundleFunction(config.functions[name], config.dir, build.dir);
    assert.ok(result.ok);
    bundles.set(name, result.bundle);
    specs.set(
      name,
      environmentSpec(
        config.functions[name],
        { config, region: 'us-east-1', extraEnv: {}, bootstrapFile },
        `/aws/lambda/${name}`,
      ),
    );
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

after(() => {
  server.close();
  build.remove();
});

async function booted(name: string, type: InitializationType, ahead?: boolean): Promise<Sandbox> {
  const sandbox = new Sandbox(specs.get(name)!, type, bundles.get(name)!.preload, { ahead });
  await sandbox.booted;
  return sandbox;
}

test('which sandboxes warm up: started ahead (pre-started or provisioned), for a bundle importing the HTTP client', async () => {
  assert.ok(bundles.get('http')!.preload.includes('node:http'));
  assert.ok(!bundles.get('plain')!.preload.some((name) => /^(node:)?https?$/.test(name)));
  const cases: [string, InitializationType, boolean | undefined, boolean][] = [
    ['http', 'on-demand', true, true],
    ['http', 'provisioned-concurrency', undefined, true],
    ['http', 'on-demand', undefined, false],
    ['plain', 'on-demand', true, false],
    ['plain', 'provisioned-concurrency', undefined, false],
  ];
  for (const [name, type, ahead, expected] of cases) {
    const sandbox = await booted(name, type, ahead);
    try {
      assert.equal(sandbox.warmedUp, expected, `${name}, ${type}, ahead: ${ahead}`);
    } finally {
      await sandbox.discard();
    }
  }
});

test('a warmed-up sandbox leaves its environment no socket or server open, and its HTTP client works as before', async () => {
  for (const ahead of [true, false]) {
    const sandbox = await booted('http', 'on-demand', ahead);
    assert.equal(sandbox.warmedUp, ahead);
    const env = new ExecutionEnvironment(
      specs.get('http')!,
      bundles.get('http')!,
      { onDeath() {} },
      'on-demand',
      sandbox,
    );
    try {
      assert.equal(await env.ready, undefined);
      const outcome = await new Promise<InvokeOutcome>((resolve) =>
        env.invoke('dddddddd-0000-4000-8000-000000000001', JSON.stringify({ url }), undefined, undefined, resolve),
      );
      assert.equal(outcome.status, 'success', JSON.stringify(outcome));
      const answer = JSON.parse((outcome as { payload: string }).payload);
      assert.deepEqual(answer, { tcpAtInvoke: [], fetched: 'served' }, `ahead: ${ahead}`);
    } finally {
      env.discard();
      await env.exited;
    }
  }
});

test("a provisioned environment's init, sent while its sandbox warms up, waits in the port and runs", async () => {
  const env = new ExecutionEnvironment(
    specs.get('http')!,
    bundles.get('http')!,
    { onDeath() {} },
    'provisioned-concurrency',
  );
  try {
    assert.equal(await env.ready, undefined);
    const outcome = await new Promise<InvokeOutcome>((resolve) =>
      env.invoke('dddddddd-0000-4000-8000-000000000002', JSON.stringify({ url }), undefined, undefined, resolve),
    );
    assert.equal(outcome.status, 'success', JSON.stringify(outcome));
    assert.deepEqual(JSON.parse((outcome as { payload: string }).payload), { tcpAtInvoke: [], fetched: 'served' });
  } finally {
    env.discard();
    await env.exited;
  }
});

test('the warm-up itself: its request is answered, with and without the signature, and nothing stays open', async () => {
  const open = () => process.getActiveResourcesInfo().filter((resource) => resource.startsWith('TCP')).length;
  const before = open();
  assert.equal(await warmUp(['node:http']), true);
  assert.equal(await warmUp(['https', 'crypto']), true, 'either client, with or without the scheme');
  assert.equal(await warmUp(['node:crypto']), false, 'no HTTP client imported: nothing to warm up');
  assert.equal(await warmUp(['node:http', 'node:crypto']), true);
  // Sockets of the tests before may still be closing: the warm-up must only add none.
  assert.ok(open() <= before, `${open()} TCP resources open after the warm-ups, ${before} before`);
});
