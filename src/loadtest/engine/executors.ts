/**
 * k6's executors, run inside one worker on that worker's share of the VUs or iterations. Workers never
 * coordinate during a run: they share the start time and the pure schedules in schedule.ts.
 */
import type { ExecutorPlan } from '../plan.ts';
import { executorMaxVUs } from '../plan.ts';
import type { ByteCounter } from './http.ts';
import type { WorkerRecorder } from './recorder.ts';
import { ArrivalSchedule, rampingVUsAt } from './schedule.ts';
import { type CompiledScenario, VirtualUser } from './vu.ts';

/** Ended early by the coordinator (abortOnFail, Ctrl-C): executors stop scheduling and interrupt VUs. */
export class StopSignal {
  stopped = false;
  private readonly listeners = new Set<() => void>();

  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  trigger(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const listener of this.listeners) listener();
  }
}

export interface Gauges {
  /** VUs running iterations now. */
  running: number;
  /** Most VUs running at once since the last snapshot (what the interval's `vus` reports). */
  peak: number;
  /** VUs created so far. */
  allocated: number;
}

export interface ExecutorContext {
  scenario: CompiledScenario;
  /** Epoch ms (sub-ms precision) at which the run starts, the same for all workers. */
  startAt: number;
  worker: number;
  workers: number;
  /** `__VU` of this scenario's first VU minus one: VU ids are unique across scenarios and workers. */
  vuIdBase: number;
  recorder: WorkerRecorder;
  bytes: ByteCounter;
  insecure: boolean;
  gauges: Gauges;
  stop: StopSignal;
}

export const now = (): number => performance.timeOrigin + performance.now();

/** Resolves at epoch `at`, or at once when the run is stopped. */
function until(at: number, stop: StopSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.stopped) return resolve();
    const off = stop.on(done);
    const timer = setTimeout(done, Math.max(0, at - now()));
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}

/** This worker's share of `total` items dealt round-robin over `workers`. */
export function share(total: number, worker: number, workers: number): number {
  return Math.floor(total / workers) + (worker < total % workers ? 1 : 0);
}

export async function runScenario(ctx: ExecutorContext): Promise<void> {
  const plan = ctx.scenario.plan;
  const start = ctx.startAt + plan.startTimeMs;
  await until(start, ctx.stop);
  if (ctx.stop.stopped) return;
  const executor = plan.executor;
  switch (executor.type) {
    case 'constant-vus':
    case 'ramping-vus':
      return runVUs(ctx, executor, start);
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return runArrivalRate(ctx, executor, start);
  }
}

/** Lets in-flight iterations finish within `graceMs` after `end`, then interrupts the rest. */
async function finish(
  ctx: ExecutorContext,
  vus: VirtualUser[],
  running: Promise<unknown>[],
  end: number,
): Promise<void> {
  await until(end, ctx.stop);
  const all = Promise.all(running);
  const graceEnd = now() + ctx.scenario.plan.gracefulStopMs;
  const timedOut = await Promise.race([all.then(() => false), until(graceEnd, ctx.stop).then(() => true)]);
  if (timedOut) for (const vu of vus) vu.interrupt();
  await all;
  await Promise.all(vus.map((vu) => vu.close()));
}

interface VUSlot {
  vu: VirtualUser;
  /** Global index of the VU within the scenario: it runs while index < the wanted VU count. */
  index: number;
  wanted: boolean;
  loop?: Promise<void>;
  rampDown?: NodeJS.Timeout;
}

