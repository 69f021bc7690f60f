/** `gantry`: dispatches to a sub-command. No logic of its own beyond help and error display. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/index.ts';
import { UsageError } from './args.ts';
import type { Command } from './command.ts';

// Loaded on demand: `gantry invoke` need not import the CDK, `gantry synth` need not start workers.
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  dev: {
    summary: 'run the API locally: gateway, Lambda runtime, store, console',
    load: () => import('./commands/dev.ts'),
  },
  invoke: {
    summary: 'invoke one function directly, like aws lambda invoke',
    load: () => import('./commands/invoke.ts'),
  },
  load: {
    summary: 'k6-style load test with thresholds (exit 99 when one fails); --scale-report shows Lambda scaling',
    load: () => import('./commands/load.ts'),
  },
  logs: {
    summary: 'print or follow function logs, the access log and alarm notices of a running gantry dev',
    load: () => import('./commands/logs.ts'),
  },
  cost: {
    summary: 'monthly cost projection from observed or given traffic, against the budget',
    load: () => import('./commands/cost.ts'),
  },
  synth: {
    summary: 'synthesize the AWS CDK app (CloudFormation templates) from the config',
    load: () => import('./commands/synth.ts'),
  },
  diff: {
    summary: 'compare the deployed stacks with the config; exit 1 on drift',
    load: () => import('./commands/diff.ts'),
  },
  deploy: { summary: 'deploy the API to AWS with the CDK (both regions)', load: () => import('./commands/deploy.ts') },
  destroy: {
    summary: 'destroy the deployed stacks (tables marked retain are kept)',
    load: () => import('./commands/destroy.ts'),
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'gantry: develop, validate and run serverless HTTP APIs (API Gateway HTTP APIs + Lambda)',
    '',
    'Usage: gantry <command> [flags]   (every command accepts --config PATH, default ./api.config.ts)',
    '',
    'Commands:',
    ...lines,
    '',
    'gantry <command> --help shows a command’s flags.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`gantry: unknown command "${name}" (known: ${Object.keys(COMMANDS).join(', ')})\n\n${help()}`);
    return 2;
  }
  const { command } = await entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`gantry ${name}: invalid config\n${error.message}`);
      return 1;
    }
    if (error instanceof UsageError) {
      console.error(`gantry ${name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
