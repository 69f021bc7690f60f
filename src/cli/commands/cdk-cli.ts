/**
 * Shared wiring of `gantry synth|diff|drift|deploy|destroy`: the flags they accept and the AWS CDK CLI
 * invocation they become. The CDK app is src/infra/cdk-app.ts run by tsx; there is no cdk.json, the
 * settings one would hold are passed on the command line.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from '../../config/index.ts';
import { CONTEXT_KEYS } from '../../infra/context.ts';
import { InfraError } from '../../infra/errors.ts';
import { describeFisCoverage, planFisExperiments } from '../../infra/fis-plan.ts';
import { planDeployment } from '../../infra/plan.ts';
import { type FlagSpec, parseFlags, UsageError } from '../args.ts';
import { COMPARE_EXIT, compareOutcome } from './cdk-outcome.ts';

export type CdkAction = 'synth' | 'diff' | 'drift' | 'deploy' | 'destroy';

export interface CdkRun {
  action: CdkAction;
  /** Absolute path of api.config.ts. */
  configFile: string;
  /** Absolute path of the cloud assembly directory. */
  outDir: string;
  stage?: string;
  region?: string;
  profile?: string;
  /** @default true */
  nag?: boolean;
  /** Stack names; none means every stack of the app. */
  stacks: string[];
  /** Arguments after `--`, given to the CDK CLI as they are. */
  extra: string[];
  /** `destroy --force`: no confirmation prompt. */
  force?: boolean;
  /**
   * A cloud assembly synthesized earlier (`gantry synth --out DIR`) to act on as it is, instead of
   * synthesizing again: CI deploys exactly what it tested.
   */
  assembly?: string;
}

export const DEFAULT_OUT_DIR = 'cdk.out';

export const CDK_FLAGS = {
  config: { type: 'string', short: 'c', default: DEFAULT_CONFIG_FILE },
  out: { type: 'string', short: 'o', default: DEFAULT_OUT_DIR },
  stage: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'no-nag': { type: 'boolean', default: false },
  assembly: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies FlagSpec;

export const CDK_FLAGS_USAGE = `  -c, --config PATH   api.config.ts to deploy (default ./${DEFAULT_CONFIG_FILE})
  -o, --out DIR       cloud assembly directory (default ./${DEFAULT_OUT_DIR})
      --stage NAME    deployment stage, e.g. dev or prod: suffixes stack and table names (default none)
      --region REGION primary region, overriding regions.primary of the config
      --profile NAME  AWS profile the CDK CLI uses (credentials are needed by diff, deploy, destroy)
      --no-nag        skip the cdk-nag and cfn-guard checks
      --assembly DIR  use a cloud assembly synthesized earlier (gantry synth --out DIR) as it is,
                      e.g. deploy in CI exactly what was tested; --stage and --region are in it
  -- ARGS...          passed to the CDK CLI unchanged (e.g. -- --require-approval never)`;

/** The CDK CLI (bin/cdk of aws-cdk) that gantry depends on, and the tsx loader that runs the app. */
function toolPaths() {
  return {
    cdk: fileURLToPath(import.meta.resolve('aws-cdk/bin/cdk')),
    tsx: import.meta.resolve('tsx'),
    app: fileURLToPath(new URL('../../infra/cdk-app.ts', import.meta.url)),
  };
}

/** Quotes a word for the POSIX shell the CDK CLI runs `--app` in, only when it needs quoting. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_+=:,.@/-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, '\\$1')}"`;
}

/**
 * The `--app` command line. The CDK CLI's argument parser strips one pair of quotes from a value
 * that starts and ends with `"`, which would break a command whose first and last words are both
 * quoted; a trailing `--` (an empty list of script arguments) keeps it intact.
 */
export function appCommand(node: string, tsxLoader: string, entry: string): string {
  const line = [node, '--import', tsxLoader, entry].map(shellWord).join(' ');
  return line.startsWith('"') && line.endsWith('"') ? `${line} --` : line;
}

/** The CDK CLI's arguments and environment for one run; pure, so it is tested without AWS. */
export function cdkInvocation(
  run: CdkRun,
  baseEnv: NodeJS.ProcessEnv = process.env,
): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const tools = toolPaths();
  const app = appCommand(process.execPath, tools.tsx, tools.app);
  const context: [string, string | undefined][] = [
    [CONTEXT_KEYS.config, run.configFile],
    [CONTEXT_KEYS.stage, run.stage],
    [CONTEXT_KEYS.region, run.region],
    [CONTEXT_KEYS.nag, run.nag === false ? 'false' : undefined],
    ['cli-telemetry', 'false'],
  ];
  const args = [tools.cdk, run.action];
  if (run.assembly) {
    args.push('--app', run.assembly);
  } else {
    args.push('--app', app, '--output', run.outDir);
    for (const [key, value] of context) if (value !== undefined) args.push('--context', `${key}=${value}`);
  }
  // Synthesis never looks anything up in an account; notices and version reporting would reach the network.
  args.push('--no-lookups', '--no-notices', '--no-version-reporting');
  if (run.profile) args.push('--profile', run.profile);
  if (run.action === 'synth') args.push('--quiet');
  // `--fail` makes a difference (diff) or drift an exit code, for CI; see cdk-outcome.ts.
  if (run.action === 'diff' || run.action === 'drift') args.push('--fail');
  if (run.action === 'destroy' && run.force) args.push('--force');
  // Adopts what an earlier `gantry destroy` retained (the tables, by their fixed names) instead of
  // failing to create them again; CloudFormation imports only named resources whose DeletionPolicy is
  // Retain and that no other stack owns (docs/deploy.md, "Destroy, then deploy again").
  if (run.action === 'deploy') args.push('--import-existing-resources');
  if (run.stacks.length) args.push(...run.stacks);
  else if (run.action === 'deploy' || run.action === 'destroy') args.push('--all');
  args.push(...run.extra);
  const env = { ...baseEnv, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: '1' };
  return { command: process.execPath, args, env };
}