function runVUs(
  ctx: ExecutorContext,
  executor: Extract<ExecutorPlan, { type: 'constant-vus' | 'ramping-vus' }>,
  start: number,
) {
  const end =
    start +
    (executor.type === 'constant-vus' ? executor.durationMs : executor.stages.reduce((t, s) => t + s.durationMs, 0));
  const slots: VUSlot[] = [];
  for (let index = ctx.worker; index < executorMaxVUs(executor); index += ctx.workers) {
    slots.push({ vu: newVU(ctx, index), index, wanted: false });
  }
  ctx.gauges.allocated += slots.length;
  const loops = new Set<Promise<void>>();

  const startLoop = (slot: VUSlot) => {
    slot.wanted = true;
    if (slot.loop) return;
    ctx.gauges.peak = Math.max(ctx.gauges.peak, ++ctx.gauges.running);
    const loop = (async () => {
      while (slot.wanted && !ctx.stop.stopped && now() < end) await slot.vu.iterate();
    })().finally(() => {
      ctx.gauges.running--;
      clearTimeout(slot.rampDown);
      slot.loop = undefined;
      loops.delete(loop);
    });
    slot.loop = loop;
    loops.add(loop);
  };

  if (executor.type === 'constant-vus') {
    for (const slot of slots) startLoop(slot);
    return finish(
      ctx,
      slots.map((s) => s.vu),
      [...loops],
      end,
    );
  }

  const gracefulRampDownMs = executor.gracefulRampDownMs;
  const adjust = () => {
    const target = rampingVUsAt(executor, now() - start);
    for (const slot of slots) {
      if (slot.index < target) {
        clearTimeout(slot.rampDown);
        startLoop(slot);
      } else if (slot.wanted) {
        // k6's gracefulRampDown: the iteration in progress may finish, up to this long.
        slot.wanted = false;
        if (slot.loop) slot.rampDown = setTimeout(() => slot.vu.interrupt(), gracefulRampDownMs);
      }
    }
  };
  adjust();
  const ticker = setInterval(adjust, 10);
  return until(end, ctx.stop).then(() => {
    clearInterval(ticker);
    for (const slot of slots) slot.wanted = false;
    return finish(
      ctx,
      slots.map((s) => s.vu),
      [...loops],
      end,
    );
  });
}

async function runArrivalRate(
  ctx: ExecutorContext,
  executor: Extract<ExecutorPlan, { type: 'constant-arrival-rate' | 'ramping-arrival-rate' }>,
  start: number,
): Promise<void> {
  // Workers beyond maxVUs would own iterations but no VU to run them: they sit this scenario out.
  const workers = Math.min(ctx.workers, executor.maxVUs);
  if (ctx.worker >= workers) return;
  const maxLocal = share(executor.maxVUs, ctx.worker, workers);
  const all: VirtualUser[] = [];
  const allocate = () => {
    const vu = newVU(ctx, all.length * workers + ctx.worker);
    all.push(vu);
    ctx.gauges.allocated++;
    return vu;
  };
  const idle: VirtualUser[] = [];
  for (let i = 0; i < share(executor.preAllocatedVUs, ctx.worker, workers); i++) idle.push(allocate());
  const schedule = new ArrivalSchedule(executor);
  const { index, name } = ctx.scenario.plan;
  const inFlight = new Set<Promise<unknown>>();
  let k = ctx.worker;

  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const off = ctx.stop.on(() => done());
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
    const tick = () => {
      if (ctx.stop.stopped) return done();
      const elapsed = now() - start;
      for (;;) {
        const at = schedule.startOf(k);
        if (at === undefined) return done();
        if (at > elapsed) {
          timer = setTimeout(tick, at - elapsed);
          return;
        }
        k += workers;
        const vu = idle.pop() ?? (all.length < maxLocal ? allocate() : undefined);
        if (!vu) {
          // The open model does not wait for a VU: an iteration with none free is dropped, and counted.
          ctx.recorder.iteration(index, 'dropped', 0, name);
          continue;
        }
        ctx.gauges.peak = Math.max(ctx.gauges.peak, ++ctx.gauges.running);
        const iteration: Promise<unknown> = vu.iterate().finally(() => {
          ctx.gauges.running--;
          idle.push(vu);
          inFlight.delete(iteration);
        });
        inFlight.add(iteration);
      }
    };
    tick();
  });
  await finish(ctx, all, [...inFlight], start + schedule.durationMs);
}

function newVU(ctx: ExecutorContext, index: number): VirtualUser {
  return new VirtualUser(ctx.vuIdBase + index + 1, ctx.scenario, ctx.recorder, ctx.bytes, ctx.insecure);
}
