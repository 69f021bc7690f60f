import { ConsoleUnreachableError, type FaultView, fetchConsoleJson, sendConsoleJson } from '../../console/index.ts';
import { intFlag, parseFlags, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { consoleBase } from '../console-base.ts';
import { chaosActionsText, formatFaultTable } from './chaos-format.ts';

const usage = `Usage: gantry chaos <inject|list|stop|run|actions> [flags]

Fault injection on a running \`gantry dev\` (found from the config, as \`gantry logs\` finds it), in
AWS FIS's vocabulary: faults start at once, end by themselves at their duration, and show in the
console and the logs (gantry/events).

  gantry chaos inject ACTION --target NAME [--region R] [--percent N] [--duration 60s] [--seed N] [PARAM=VALUE…]
      starts a fault and prints its id. ACTION is FIS's action id (aws:lambda:invocation-add-delay…)
      or one of gantry's (gantry chaos actions lists them with their parameters, ranges and defaults);
      NAME is a function, a route key ("GET /orders"), a table or (gantry:region:outage, on a
      two-region gantry dev) a region, as the action targets.
  gantry chaos list [--json]           the faults, active first, with how many invocations each hit
  gantry chaos stop ID | --all         ends one fault, or every one
  gantry chaos run NAME [--report FILE.html] [--seed N] [--region R]
      runs the experiment chaos.experiments.NAME of the config: steady state, inject, observe, roll
      back, recovery; prints a verdict per phase. Exit 0: the hypothesis held; 99: it did not; 1: the
      experiment could not run. On two regions its actions hit the primary's functions, routes and
      tables, or --region R's (gantry deploy puts the experiment's FIS template in both regions).
  gantry chaos actions                 every action, its target and its parameters

Flags:
  --target NAME         what the fault hits (inject)
  --region R            two regions: whose function, route or table it hits, for inject and run
                        (default the primary's; an FIS experiment, too, targets one Region's resources)
  --percent N           share of invocations (or requests) hit, 1 to 100, counted per invocation
                        (refused by actions with no percentage: concurrency limit, region outage)
  --duration D          how long the fault lasts: 60s, 2m, PT1M (default 60s)
  --seed N              which invocations are hit, reproducibly (default: random, printed)
  --config PATH         api.config.ts whose running gantry dev to use (default ./api.config.ts)
  --console-port N      use the console on this port instead (default: found from the config's gantry dev)
  --console-host ADDR   with --console-port: the console's address (default 127.0.0.1)

Examples:
  gantry chaos inject aws:lambda:invocation-add-delay --target orders startupDelayMilliseconds=800 --percent 50
  gantry chaos inject aws:lambda:invocation-error --target orders preventExecution=false --duration 2m
  gantry chaos inject gantry:dynamodb:table-error --target orders errorCode=InternalServerError
  gantry chaos inject gantry:region:outage --target us-east-1 --duration 30s
  gantry chaos inject aws:lambda:invocation-error --target orders --region us-west-2 --percent 100
  gantry chaos stop --all`;

const FLAGS = {
  target: { type: 'string' },
  region: { type: 'string' },
  percent: { type: 'string' },
  duration: { type: 'string' },
  seed: { type: 'string' },
  all: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  report: { type: 'string' },
  config: { type: 'string', default: 'api.config.ts' },
  'console-port': { type: 'string' },
  'console-host': { type: 'string', default: '127.0.0.1' },
} as const;

type Values = ReturnType<typeof parseFlags<typeof FLAGS>>['values'];

/** `name=value` words after the action: FIS's parameter names, values as FIS templates write them. */
function parameterWords(words: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected PARAM=VALUE (e.g. startupDelayMilliseconds=500), got "${word}"`);
    out[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return out;
}

async function inject(values: Values, words: string[]): Promise<number> {
  const [action, ...rest] = words;
  if (!action) throw new UsageError(`inject: expected an ACTION (gantry chaos actions lists them)\n\n${usage}`);
  if (!values.target) throw new UsageError('inject: expected --target NAME (a function, a route key or a table)');
  const body = {
    action,
    target: values.target,
    region: values.region,
    duration: values.duration,
    percent: values.percent,
    seed: values.seed === undefined ? undefined : intFlag(values.seed, 'seed', 0, 0, 2 ** 31 - 1),
    parameters: parameterWords(rest),
  };
  const fault = await sendConsoleJson<FaultView>(await consoleBase(values), 'POST', '/api/chaos/faults', body);
  console.log(fault.id);
  const params = Object.entries(fault.parameters)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.error(
    `started ${fault.action} on ${fault.targetKind} ${fault.target}${fault.region ? ` in ${fault.region}` : ''} (${params}) for ${fault.durationMs / 1000}s, seed ${fault.seed}`,
  );
  return 0;
}

async function stop(values: Values, words: string[]): Promise<number> {
  const base = await consoleBase(values);
  if (values.all) {
    if (words.length) throw new UsageError('stop: give an ID or --all, not both');
    const { stopped } = await sendConsoleJson<{ stopped: FaultView[] }>(base, 'DELETE', '/api/chaos/faults');
    console.log(stopped.length ? stopped.map((f) => `stopped ${f.id}`).join('\n') : 'no active fault');
    return 0;
  }
  if (words.length !== 1) throw new UsageError('stop: expected one fault ID (gantry chaos list shows them) or --all');
  const fault = await sendConsoleJson<FaultView>(base, 'DELETE', `/api/chaos/faults/${encodeURIComponent(words[0])}`);
  console.log(`stopped ${fault.id}: ${fault.hits} of ${fault.seen} hit`);
  return 0;
}

async function list(values: Values): Promise<number> {
  const faults = await fetchConsoleJson<FaultView[]>(await consoleBase(values), '/api/chaos/faults');
  console.log(values.json ? JSON.stringify(faults, null, 2) : formatFaultTable(faults, Date.now()));
  return 0;
}

export const command: Command = {
  name: 'chaos',
  summary: 'inject, list and stop FIS-style faults on a running gantry dev; run experiments with verdicts',
  usage,
  async run(args) {
    const { values, positionals } = parseFlags(args, FLAGS, usage);
    const [sub, ...words] = positionals;
    try {
      switch (sub) {
        case 'inject':
          return await inject(values, words);
        case 'list':
          return await list(values);
        case 'stop':
          return await stop(values, words);
        case 'actions':
          console.log(chaosActionsText());
          return 0;
        case 'run': {
          const { runExperimentCommand } = await import('./chaos-run.ts');
          return await runExperimentCommand(values, words);
        }
        default:
          throw new UsageError(
            `${sub === undefined ? 'expected' : `unknown sub-command "${sub}":`} inject, list, stop, run or actions\n\n${usage}`,
          );
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      if (error instanceof ConsoleUnreachableError) {
        console.error(`gantry chaos: ${error.message}`);
        return 1;
      }
      const name = (error as Error).name;
      if (name === 'NoRunningInstanceError' || name === 'ConfigError') throw error;
      console.error(`gantry chaos ${sub}: ${(error as Error).message}`);
      return 1;
    }
  },
};

export type ChaosValues = Values;
