/**
 * `gantry diff` and `gantry drift`: one exit code per outcome, read from the CDK CLI's own output
 * (aws-cdk 2.1148's wording), and real runs with no credentials and no network. AWS is the edge:
 * nothing here reaches it; the runs happen in a network namespace without network when the machine
 * allows one, with every SDK endpoint pointed at a closed loopback port otherwise.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cdkInvocation } from '../../src/cli/commands/cdk-cli.ts';
import { COMPARE_EXIT, compareOutcome } from '../../src/cli/commands/cdk-outcome.ts';
import { loadConfig } from '../../src/config/index.ts';
import { fixture, type Synthesized, synthesize } from './helpers.ts';

const NO_ACCOUNT =
  'Unable to resolve AWS account to use. It must be either configured when you define your CDK Stack, or through the environment';

describe('exit codes read from the CDK CLI', () => {
  test('differences found exit 1; none exit 0', () => {
    assert.equal(
      compareOutcome('diff', 1, 'Stack a\n[+] Resource\n\n✨  Number of stacks with differences: 2\n').code,
      1,
    );
    assert.equal(compareOutcome('diff', 0, '\n✨  Number of stacks with differences: 0\n').code, 0);
    assert.equal(compareOutcome('drift', 1, 'Stack a\nModified\n✨  Number of resources with drift: 3\n').code, 1);
    assert.equal(compareOutcome('drift', 0, 'No drift detected\n✨  Number of resources with drift: 0\n').code, 0);
  });

  test('no credentials exit 3 with a message saying nothing was compared and what to do', () => {
    const outcome = compareOutcome('diff', 1, NO_ACCOUNT);
    assert.equal(outcome.code, COMPARE_EXIT.noAws);
    assert.match(outcome.message ?? '', /^gantry diff: could not compare .*no usable AWS credentials.*--profile/);
    const pinned = compareOutcome(
      'drift',
      1,
      'Need to perform AWS calls for account 111122223333, but no credentials have been configured',
    );
    assert.equal(pinned.code, COMPARE_EXIT.noAws);
    assert.match(pinned.message ?? '', /^gantry drift: could not check the deployed stacks for drift/);
  });

  test('AWS unreachable or a stack unreadable exit 3; a CDK app that failed exits 4', () => {
    assert.equal(compareOutcome('diff', 1, 'Error: connect ECONNREFUSED 127.0.0.1:9').code, 3);
    const partial = compareOutcome(
      'drift',
      0,
      '✨  Number of resources with drift: 0\n⚠️  Failed to check drift for 1 stack(s). Check log for more details.',
    );
    assert.equal(partial.code, 3);
    assert.equal(compareOutcome('diff', 1, 'Error: Subprocess exited with error 1').code, COMPARE_EXIT.noApp);
  });
});

describe('with no credentials and no network', () => {
  const work = mkdtempSync(join(tmpdir(), 'gantry-compare-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const gantry = fileURLToPath(new URL('../../bin/gantry.mjs', import.meta.url));
  const isolated = spawnSync('unshare', ['-n', 'true']).status === 0;
  /** Nothing to find credentials in, and every AWS endpoint a closed loopback port. */
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    AWS_CONFIG_FILE: join(work, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };

  function gantryRun(args: string[]): Promise<{ code: number | null; stderr: string }> {
    const [file, argv] = isolated
      ? ['unshare', ['-n', process.execPath, gantry, ...args]]
      : [process.execPath, [gantry, ...args]];
    const child = spawn(file, argv, { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (d) => (stderr += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    return new Promise((resolve) =>
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      }),
    );
  }

  // One assembly synthesized here (templates only), so each run below starts the CDK CLI and nothing else.
  let assembly: Synthesized;
  before(async () => {
    assembly = synthesize(await loadConfig(fixture('minimal')), { bundle: false, nag: false });
  });
  after(() => assembly?.cleanup());

  for (const action of ['diff', 'drift'] as const) {
    test(`gantry ${action} exits 3 and says no credentials were found, not that the stacks differ`, async (t) => {
      t.diagnostic(
        isolated ? 'ran without network (unshare -n)' : 'unshare -n unavailable: AWS endpoints on 127.0.0.1:9',
      );
      const { code, stderr } = await gantryRun([action, '--assembly', assembly.outdir]);
      assert.equal(code, 3, stderr);
      assert.match(stderr, new RegExp(`gantry ${action}: could not .* no usable AWS credentials`));
      assert.doesNotMatch(stderr, /Number of (stacks with differences|resources with drift): [1-9]/);
    });
  }

  test('gantry diff of a config that does not load exits 4, never 1', async () => {
    const dir = join(work, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'api.config.ts'),
      'export default { name: "x", functions: {}, routes: { "GET /": "nope" } };\n',
    );
    const { code, stderr } = await gantryRun(['diff', '--config', join(dir, 'api.config.ts')]);
    assert.equal(code, 4, stderr);
    assert.match(stderr, /gantry diff: invalid config/);
  });
});

describe('destroy, then deploy again', () => {
  test('deploy asks CloudFormation to adopt retained resources that already exist', () => {
    const { args } = cdkInvocation({
      action: 'deploy',
      configFile: '/p/api.config.ts',
      outDir: '/p/cdk.out',
      stacks: [],
      extra: [],
    });
    assert.ok(args.includes('--import-existing-resources'), args.join(' '));
  });
});