/** Splits `gantry ACTION [flags] [stacks] [-- cdk args]` and validates the flags. */
export function parseCdkArgs(action: CdkAction, args: string[], usage: string, cwd = process.cwd()) {
  const dash = args.indexOf('--');
  const own = dash < 0 ? args : args.slice(0, dash);
  const extra = dash < 0 ? [] : args.slice(dash + 1);
  const spec =
    action === 'destroy' ? { ...CDK_FLAGS, force: { type: 'boolean', short: 'f', default: false } } : CDK_FLAGS;
  const { values, positionals } = parseFlags(own, spec as typeof CDK_FLAGS, usage);
  const flags = values as Record<string, string | boolean | undefined>;
  const stage = flags.stage as string | undefined;
  if (stage !== undefined && !/^[a-z][a-z0-9-]{0,23}$/.test(stage)) {
    throw new UsageError(
      `--stage: expected 1 to 24 lower-case letters, digits and "-", starting with a letter; got "${stage}"`,
    );
  }
  const region = flags.region as string | undefined;
  if (region !== undefined && !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) {
    throw new UsageError(`--region: expected an AWS region such as "us-east-1", got "${region}"`);
  }
  const run: CdkRun = {
    action,
    configFile: resolve(cwd, flags.config as string),
    outDir: resolve(cwd, flags.out as string),
    stage,
    region,
    profile: flags.profile as string | undefined,
    nag: !flags['no-nag'],
    stacks: positionals,
    extra,
    force: flags.force === true,
    assembly: flags.assembly === undefined ? undefined : resolve(cwd, flags.assembly as string),
  };
  if (run.assembly && action === 'synth') throw new UsageError('--assembly: synth writes an assembly; use --out');
  return { run, help: flags.help === true };
}

/** Output kept for reading the CDK's verdict: its summary and errors come last. */
const KEPT_OUTPUT = 256 * 1024;

/**
 * Runs the CDK CLI; resolves with its exit code and, when `capture` is set, its output (still shown
 * as it comes). Without capture the terminal is attached as is: deploy may ask for approval.
 */
function runCdk(run: CdkRun, capture = false): Promise<{ code: number; output: string }> {
  const { command, args, env } = cdkInvocation(run);
  return new Promise((resolveExit) => {
    const child = spawn(command, args, { stdio: capture ? ['inherit', 'pipe', 'pipe'] : 'inherit', env });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      keep(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      keep(chunk);
    });
    child.on('error', (error) => {
      console.error(`gantry ${run.action}: could not start the CDK CLI: ${error.message}`);
      resolveExit({ code: 1, output });
    });
    child.on('close', (code, signal) => resolveExit({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** The templates of a cloud assembly, from its manifest: stack name, region, template file. */
export async function listTemplates(outDir: string): Promise<{ stack: string; region: string; template: string }[]> {
  const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<
      string,
      { type: string; environment?: string; properties?: { templateFile?: string; stackName?: string } }
    >;
  };
  const out: { stack: string; region: string; template: string }[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    out.push({
      stack: artifact.properties.stackName ?? id,
      region: artifact.environment?.split('/').pop() ?? 'unknown',
      template: join(outDir, artifact.properties.templateFile),
    });
  }
  return out;
}

/** Shared `run` of the five commands. */
export async function runCdkCommand(action: CdkAction, args: string[], usage: string): Promise<number> {
  let parsed: ReturnType<typeof parseCdkArgs>;
  try {
    parsed = parseCdkArgs(action, args, usage);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (parsed.help) {
    console.log(usage);
    return 0;
  }
  const compares = action === 'diff' || action === 'drift';
  // Checked here first so a bad config or stage reads as one message, not as a failed CDK subprocess.
  let fis: ReturnType<typeof planFisExperiments> | undefined;
  try {
    // An assembly synthesized earlier was checked when it was synthesized.
    if (!parsed.run.assembly) {
      const config = await loadConfig(parsed.run.configFile);
      planDeployment(config, { stage: parsed.run.stage, region: parsed.run.region });
      fis = planFisExperiments(config);
    }
  } catch (error) {
    if (!(error instanceof InfraError || error instanceof ConfigError)) throw error;
    const prefix = error instanceof ConfigError ? `gantry ${action}: invalid config\n` : `gantry ${action}: `;
    console.error(`${prefix}${error.message}`);
    // diff and drift keep 1 for "differences found"; a config that cannot deploy compared nothing.
    return compares ? COMPARE_EXIT.noApp : 1;
  }
  if (compares) {
    const { code, output } = await runCdk(parsed.run, true);
    const outcome = compareOutcome(action, code, output);
    if (outcome.message) console.error(outcome.message);
    return outcome.code;
  }
  const { code } = await runCdk(parsed.run);
  if (code === 0 && action === 'synth') {
    for (const t of await listTemplates(parsed.run.outDir)) {
      console.log(`${t.stack} (${t.region}): ${relative(process.cwd(), t.template)}`);
    }
    // What of the chaos experiments AWS FIS runs, and what it cannot (never dropped silently).
    if (fis) for (const line of describeFisCoverage(fis)) console.log(line);
  }
  return code;
}
