// A sandbox loads, before the function's init, the lazily defined globals its bundle names (the web
// streams the AWS SDK checks for on its first request), and only those: worker/preload.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRuntime, type Runtime } from '../../src/runtime/index.ts';
import { configFor, recorder, tempBuildDir } from './helpers.ts';

const build = tempBuildDir();
let runtime: Runtime;

before(async () => {
  runtime = createRuntime(
    configFor({
      streams: { handler: 'handlers/web-streams.streams' },
      plain: { handler: 'handlers/no-web-streams.handler' },
    }),
    { observer: recorder().observer, buildDir: build.dir },
  );
  await runtime.start();
});

after(async () => {
  await runtime.stop();
  build.remove();
});

async function answer(name: string): Promise<Record<string, unknown>> {
  const result = await runtime.invoke(name, '{}');
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  return JSON.parse((result.outcome as { payload: string }).payload);
}

test('web streams a bundle names are loaded before its init; a bundle that does not name them gets none', async () => {
  assert.deepEqual(await answer('streams'), { atInit: true, isClass: true });
  assert.deepEqual(await answer('plain'), { loaded: false }, 'nothing loaded them, even by its first invocation');
});
