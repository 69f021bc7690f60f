/** `gantry`: dispatches to a sub-command. No logic of its own beyond help and error display. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/index.ts';
import { NoRunningInstanceError } from '../console/index.ts';
import { RuntimeBuildError } from '../runtime/index.ts';
import { UsageError } from './args.ts';
import type { Command } from './command.ts';

// Loaded on demand: `gantry invoke` need not import the CDK, `gantry synth` need not start workers.
// Each command owns its summary and usage; only `gantry --help` loads them all.
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  dev: () => import('./commands/dev.ts'),
  invoke: () => import('./commands/invoke.ts'),
  load: () => import('./commands/load.ts'),
  logs: () => import('./commands/logs.ts'),
  cost: () => import('./commands/cost.ts'),
  region: () => import('./commands/region.ts'),
  drill: () => import('./commands/drill.ts'),
  synth: () => import('./commands/synth.ts'),
  diff: () => import('./commands/diff.ts'),
  drift: () => import('./commands/drift.ts'),
  deploy: () => import('./commands/deploy.ts'),
  destroy: () => import('./commands/destroy.ts'),
  export: () => import('./commands/export.ts'),
  federate: () => import('./commands/federate.ts'),
  chaos: () => import('./commands/chaos.ts'),
  token: () => import('./commands/token.ts'),
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function help(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).command));
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
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
    console.log(await help());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`gantry: unknown command "${name}" (known: ${Object.keys(COMMANDS).join(', ')})\n\n${await help()}`);
    return 2;
  }
  const { command } = await entry();
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
    // A handler that cannot be bundled (a module esbuild cannot resolve, a syntax error, a missing
    // export): every function named with what is wrong, no stack trace.
    if (error instanceof RuntimeBuildError) {
      console.error(`gantry ${name}: ${error.message}`);
      return 1;
    }
    // Commands that read a running gantry dev (logs, cost, load, token…) and found none.
    if (error instanceof NoRunningInstanceError) {
      console.error(`gantry ${name}: ${error.message}`);
      return 1;
    }
    if (error instanceof UsageError) {
      console.error(`gantry ${name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
