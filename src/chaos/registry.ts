/**
 * The faults of one `gantry dev`: injected (from the CLI, the console API or an experiment), each
 * ending by itself at its duration or when stopped. It answers the gateway's, runtime's and store's
 * per-request questions, and swaps itself into their fault slots only while one of its faults
 * concerns them: with no fault active, their request paths see `undefined` and pay nothing.
 */
import { randomBytes } from 'node:crypto';
import type { ResolvedConfig } from '../config/index.ts';
import { ACTIONS, type ActionSpec } from './actions.ts';
import { type BuiltAnswer, buildAnswer, type InvocationAnswer, type RouteAnswer, type StoreAnswer } from './answers.ts';
import { checkFault, targetsOf } from './check.ts';
import { ChaosError } from './errors.ts';
import {
  describeFault,
  type Fault,
  type FaultEvent,
  type FaultRequest,
  type FaultSlots,
  type GatewayAnswers,
  type RuntimeAnswers,
  type StoreAnswers,
} from './fault.ts';
import type { RegionOutages } from './region-holds.ts';
import { HitSampler, randomSeed } from './sampler.ts';

export type {
  Fault,
  FaultEvent,
  FaultRequest,
  FaultSlots,
  GatewayAnswers,
  RuntimeAnswers,
  StoreAnswers,
} from './fault.ts';

interface ActiveFault {
  info: Fault;
  built: BuiltAnswer;
  sampler: HitSampler;
  timer: NodeJS.Timeout;
}

export interface RegistryOptions {
  /** Epoch ms. @default Date.now */
  clock?: () => number;
  /** A line per fault started or ended (the `gantry/events` log group). */
  log?: (line: string) => void;
  /** Ended faults kept for lists. @default 100 */
  history?: number;
  /** The regions of a two-region gantry dev, for region outages. @default none: they are refused */
  regions?: RegionOutages;
  /** The region this registry's gateway, runtime and store serve, stamped on its faults (two regions). */
  region?: string;
}

export class FaultRegistry {
  private readonly active: ActiveFault[] = [];
  private readonly ended: Fault[] = [];
  private readonly listeners = new Set<(event: FaultEvent) => void>();
  private readonly slots: FaultSlots[] = [];
  /** Region outages being taken or given back (asynchronous: a listener closes or opens). */
  private readonly effects = new Set<Promise<void>>();
  private readonly clock: () => number;
  private closed = false;

  readonly runtimeAnswers: RuntimeAnswers = {
    invocation: (functionName) => this.answerInvocation(functionName),
    concurrencyLimit: (functionName) => this.answerLimit(functionName),
  };
  readonly gatewayAnswers: GatewayAnswers = { route: (routeKey) => this.answerRoute(routeKey) };
  readonly storeAnswers: StoreAnswers = { request: (tables) => this.answerStore(tables) };

