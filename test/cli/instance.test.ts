// One way to find the running `gantry dev`: the commands a user runs beside it need no port flags,
// whatever ports it was started on, and a state file left by a dead gantry dev is found stale.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type InstanceState, instanceFile, lookupInstance } from '../../src/console/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = 'test/fixtures/instance/api.config.ts';
const stateFile = instanceFile(join(root, config));
const env = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

function gantry(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/gantry.mjs', ...args],
      { cwd: root, env, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function waitFor(what: string, ready: () => boolean, child?: ChildProcess, output?: () => string) {
  for (let i = 0; i < 600; i++) {
    if (ready()) return;
    if (child && child.exitCode !== null) throw new Error(`gantry dev exited ${child.exitCode}:\n${output?.()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not within 60 s\n${output?.() ?? ''}`);
}

describe('commands find the running gantry dev from the config', () => {
  let dev: ChildProcess;
  let text = '';
  let state: InstanceState;

  before(async () => {
    // Port 0 for the API, console and store: none of them is a default any command could guess.
    dev = spawn(
      process.execPath,
      ['bin/gantry.mjs', 'dev', '--config', config, '--port', '0', '--in-memory', '--no-watch'],
      { cwd: root, env },
    );
    dev.stdout?.on('data', (d) => {
      text += d;
    });
    dev.stderr?.on('data', (d) => {
      text += d;
    });
    await waitFor(
      'the banner',
      () => /^ {2}API\s+http/m.test(text),
      dev,
      () => text,
    );
    await waitFor('the state file', () => existsSync(stateFile));
    state = JSON.parse(readFileSync(stateFile, 'utf8'));
  });
  after(async () => {
    if (dev.exitCode === null) {
      dev.kill('SIGKILL');
      await once(dev, 'exit');
    }
  });

  test('gantry dev records its process and ports in .gantry/ beside the config', () => {
    assert.equal(state.pid, dev.pid);
    assert.equal(state.apiName, 'notes');
    assert.equal(state.stage, 'v1');
    assert.equal(state.configFile, join(root, config));
    for (const port of [state.api, state.console, state.store])
      assert.ok(port !== undefined && Number.isInteger(port) && port > 0);
    assert.notEqual(state.api, 3000);
    assert.match(text, new RegExp(`API\\s+http://127\\.0\\.0\\.1:${state.api}/v1`));
  });

  test('gantry invoke uses the running store: it sees what the API wrote, and the API sees its writes', async () => {
    const api = `http://127.0.0.1:${state.api}/v1`;
    assert.equal((await fetch(`${api}/notes/from-api`, { method: 'PUT', body: 'written over HTTP' })).status, 204);
    const event = join(mkdtempSync(join(tmpdir(), 'gantry-instance-')), 'get.json');
    writeFileSync(event, JSON.stringify({ op: 'get', id: 'from-api' }));
    const read = await gantry(['invoke', 'notes', '--config', config, '--event', event]);
    assert.equal(read.code, 0, read.stderr);
    assert.deepEqual(JSON.parse(read.stdout), { id: 'from-api', text: 'written over HTTP' });
    assert.match(read.stderr, new RegExp(`using the store of the running gantry dev, pid ${dev.pid}`));
    assert.doesNotMatch(read.stderr, /Database is closed/);

    writeFileSync(event, JSON.stringify({ op: 'put', id: 'from-invoke', text: 'written by gantry invoke' }));
    const wrote = await gantry(['invoke', 'notes', '--config', config, '--event', event]);
    assert.equal(wrote.code, 0, wrote.stderr);
    const answer = await fetch(`${api}/notes/from-invoke`);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { id: 'from-invoke', text: 'written by gantry invoke' });
  });

  test('gantry logs and gantry cost read its console with no port flag', async () => {
    const logs = await gantry(['logs', 'notes', '--config', config]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /\[notes\] .*stored note from-api/);
    const cost = await gantry(['cost', '--config', config, '--json']);
    assert.equal(cost.code, 0, cost.stderr);
    assert.ok(JSON.parse(cost.stdout).soFar, cost.stdout);
  });

  test('gantry load with no --port or --url loads this config’s gantry dev', async () => {
    const status = async () =>
      (await (await fetch(`http://127.0.0.1:${state.console}/api/status`)).json()) as {
        functions: { name: string; invocations: number }[];
      };
    const before = (await status()).functions[0].invocations;
    const scenario = join(mkdtempSync(join(tmpdir(), 'gantry-instance-')), 'read.json');
    writeFileSync(
      scenario,
      JSON.stringify({ options: { vus: 1, duration: '1s' }, steps: [{ path: '/notes/from-api' }] }),
    );
    const run = await gantry(['load', scenario, '--config', config, '--quiet', '--no-report']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /http_req_failed\.+: 0\.00%/);
    assert.ok((await status()).functions[0].invocations > before, 'the load reached this gantry dev');
  });

  test('stopping gantry dev removes its state file; the commands then say how to start it', async () => {
    dev.kill('SIGTERM');
    await once(dev, 'exit');
    assert.equal(existsSync(stateFile), false);
    const logs = await gantry(['logs', '--config', config]);
    assert.equal(logs.code, 1);
    assert.equal(
      logs.stderr.trim(),
      `gantry logs: no gantry dev runs for ${join(root, config)}: start it with \`gantry dev --config ${config}\`, or pass --console-port N`,
    );
    const load = await gantry(['load', 'any.json', '--config', config]);
    assert.equal(load.code, 1);
    assert.match(load.stderr, /^gantry load: no gantry dev runs for .*, or pass --url URL to load another server$/m);
  });
});

describe('a state file whose gantry dev is gone is stale', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-stale-'));
  const configFile = join(dir, 'api.config.ts');
  writeFileSync(configFile, 'export default {};\n');
  const write = (changes: Partial<InstanceState>) => {
    mkdirSync(join(dir, '.gantry'), { recursive: true });
    const state: InstanceState = {
      version: 1,
      pid: process.pid,
      host: '127.0.0.1',
      configFile,
      apiName: 'gone',
      apiId: 'abcdefghij',
      stage: '$default',
      startedAt: new Date().toISOString(),
      api: 9,
      console: 9,
      store: 9,
      ...changes,
    };
    writeFileSync(instanceFile(configFile), JSON.stringify(state));
  };

  test('a dead process: found stale and removed', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    write({ pid: child.pid });
    const found = await lookupInstance(configFile);
    assert.deepEqual(found, {
      status: 'stale',
      file: instanceFile(configFile),
      reason: `its process ${child.pid} no longer runs`,
    });
    assert.equal(existsSync(instanceFile(configFile)), false);
  });

  test('a live process whose console does not answer (a reused pid): stale', async () => {
    write({ pid: process.pid, console: 9 });
    const found = await lookupInstance(configFile);
    assert.equal(found.status, 'stale');
    assert.match((found as { reason: string }).reason, /^its console http:\/\/127\.0\.0\.1:9 does not answer \(/);
  });

  test('gantry cost names the stale file and what to do', async () => {
    write({ pid: 2 ** 22 + 1 });
    const cost = await gantry(['cost', '--config', configFile]);
    assert.equal(cost.code, 1);
    assert.equal(
      cost.stderr.trim(),
      `gantry cost: no gantry dev runs for ${configFile} (its state file ${instanceFile(configFile)} was stale: its process ${2 ** 22 + 1} no longer runs; removed): start it with \`gantry dev --config ${configFile}\`, or pass --console-port N, or --rps N to price a traffic level from the config alone`,
    );
  });
});
