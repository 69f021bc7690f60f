/**
 * Runs one experiment against a running `gantry dev`: steady state → inject (each action at its
 * offset, for its duration) → observe → roll back (the faults it injected removed) → recovery, with
 * the load running throughout and the stop-condition alarms watched every second. An alarm in ALARM
 * stops the load and removes the experiment's faults at once, as an FIS stop condition stops an
 * experiment: its own actions, not a fault someone else started (a drill's region outage, a fault
 * injected by hand), which keep running.
 */
import { type ResolvedConfig, servedRegions } from '../../config/index.ts';
import { type LoadTestResult, resolveScenario, runLoadTest } from '../../loadtest/index.ts';
import { ACTIONS, type ActionId } from '../actions.ts';
import { ChaosError } from '../errors.ts';
import type { Fault, FaultRequest } from '../registry.ts';
import { randomSeed } from '../sampler.ts';
import { checkExperiment, experimentScenario, phaseWindows } from './plan.ts';
import { type CounterSnapshot, type ExperimentResult, judgePhases } from './verdict.ts';

/** What an experiment needs of the `gantry dev` it runs against (the CLI wires it to the console API). */
export interface ExperimentHost {
  /** The API's base URL, stage prefix included. */
  baseUrl: string;
  inject(request: FaultRequest): Promise<Fault>;
  /** Ends one fault; undefined when it had already ended (its duration ran out). */
  stop(id: string): Promise<Fault | undefined>;
  faults(): Promise<Fault[]>;
  alarms(): Promise<{ alarmName: string; state: string }[]>;
  /** Cumulative Lambda counters per function. */
  counters(): Promise<CounterSnapshot>;
}

export interface RunExperimentOptions {
  /** Base seed: action i gets seed + i. @default random, reported */
  seed?: number;
  /** Load-generating worker threads. @default loadtest's default */
  workers?: number;
  /** Milliseconds between stop-condition checks. @default 1000 */
  pollMs?: number;
  /** A line per event as it happens (fault started, rolled back, stopped…). */
  onEvent?: (line: string) => void;
  /** The `authorization` header of every request (the experiment's `load.token`, minted by the caller). */
  authorization?: string;
  /**
   * A two-region gantry dev: the region whose functions, routes and tables the actions hit (the primary's
   * by default), as `gantry deploy` puts each experiment's FIS template in both regions and an
   * experiment runs in the Region it is started in. A region outage names its own region.
   */
  region?: string;
}