  constructor(
    private config: ResolvedConfig,
    private readonly options: RegistryOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Registers the layers whose fault slots this registry fills while it has faults for them. */
  attach(slots: FaultSlots): () => void {
    this.slots.push(slots);
    this.fill(slots);
    return () => {
      const i = this.slots.indexOf(slots);
      if (i !== -1) this.slots.splice(i, 1);
      if (slots.runtime) slots.runtime.faults = undefined;
      if (slots.gateway) slots.gateway.faults = undefined;
      if (slots.store) slots.store.faults = undefined;
    };
  }

  onEvent(listener: (event: FaultEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validates and starts a fault; throws ChaosError naming every problem. */
  inject(request: FaultRequest): Fault {
    if (this.closed) throw new ChaosError('gantry dev is stopping: no new faults');
    const { action, parameters, durationMs, target } = this.check(request);
    const regions = this.options.regions;
    if (ACTIONS[action].targetKind === 'region' && !regions) {
      throw new ChaosError(`action: ${action} needs the regions of a two-region gantry dev; this one runs none`);
    }
    const seed = request.seed ?? randomSeed();
    const now = this.clock();
    const info: Fault = {
      id: `flt-${randomBytes(5).toString('hex')}`,
      action,
      targetKind: ACTIONS[action].targetKind,
      target,
      parameters,
      seed,
      durationMs,
      startedAt: now,
      endsAt: now + durationMs,
      state: 'active',
      source: request.source,
      ...(this.options.region && ACTIONS[action].targetKind !== 'region' ? { region: this.options.region } : {}),
      seen: 0,
      hits: 0,
    };
    const spec: ActionSpec = ACTIONS[action];
    const percent = spec.percentParameter ? (parameters[spec.percentParameter] as number) : 100;
    const fault: ActiveFault = {
      info,
      built: buildAnswer(action, parameters),
      sampler: new HitSampler(seed, percent),
      timer: setTimeout(() => this.end(fault, 'expired'), durationMs),
    };
    fault.timer.unref();
    this.active.push(fault);
    this.changed();
    this.options.log?.(`chaos: fault ${info.id} started: ${describeFault(info)}`);
    if (fault.built.layer === 'region') this.track(info, regions!.hold(target, info.id));
    this.emit({ type: 'started', fault: info });
    return info;
  }

  /**
   * Resolves once every region outage asked so far has taken effect (the region refuses connections,
   * or is up again): the console answers after it, so a caller's next request sees the outage.
   */
  async settled(): Promise<void> {
    while (this.effects.size) await Promise.allSettled([...this.effects]);
  }

  private track(info: Fault, effect: Promise<void>): void {
    const tracked = effect.then(
      () => {},
      (error: Error) => this.options.log?.(`chaos: fault ${info.id} on region ${info.target}: ${error.message}`),
    );
    this.effects.add(tracked);
    void tracked.finally(() => this.effects.delete(tracked));
  }

  /** inject() for requests from outside (the console API): a refusal is a value, not a throw. */
  tryInject(request: Record<string, unknown>): { ok: true; fault: Fault } | { ok: false; problem: string } {
    const seed = request.seed;
    try {
      return {
        ok: true,
        fault: this.inject({
          action: String(request.action ?? ''),
          target: String(request.target ?? ''),
          duration: request.duration as string | number | undefined,
          parameters:
            request.parameters && typeof request.parameters === 'object'
              ? (request.parameters as Record<string, unknown>)
              : undefined,
          percent: request.percent as number | string | undefined,
          seed: seed === undefined ? undefined : (seed as number),
          source: typeof request.source === 'string' ? request.source : undefined,
        }),
      };
    } catch (error) {
      if (error instanceof ChaosError) return { ok: false, problem: error.message };
      throw error;
    }
  }

  /** Active faults first (oldest first), then the ones that ended (newest first). */
  list(): Fault[] {
    return [...this.active.map((f) => f.info), ...this.ended];
  }

  get(id: string): Fault | undefined {
    return this.active.find((f) => f.info.id === id)?.info ?? this.ended.find((f) => f.id === id);
  }

  /** Ends one fault now; undefined when no active fault has that id. */
  stop(id: string): Fault | undefined {
    const fault = this.active.find((f) => f.info.id === id);
    if (!fault) return undefined;
    this.end(fault, 'stopped');
    return fault.info;
  }

  /** Ends every active fault now (an experiment's roll back, a stop condition, `chaos stop --all`). */
  stopAll(): Fault[] {
    const all = [...this.active];
    for (const fault of all) this.end(fault, 'stopped');
    return all.map((f) => f.info);
  }

  /**
   * A config reload: new faults are checked against `next` (a function it adds can be targeted at
   * once); an active fault whose target `next` no longer has ends now, the others go on.
   */
  reconfigure(next: ResolvedConfig): Fault[] {
    this.config = next;
    const gone = this.active.filter((f) => !targetsOf(next, f.info.targetKind).includes(f.info.target));
    for (const fault of gone) this.end(fault, 'stopped');
    return gone.map((f) => f.info);
  }

  /** Ends every fault and refuses new ones (gantry dev stopping). */
  close(): void {
    this.stopAll();
    this.closed = true;
    this.listeners.clear();
  }

  private check(request: FaultRequest) {
    const checked = checkFault(this.config, request);
    if (!checked.ok) throw new ChaosError(checked.problems.join('; '));
    return checked.value;
  }

  private end(fault: ActiveFault, reason: 'expired' | 'stopped'): void {
    const i = this.active.indexOf(fault);
    if (i === -1) return;
    this.active.splice(i, 1);
    clearTimeout(fault.timer);
    const info = fault.info;
    info.state = 'ended';
    info.endReason = reason;
    info.endedAt = this.clock();
    this.ended.unshift(info);
    if (this.ended.length > (this.options.history ?? 100)) this.ended.pop();
    this.changed();
    if (fault.built.layer === 'region') this.track(info, this.options.regions!.release(info.target, info.id));
    const tally =
      info.targetKind === 'region' ? `region ${info.target} given back` : `${info.hits} of ${info.seen} hit`;
    this.options.log?.(`chaos: fault ${info.id} ended (${reason}): ${tally}`);
    this.emit({ type: 'ended', fault: info });
  }

  private emit(event: FaultEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener must not stop a fault from starting or ending.
      }
    }
  }

  private changed(): void {
    for (const slots of this.slots) this.fill(slots);
  }

  private fill(slots: FaultSlots): void {
    let runtime = false;
    let gateway = false;
    let store = false;
    for (const fault of this.active) {
      const layer = fault.built.layer;
      if (layer === 'runtime') runtime = true;
      else if (layer === 'gateway') gateway = true;
      else if (layer === 'store') store = true;
    }
    if (slots.runtime) slots.runtime.faults = runtime ? this.runtimeAnswers : undefined;
    if (slots.gateway) slots.gateway.faults = gateway ? this.gatewayAnswers : undefined;
    if (slots.store) slots.store.faults = store ? this.storeAnswers : undefined;
  }

  /**
   * Draws for the earliest active fault of each kind on the target (FIS: of identical or conflicting
   * actions only the one that started first applies); counts every fault asked.
   */
  private draw(fault: ActiveFault): boolean {
    fault.info.seen++;
    if (!fault.sampler.next()) return false;
    fault.info.hits++;
    return true;
  }

  private answerInvocation(functionName: string): InvocationAnswer | undefined {
    let delay: InvocationAnswer | undefined;
    let replace: InvocationAnswer | undefined;
    let delayTaken = false;
    let replaceTaken = false;
    for (const fault of this.active) {
      const built = fault.built;
      if (built.layer !== 'runtime' || built.slot === 'limit' || fault.info.target !== functionName) continue;
      if (built.slot === 'delay') {
        if (delayTaken) continue;
        delayTaken = true;
        if (this.draw(fault)) delay = built.answer;
      } else {
        if (replaceTaken) continue;
        replaceTaken = true;
        if (this.draw(fault)) replace = built.answer;
      }
    }
    if (delay === undefined) return replace;
    if (replace === undefined) return delay;
    return { ...replace, delayMs: delay.delayMs, logLines: [...(delay.logLines ?? []), ...(replace.logLines ?? [])] };
  }

  private answerLimit(functionName: string): number | undefined {
    let limit: number | undefined;
    for (const fault of this.active) {
      const built = fault.built;
      if (built.layer !== 'runtime' || built.slot !== 'limit' || fault.info.target !== functionName) continue;
      fault.info.seen++;
      limit = limit === undefined ? built.limit : Math.min(limit, built.limit);
    }
    return limit;
  }

  private answerRoute(routeKey: string): RouteAnswer | undefined {
    let delay: RouteAnswer | undefined;
    let delayTaken = false;
    let resetTaken = false;
    for (const fault of this.active) {
      const built = fault.built;
      if (built.layer !== 'gateway' || fault.info.target !== routeKey) continue;
      if (built.slot === 'reset') {
        if (resetTaken) continue;
        resetTaken = true;
        // A reset ends the request: a delay drawn for it too would change nothing the client sees.
        if (this.draw(fault)) return built.answer;
      } else {
        if (delayTaken) continue;
        delayTaken = true;
        if (this.draw(fault)) delay = built.answer;
      }
    }
    return delay;
  }

  private answerStore(tableNames: readonly string[]): StoreAnswer | undefined {
    let delay: StoreAnswer | undefined;
    let error: StoreAnswer | undefined;
    let delayTaken = false;
    let errorTaken = false;
    for (const fault of this.active) {
      const built = fault.built;
      if (built.layer !== 'store' || !tableNames.includes(fault.info.target)) continue;
      if (built.slot === 'delay') {
        if (delayTaken) continue;
        delayTaken = true;
        if (this.draw(fault)) delay = built.answer;
      } else {
        if (errorTaken) continue;
        errorTaken = true;
        if (this.draw(fault)) error = built.answer;
      }
    }
    if (delay === undefined) return error;
    if (error === undefined) return delay;
    return { ...error, delayMs: delay.delayMs };
  }
}
