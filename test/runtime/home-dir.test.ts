// A handler never sees the developer's ~/.aws: os.homedir() answers Lambda's sandbox home, so the AWS
// SDK in an environment reads no shared config file even when the host's HOME has one.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createRuntime, type Runtime } from '../../src/runtime/index.ts';
import { LAMBDA_HOME } from '../../src/runtime/worker/home-dir.ts';
import { configFor, recorder, tempBuildDir } from './helpers.ts';

const build = tempBuildDir();
const home = mkdtempSync(join(tmpdir(), 'gantry-home-'));
const hostHome = process.env.HOME;
let runtime: Runtime;

before(async () => {
  // The developer's shared config, with a setting only that file sets.
  mkdirSync(join(home, '.aws'));
  writeFileSync(join(home, '.aws', 'config'), '[default]\nmax_attempts = 7\n');
  process.env.HOME = home;
  runtime = createRuntime(configFor({ home: { handler: 'handlers/home-dir.handler' } }), {
    observer: recorder().observer,
    buildDir: build.dir,
  });
  await runtime.start();
});

after(async () => {
  await runtime.stop();
  if (hostHome === undefined) delete process.env.HOME;
  else process.env.HOME = hostHome;
  rmSync(home, { recursive: true, force: true });
  build.remove();
});

test("the SDK in an environment reads no ~/.aws/config from the host's home; os.homedir() is Lambda's", async () => {
  // The file is there and the SDK reads it, outside an environment; without it, its own default.
  assert.equal(await new DynamoDBClient({}).config.maxAttempts(), 7);
  const empty = mkdtempSync(join(tmpdir(), 'gantry-home-empty-'));
  process.env.HOME = empty;
  const sdkDefault = await new DynamoDBClient({}).config.maxAttempts();
  process.env.HOME = home;
  rmSync(empty, { recursive: true, force: true });
  assert.notEqual(sdkDefault, 7);
  const result = await runtime.invoke('home', '{}');
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  const answer = JSON.parse((result.outcome as { payload: string }).payload);
  assert.deepEqual(answer, { home: LAMBDA_HOME, maxAttempts: sdkDefault });
});