export async function runExperiment(
  config: ResolvedConfig,
  name: string,
  host: ExperimentHost,
  options: RunExperimentOptions = {},
): Promise<ExperimentResult> {
  const experiment = config.experiments[name];
  if (!experiment) {
    const known = Object.keys(config.experiments);
    throw new ChaosError(
      `no experiment "${name}" in chaos.experiments (${known.length ? `known: ${known.join(', ')}` : 'the config has none'})`,
    );
  }
  checkExperiment(config, experiment);
  const regions = servedRegions(config.regions);
  if (options.region !== undefined && (regions.length < 2 || !regions.includes(options.region))) {
    throw new ChaosError(
      regions.length < 2
        ? `--region: this config serves one region (${regions[0]}); --region picks one of a two-region config's`
        : `--region: expected ${regions.join(' or ')}, got "${options.region}"`,
    );
  }
  const windows = phaseWindows(experiment);
  const scenario = experimentScenario(experiment, windows, options.authorization);
  // Checked before anything is injected: a step gantry load refuses names its field here.
  resolveScenario(scenario, `chaos.experiments.${name}.load`, { baseUrl: host.baseUrl });
  const seed = options.seed ?? randomSeed();
  const events: { atMs: number; text: string }[] = [];
  let startEpoch = 0;
  const at = () => (startEpoch ? Math.max(0, Date.now() - startEpoch) : 0);
  const note = (text: string) => {
    events.push({ atMs: at(), text });
    options.onEvent?.(`${(at() / 1000).toFixed(1).padStart(6)}s  ${text}`);
  };

  const initial = await host.alarms();
  const alarmed = initial.filter((a) => experiment.stopConditions.includes(a.alarmName) && a.state === 'ALARM');
  if (alarmed.length) {
    throw new ChaosError(
      `chaos.experiments.${name}.stopConditions: ${alarmed.map((a) => a.alarmName).join(', ')} already in ALARM; the experiment would stop at once (wait for OK)`,
    );
  }
  const lastState = new Map(initial.map((a) => [a.alarmName, a.state]));
  const fired: { alarmName: string; atMs: number }[] = [];
  const counters: CounterSnapshot[] = [await host.counters()];
  const injected: (Fault & { name: string })[] = [];
  const timers: NodeJS.Timeout[] = [];
  const pending: Promise<unknown>[] = [];
  const controller = new AbortController();
  let stopped: ExperimentResult['stopped'];
  let rolledBackAtMs: number | undefined;
  let poll: NodeJS.Timeout | undefined;

  const rollBack = async (why: string) => {
    if (rolledBackAtMs !== undefined) return;
    rolledBackAtMs = at();
    for (const timer of timers) clearTimeout(timer);
    const removed: Fault[] = [];
    for (const fault of injected) {
      const stopped = await host.stop(fault.id);
      if (stopped) removed.push(stopped);
    }
    note(`roll back (${why}): ${removed.length ? `${removed.length} fault(s) removed` : 'no fault left to remove'}`);
  };

  const schedule = (ms: number, fn: () => Promise<unknown>) => {
    const timer = setTimeout(
      () => {
        pending.push(fn().catch((error: Error) => note(`error: ${error.message}`)));
      },
      Math.max(0, startEpoch + ms - Date.now()),
    );
    timers.push(timer);
  };

  const onStart = (startEpochMs: number) => {
    startEpoch = startEpochMs;
    const injection = windows[1];
    schedule(injection.fromMs, async () => counters.push(await host.counters()));
    experiment.actions.forEach((a, i) => {
      schedule(injection.fromMs + a.startAfterMs, async () => {
        if (stopped) return;
        const fault = await host.inject({
          action: a.action,
          target: a.target,
          parameters: a.parameters,
          percent: a.percent,
          duration: a.durationMs / 1000,
          seed: seed + i,
          source: `experiment ${name}/${a.name}`,
          ...(options.region !== undefined && ACTIONS[a.action as ActionId]?.targetKind !== 'region'
            ? { region: options.region }
            : {}),
        });
        injected.push({ ...fault, name: a.name });
        const where = fault.region ? ` in ${fault.region}` : '';
        note(`inject ${a.name}: ${fault.action} on ${fault.target}${where} (${fault.id}, seed ${fault.seed})`);
        // Rolled back while this injection was on its way: it ends with the others.
        if (rolledBackAtMs !== undefined) await host.stop(fault.id);
      });
    });
    schedule(injection.toMs, async () => {
      await rollBack('injection over');
      counters.push(await host.counters());
    });
    poll = setInterval(() => {
      pending.push(
        host.alarms().then(
          (alarms) => {
            for (const a of alarms) {
              const before = lastState.get(a.alarmName);
              lastState.set(a.alarmName, a.state);
              if (a.state !== 'ALARM' || before === 'ALARM') continue;
              fired.push({ alarmName: a.alarmName, atMs: at() });
              note(`alarm ${a.alarmName} → ALARM`);
              if (experiment.stopConditions.includes(a.alarmName) && !stopped) {
                stopped = { alarmName: a.alarmName, atMs: at() };
                note(`stop condition ${a.alarmName}: stopping the experiment`);
                controller.abort();
                void rollBack(`stop condition ${a.alarmName}`);
              }
            }
          },
          () => {},
        ),
      );
    }, options.pollMs ?? 1000);
    note(
      `steady state: ${Object.entries(experiment.hypothesis)
        .map(([k, v]) => `${k} ${v.join(' ')}`)
        .join(', ')}`,
    );
  };

  let load: LoadTestResult;
  try {
    load = await runLoadTest(scenario, {
      baseUrl: host.baseUrl,
      workers: options.workers,
      signal: controller.signal,
      onStart,
    });
  } finally {
    for (const timer of timers) clearTimeout(timer);
    if (poll) clearInterval(poll);
    await Promise.allSettled(pending);
    // Whatever happened, no fault of this experiment outlives it.
    await rollBack(stopped ? `stop condition ${stopped.alarmName}` : 'experiment over').catch(() => {});
  }
  while (counters.length < 3) counters.push(await host.counters());
  counters.push(await host.counters());
  const final = new Map((await host.faults()).map((f) => [f.id, f]));
  const faults = injected.map((f) => ({ ...f, ...final.get(f.id), name: f.name }));
  note(stopped ? `stopped by ${stopped.alarmName}` : 'recovery measured; done');
  return judgePhases({ experiment, windows, load, counters, fired, stopped, faults, events, seed, rolledBackAtMs });
}
