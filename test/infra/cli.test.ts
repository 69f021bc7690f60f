/**
 * `gantry synth|diff|deploy|destroy`: the CDK CLI invocation they build, and one real `cdk synth` of
 * the bundled example through the CDK CLI, in a network namespace without network when the machine
 * allows one (so "offline" is proven, not assumed).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../src/cli/args.ts';
import {
  appCommand,
  type CdkRun,
  cdkInvocation,
  listTemplates,
  parseCdkArgs,
  shellWord,
} from '../../src/cli/commands/cdk-cli.ts';
import { loadConfig } from '../../src/config/index.ts';

const run = (overrides: Partial<CdkRun>): CdkRun => ({
  action: 'synth',
  configFile: '/p/api.config.ts',
  outDir: '/p/cdk.out',
  stacks: [],
  extra: [],
  ...overrides,
});

const cdkBin = fileURLToPath(import.meta.resolve('aws-cdk/bin/cdk'));
const appEntry = fileURLToPath(new URL('../../src/infra/cdk-app.ts', import.meta.url));

describe('the CDK CLI invocation', () => {
  test('synth: app through tsx, context for config, stage and region, offline switches, quiet', () => {
    const { command, args } = cdkInvocation(
      run({ stage: 'prod', region: 'eu-west-1', profile: 'ops', nag: false, extra: ['--trace'] }),
    );
    assert.equal(command, process.execPath);
    assert.deepEqual(args, [
      cdkBin,
      'synth',
      '--app',
      appCommand(process.execPath, import.meta.resolve('tsx'), appEntry),
      '--output',
      '/p/cdk.out',
      '--context',
      'gantry:config=/p/api.config.ts',
      '--context',
      'gantry:stage=prod',
      '--context',
      'gantry:region=eu-west-1',
      '--context',
      'gantry:nag=false',
      '--context',
      'cli-telemetry=false',
      '--no-lookups',
      '--no-notices',
      '--no-version-reporting',
      '--profile',
      'ops',
      '--quiet',
      '--trace',
    ]);
  });

  test('deploy and destroy act on every stack unless stacks are named; diff fails on a difference', () => {
    const tail = (r: CdkRun) =>
      cdkInvocation(r).args.slice(cdkInvocation(r).args.indexOf('--no-version-reporting') + 1);
    assert.deepEqual(tail(run({ action: 'deploy', extra: ['--require-approval', 'never'] })), [
      '--import-existing-resources',
      '--all',
      '--require-approval',
      'never',
    ]);
    assert.deepEqual(tail(run({ action: 'deploy', stacks: ['demo-us-east-1'] })), [
      '--import-existing-resources',
      'demo-us-east-1',
    ]);
    assert.deepEqual(tail(run({ action: 'destroy', force: true })), ['--force', '--all']);
    assert.deepEqual(tail(run({ action: 'diff' })), ['--fail']);
  });

  test('notices, telemetry and the version check are off; the caller’s environment is kept', () => {
    const { env } = cdkInvocation(run({}), { AWS_PROFILE: 'x', PATH: '/bin' });
    assert.deepEqual(env, {
      AWS_PROFILE: 'x',
      PATH: '/bin',
      CDK_DISABLE_VERSION_CHECK: '1',
      CDK_DISABLE_CLI_TELEMETRY: '1',
    });
  });

  test('the --app command line survives the CDK CLI’s quote stripping', () => {
    assert.equal(shellWord('/usr/bin/node'), '/usr/bin/node');
    assert.equal(shellWord('/my apps/x.ts'), '"/my apps/x.ts"');
    assert.equal(shellWord('a"b$c'), '"a\\"b\\$c"');
    assert.equal(
      appCommand('/usr/bin/node', 'file:///t/loader.mjs', '/a/app.ts'),
      '/usr/bin/node --import file:///t/loader.mjs /a/app.ts',
    );
    assert.equal(
      appCommand('/my node/node', 'file:///t/loader.mjs', '/my app/app.ts'),
      '"/my node/node" --import file:///t/loader.mjs "/my app/app.ts" --',
    );
  });
});

describe('flags', () => {
  test('flags, stack names and everything after -- are told apart; paths resolve from the cwd', () => {
    const { run: parsed, help } = parseCdkArgs(
      'destroy',
      ['-c', 'x/api.config.ts', '--stage', 'dev', '-f', 'demo-dev-us-east-1', '--', '--concurrency', '2'],
      'usage',
      '/project',
    );
    assert.equal(help, false);
    assert.deepEqual(parsed, {
      action: 'destroy',
      configFile: '/project/x/api.config.ts',
      outDir: '/project/cdk.out',
      stage: 'dev',
      region: undefined,
      profile: undefined,
      nag: true,
      stacks: ['demo-dev-us-east-1'],
      extra: ['--concurrency', '2'],
      force: true,
      assembly: undefined,
    });
    assert.equal(parseCdkArgs('synth', ['--no-nag'], 'usage', '/w').run.nag, false);
  });

  test('a bad stage, region or flag is a usage error that says what was expected', () => {
    assert.throws(
      () => parseCdkArgs('deploy', ['--stage', 'Prod'], 'usage'),
      new UsageError(
        '--stage: expected 1 to 24 lower-case letters, digits and "-", starting with a letter; got "Prod"',
      ),
    );
    assert.throws(
      () => parseCdkArgs('deploy', ['--region', 'mars-1'], 'usage'),
      new UsageError('--region: expected an AWS region such as "us-east-1", got "mars-1"'),
    );
    assert.throws(() => parseCdkArgs('synth', ['--force'], 'usage'), UsageError);
  });
});

describe('gantry synth on the example', () => {
  const example = fileURLToPath(new URL('../../examples/orders/api.config.ts', import.meta.url));
  const isolated = spawnSync('unshare', ['-n', 'true']).status === 0;

  test('the CDK CLI synthesizes both regions and the health alarms offline, with fresh HOME and no credentials', async (t) => {
    assert.ok(existsSync(example), `the example config is missing: ${example}`);
    const work = mkdtempSync(join(tmpdir(), 'gantry-cli-'));
    const outDir = join(work, 'cdk.out');
    try {
      const { command, args, env } = cdkInvocation(run({ configFile: example, outDir }), {
        PATH: process.env.PATH,
        HOME: work,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      });
      t.diagnostic(
        isolated
          ? 'ran in a network namespace without network (unshare -n)'
          : 'unshare -n unavailable: ran with the machine network',
      );
      const [file, argv] = isolated ? ['unshare', ['-n', command, ...args]] : [command, args];
      const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      clearTimeout(timer);
      assert.equal(code, 0, output);

      const templates = await listTemplates(outDir);
      assert.deepEqual(
        templates.map(({ stack, region }) => [stack, region]),
        [
          ['orders-api-us-east-1', 'us-east-1'],
          ['orders-api-us-west-2', 'us-west-2'],
          // Route 53's health-check metrics exist in us-east-1 only: their alarms get a stack there.
          ['orders-api-health', 'us-east-1'],
        ],
      );
      const config = await loadConfig(example);
      for (const { template } of templates.slice(0, 2)) {
        const resources = Object.values(JSON.parse(readFileSync(template, 'utf8')).Resources) as {
          Type: string;
          Properties: Record<string, unknown>;
        }[];
        const routeKeys = resources
          .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
          .map((r) => r.Properties.RouteKey);
        assert.deepEqual(routeKeys.sort(), config.routes.map((r) => r.routeKey).sort());
        const failover = resources
          .filter((r) => r.Type === 'AWS::Route53::RecordSet')
          .map((r) => r.Properties.Failover);
        assert.equal(failover.length, 1);
      }
      const primary = JSON.parse(readFileSync(templates[0].template, 'utf8'));
      const table = Object.values(
        primary.Resources as Record<string, { Type: string; Properties: { Replicas: { Region: string }[] } }>,
      ).find((r) => r.Type === 'AWS::DynamoDB::GlobalTable');
      assert.deepEqual(
        table?.Properties.Replicas.map((r) => r.Region),
        ['us-west-2', 'us-east-1'],
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
