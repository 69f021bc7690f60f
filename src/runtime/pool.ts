/**
 * The execution environments of one function: reuse of warm ones (last used first), on-demand cold
 * starts, reserved and account concurrency (Lambda refuses a synchronous invoke over the limit at once,
 * it never queues it), idle reaping and retirement after a rebuild, and provisioned concurrency
 * (provisioned.ts): environments started ahead of requests, used first, never reaped.
 */
import { randomUUID } from 'node:crypto';
import { hasCallbackHandlers, type ResolvedConfig, type ResolvedFunction } from '../config/index.ts';
import { type FunctionBundle, removeBundle } from './bundler.ts';
import { type EnvironmentHooks, type EnvironmentSpec, ExecutionEnvironment, type InitOutcome } from './environment.ts';
import { environmentSpec } from './environment-spec.ts';
import type { InvocationFault, RuntimeFaults } from './faults.ts';
import { type PrestartedRuntimes, prestartedRuntimesOf } from './prestarted.ts';
import { ProvisionedEnvironments } from './provisioned.ts';
import { InvocationReporter } from './reporter.ts';
import { Sandbox } from './sandbox.ts';
import { type SandboxReserve, type SandboxSpawner, sandboxKind } from './sandbox-reserve.ts';
import type { EnvironmentSnapshot, InvokeOptions, InvokeOutcome, InvokeResult, RuntimeObserver } from './types.ts';

/** State shared by every pool of one runtime. */
export interface PoolContext {
  config: ResolvedConfig;
  observer: RuntimeObserver;
  region: string;
  extraEnv: Record<string, string>;
  bootstrapFile: string;
  /** Invocations in flight across all functions, against `config.local.accountConcurrency`. */
  account: { inFlight: number; limit: number };
  /** Called after every invocation ends (stop() waits for in-flight ones). */
  onSettled(): void;
  /** Set only while chaos faults exist: with none, an invoke pays this one null check. */
  faults: RuntimeFaults | undefined;
  /** Where functions' pre-started runtimes come from (prestarted.ts), or undefined when they keep none. */
  reserve: SandboxReserve | undefined;
  onAnswer: (() => void) | undefined;
}

type ThrottleReason = 'reserved-concurrency' | 'account-concurrency';

const THROTTLED: Record<ThrottleReason, InvokeResult> = {
  'reserved-concurrency': Object.freeze({
    outcome: Object.freeze({ status: 'throttled', reason: 'reserved-concurrency' }),
  }),
  'account-concurrency': Object.freeze({
    outcome: Object.freeze({ status: 'throttled', reason: 'account-concurrency' }),
  }),
};

export class FunctionPool {
  bundle: FunctionBundle | undefined;
  /** Why there is no bundle to run (not started, or the last build failed before any succeeded). */
  problem = 'the runtime has not been started (call start() first)';
  inFlight = 0;
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly live = new Set<ExecutionEnvironment>();
  private busy = 0;
  private stopped = false;
  private readonly spec: EnvironmentSpec;
  private readonly idleMs: number;
  private readonly reporter: InvocationReporter;
  private readonly hooks: EnvironmentHooks;
  /** Undefined without provisioned concurrency: then an invocation pays one undefined check for it. */
  private readonly provisioned: ProvisionedEnvironments | undefined;
  /** Undefined when the function keeps no pre-started runtimes (prestarted.ts). */
  readonly prestarted: PrestartedRuntimes | undefined;
  private readonly spawnSandbox: SandboxSpawner = (lost) =>
    new Sandbox(this.spec, 'on-demand', this.bundle?.preload ?? [], { ahead: true, onLost: lost });

