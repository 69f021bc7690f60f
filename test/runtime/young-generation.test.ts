// Every sandbox's heap starts with its young generation at V8's maximum (runtime/young-generation.ts),
// so a cold start does not pay for the scavenges of a semi-space growing from 1 MB.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRuntime, type Runtime } from '../../src/runtime/index.ts';
import { configFor, recorder, tempBuildDir } from './helpers.ts';

const build = tempBuildDir();
const config = configFor({ heap: { handler: 'handlers/heap.handler', memoryMb: 128 } });
let runtime: Runtime;

before(async () => {
  runtime = createRuntime(config, { observer: recorder().observer, buildDir: build.dir });
  await runtime.start();
});

after(async () => {
  await runtime.stop();
  build.remove();
});

test("an environment's first invocation finds its new space at 16 MB already (V8 would start it at 1 MB and grow it scavenge by scavenge)", async () => {
  const result = await runtime.invoke('heap', '{}');
  assert.equal(result.outcome.status, 'success');
  if (result.outcome.status !== 'success') return;
  assert.equal(Number(result.outcome.payload), 16 * 1024 * 1024);
});