  constructor(
    readonly fn: ResolvedFunction,
    private readonly ctx: PoolContext,
  ) {
    const { config } = ctx;
    this.idleMs = config.local.idleEnvironmentSeconds * 1000;
    this.reporter = new InvocationReporter(fn, ctx.observer);
    this.spec = environmentSpec(fn, ctx, this.reporter.logGroupName);
    this.hooks = {
      onLine: this.reporter.logging
        ? (env, message, kind) =>
            this.reporter.log(env, message, kind, env.state === 'busy' ? env.requestId : undefined)
        : undefined,
      onDeath: (env) => this.remove(env),
      onAnswer: ctx.onAnswer,
      onFrozen: ctx.observer.onFrozen && ((env, pending) => ctx.observer.onFrozen?.(fn.name, env.requestId, pending)),
      // Only a runtime without callback-style handlers (nodejs24.x) makes the callback worth a warning.
      onCallbackUsed:
        ctx.observer.onCallbackUsed && !hasCallbackHandlers(fn.runtime)
          ? () => ctx.observer.onCallbackUsed?.(fn.name)
          : undefined,
    };
    const prestarted = ctx.reserve ? prestartedRuntimesOf(fn, config) : 0;
    if (prestarted > 0) this.prestarted = ctx.reserve?.acquire(sandboxKind(this.spec), prestarted, this.spawnSandbox);
    if (fn.provisionedConcurrency > 0) {
      this.provisioned = new ProvisionedEnvironments(fn.provisionedConcurrency, {
        start: (bundle) => {
          const env = new ExecutionEnvironment(this.spec, bundle, this.hooks, 'provisioned-concurrency');
          this.live.add(env);
          this.changed();
          return env;
        },
        ready: () => this.changed(),
        discard: (env) => this.remove(env),
        report: (ready, requested, problem) => ctx.observer.onProvisioned?.(fn.name, ready, requested, problem),
      });
    }
  }

  /**
   * Starts the function's provisioned environments for its current bundle (at start, after a
   * rebuild); resolves when each is ready or has failed its init.
   */
  provision(): Promise<void> {
    if (!this.provisioned || !this.bundle || this.stopped) return Promise.resolve();
    return this.provisioned.fill(this.bundle);
  }

  /** Starts the function's pre-started runtimes (at start); resolves when each has booted. */
  prestart(): Promise<void> {
    if (!this.prestarted || this.stopped) return Promise.resolve();
    return this.prestarted.fill();
  }

  invoke(event: string, options: InvokeOptions | undefined): Promise<InvokeResult> {
    return new Promise((resolve) => this.invokeThen(event, options, resolve));
  }

  /**
   * Like invoke(), with the result handed to `done` (once; synchronously when it is refused at once).
   * A warm invocation is callbacks end to end: no Promise, no microtask hop between the worker's
   * answer and the gateway's response.
   */
  invokeThen(event: string, options: InvokeOptions | undefined, done: (result: InvokeResult) => void): void {
    if (this.stopped) {
      done(stoppedResult());
      return;
    }
    const faults = this.ctx.faults;
    if (faults !== undefined) {
      this.invokeUnderFaults(faults, event, options, done);
      return;
    }
    const reserved = this.fn.reservedConcurrency;
    if (reserved !== undefined && this.inFlight >= reserved) {
      done(this.throttle('reserved-concurrency'));
      return;
    }
    const account = this.ctx.account;
    if (account.inFlight >= account.limit) {
      done(this.throttle('account-concurrency'));
      return;
    }
    this.inFlight++;
    account.inFlight++;
    this.run(event, options?.requestId ?? randomUUID(), options?.traceId, undefined, done);
  }

  /** The same admission, with a lowered concurrency limit and this invocation's fault if it is hit. */
  private invokeUnderFaults(
    faults: RuntimeFaults,
    event: string,
    options: InvokeOptions | undefined,
    done: (result: InvokeResult) => void,
  ): void {
    const lowered = faults.concurrencyLimit(this.fn.name);
    const own = this.fn.reservedConcurrency;
    const reserved = lowered === undefined ? own : own === undefined ? lowered : Math.min(own, lowered);
    if (reserved !== undefined && this.inFlight >= reserved) {
      done(this.throttle('reserved-concurrency'));
      return;
    }
    const account = this.ctx.account;
    if (account.inFlight >= account.limit) {
      done(this.throttle('account-concurrency'));
      return;
    }
    this.inFlight++;
    account.inFlight++;
    const fault = faults.invocation(this.fn.name);
    this.run(event, options?.requestId ?? randomUUID(), options?.traceId, fault, done);
  }

  private throttle(reason: ThrottleReason): InvokeResult {
    this.ctx.observer.onThrottle?.(this.fn.name, reason);
    return THROTTLED[reason];
  }

  /** An admitted invocation: on a warm environment at once, else after a cold start. */
  private run(
    event: string,
    requestId: string,
    traceId: string | undefined,
    fault: InvocationFault | undefined,
    done: (result: InvokeResult) => void,
  ): void {
    const env = this.provisioned?.take() ?? this.idle.pop();
    if (env === undefined) {
      this.coldStart(event, requestId, traceId, fault).then(done);
      return;
    }
    const startTime = Date.now();
    try {
      this.busy++;
      this.changed();
      this.begin(env, requestId, fault);
    } catch (error) {
      // Nothing was sent (a broken observer): the environment goes back, the invocation fails.
      this.settled(env);
      throw error;
    }
    env.invoke(requestId, event, traceId, fault, (outcome) => {
      let result: InvokeResult;
      try {
        result = {
          outcome,
          report: this.reporter.finish(env, requestId, startTime, env.lastDurationMs, undefined, outcome),
        };
      } finally {
        this.settled(env);
      }
      done(result);
    });
  }

  /** Every invocation's end, whatever its outcome: the counts and the environment go back. */
  private settled(env: ExecutionEnvironment | undefined): void {
    this.inFlight--;
    this.ctx.account.inFlight--;
    if (env) this.release(env);
    this.ctx.onSettled();
  }

  private async coldStart(
    event: string,
    requestId: string,
    traceId: string | undefined,
    fault: InvocationFault | undefined,
  ): Promise<InvokeResult> {
    let env: ExecutionEnvironment | undefined;
    try {
      const bundle = this.bundle;
      if (!bundle) {
        return {
          outcome: { status: 'init-error', errorType: 'Runtime.ImportModuleError', errorMessage: this.problem },
        };
      }
      const prestarted = this.prestarted;
      try {
        env = new ExecutionEnvironment(this.spec, bundle, this.hooks, 'on-demand', prestarted?.take());
      } catch (error) {
        prestarted?.coldStartEnded();
        const errorMessage = `could not start an execution environment: ${(error as Error).message}`;
        return { outcome: { status: 'init-error', errorType: 'Runtime.Unknown', errorMessage } };
      }
      env.initRequestId = requestId;
      this.live.add(env);
      this.busy++;
      this.changed();
      const failure = await env.ready;
      if (failure) return this.initFailed(env, requestId, failure);
      const started = env;
      const startTime = Date.now();
      this.begin(started, requestId, fault);
      const outcome = await new Promise<InvokeOutcome>((resolve) =>
        started.invoke(requestId, event, traceId, fault, resolve),
      );
      return {
        outcome,
        report: this.reporter.finish(
          started,
          requestId,
          startTime,
          started.lastDurationMs,
          started.initDurationMs,
          outcome,
        ),
      };
    } finally {
      // Init and first invocation: refills wait for both (prestarted.ts).
      if (env) this.prestarted?.coldStartEnded();
      this.settled(env);
    }
  }

  /** START, then the lines a chaos fault's extension writes for this invocation (FIS). */
  private begin(env: ExecutionEnvironment, requestId: string, fault: InvocationFault | undefined): void {
    this.reporter.start(env, requestId);
    if (fault?.logLines !== undefined && this.reporter.logging) {
      for (const line of fault.logLines) this.reporter.log(env, line, 'app', requestId);
    }
  }

  /** Init failed (module threw at top level, handler missing, init timeout): this invoke fails, the next one starts afresh. */
  private initFailed(env: ExecutionEnvironment, requestId: string, failure: InitOutcome): InvokeResult {
    const startTime = Date.now();
    this.reporter.start(env, requestId);
    return {
      outcome: failure,
      report: this.reporter.finish(env, requestId, startTime, 0, env.initDurationMs, failure),
    };
  }

  /** After an invocation: back to the idle stack, or gone (dead, superseded by a rebuild, stopping). */
  private release(env: ExecutionEnvironment): void {
    this.busy--;
    const current = env.state === 'idle' && env.bundle === this.bundle && !this.stopped;
    if (env.initializationType === 'provisioned-concurrency') {
      // Kept warm, never reaped: Lambda keeps provisioned environments allocated while configured.
      if (this.provisioned!.release(env, current)) this.changed();
      else this.remove(env);
      return;
    }
    if (current) {
      this.idle.push(env);
      if (env.idleTimer) env.idleTimer.refresh();
      else env.idleTimer = setTimeout(() => this.reap(env), this.idleMs).unref();
      this.changed();
    } else this.remove(env);
  }

  private reap(env: ExecutionEnvironment): void {
    if (env.state === 'idle' && this.live.has(env)) this.remove(env);
  }

  /** Discards an environment (if still running) and forgets it; deletes a superseded bundle nobody runs any more. */
  private remove(env: ExecutionEnvironment): void {
    env.discard();
    const i = this.idle.indexOf(env);
    if (i !== -1) this.idle.splice(i, 1);
    if (!this.live.delete(env)) return;
    this.changed();
    // A provisioned environment that died (timeout, crash) is replaced, as Lambda keeps the capacity.
    if (env.initializationType === 'provisioned-concurrency' && !this.stopped && this.bundle) {
      this.provisioned?.lost(env, this.bundle);
    }
    const old = env.bundle;
    if (old !== this.bundle && old.file !== this.bundle?.file && !this.runs(old)) void removeBundle(old);
  }

  private runs(bundle: FunctionBundle): boolean {
    for (const env of this.live) if (env.bundle === bundle) return true;
    return false;
  }

  private changed(): void {
    this.ctx.observer.onEnvironmentChange?.(this.fn.name, this.live.size, this.busy, this.provisioned?.busy);
  }

  /** New invocations use `bundle`; idle environments of the old one retire now, busy ones after their invocation. */
  setBundle(bundle: FunctionBundle): void {
    const old = this.bundle;
    this.bundle = bundle;
    for (const env of [...this.idle]) this.remove(env);
    for (const env of this.provisioned?.retire() ?? []) this.remove(env);
    if (old && old.file !== bundle.file && !this.runs(old)) void removeBundle(old);
  }

  snapshot(into: EnvironmentSnapshot[]): void {
    for (const env of this.live) {
      if (env.state === 'dead') continue;
      into.push({
        functionName: this.fn.name,
        environmentId: env.id,
        state: env.state,
        initializationType: env.initializationType,
        createdAt: env.createdAt,
        invocations: env.invocations,
        lastUsedAt: env.lastUsedAt,
      });
    }
  }

  /** Refuse new invocations (in-flight ones finish and retire). */
  close(): void {
    this.stopped = true;
    this.provisioned?.close();
    void this.ctx.reserve?.release(this.prestarted, this.spawnSandbox);
  }

  /** Terminates every environment and waits for the workers to exit. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.provisioned?.close();
    // The reserve ends the sandboxes nobody took once no other runtime holds them (sandbox-reserve.ts).
    const sandboxes = this.ctx.reserve?.release(this.prestarted, this.spawnSandbox);
    const envs = [...this.live];
    for (const env of envs) this.remove(env);
    await Promise.all([sandboxes, ...envs.map((env) => env.exited)]);
  }
}

function stoppedResult(): InvokeResult {
  return {
    outcome: {
      status: 'init-error',
      errorType: 'Runtime.Stopped',
      errorMessage: 'the runtime is stopping; no new invocations',
    },
  };
}
