/**
 * Lambda's provisioned concurrency for one function: `count` execution environments initialised ahead
 * of requests (AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency), taken before any on-demand
 * one, kept warm and never reaped. A rebuild starts a new generation for the new code (the old one
 * retires as on-demand environments do); one that dies (timeout, crash) is replaced. An init that
 * fails is reported and not retried, as Lambda marks the configuration FAILED: invocations then
 * spill over to on-demand environments, which fail the same way, visibly.
 */
import { availableParallelism } from 'node:os';
import type { FunctionBundle } from './bundler.ts';
import type { ExecutionEnvironment } from './environment.ts';

/** Provisioned environments initialising at once: the machine's cores (at least 2). */
const PARALLEL_INITS = Math.max(2, availableParallelism());

export interface ProvisionedHooks {
  /** Starts one provisioned environment of `bundle` (the pool counts it alive). May throw. */
  start(bundle: FunctionBundle): ExecutionEnvironment;
  /** One became ready and idle. */
  ready(): void;
  /** The pool discards one that failed its init or belongs to a retired generation. */
  discard(env: ExecutionEnvironment): void;
  /** A generation (or a replacement) finished initialising: `ready` of `requested`. */
  report(ready: number, requested: number, problem?: string): void;
}

export class ProvisionedEnvironments {
  /** Provisioned environments running an invocation: ProvisionedConcurrentExecutions. */
  busy = 0;
  /** Ready and idle, last used first. */
  private readonly idle: ExecutionEnvironment[] = [];
  /** The current generation: initialising, idle or busy. */
  private readonly members = new Set<ExecutionEnvironment>();
  private failed = false;
  /** Bumped by retire(): a fill still starting environments for the old code stops. */
  private generation = 0;
  private closed = false;

  constructor(
    readonly count: number,
    private readonly hooks: ProvisionedHooks,
  ) {}

  /** An idle provisioned environment for an invocation, if one is free. */
  take(): ExecutionEnvironment | undefined {
    const env = this.idle.pop();
    if (env) this.busy++;
    return env;
  }

  /** After its invocation: back to the idle stack (true), or not a member any more (false: retire it). */
  release(env: ExecutionEnvironment, reusable: boolean): boolean {
    this.busy--;
    if (!reusable || !this.members.has(env)) return false;
    this.idle.push(env);
    return true;
  }

  /** Starts environments of `bundle` until `count` exist; resolves once each is ready or failed. */
  async fill(bundle: FunctionBundle): Promise<void> {
    this.failed = false;
    const requested = this.count - this.members.size;
    const starting: Promise<string | undefined>[] = [];
    let problem: string | undefined;
    // A few at a time: fifty inits at once on a laptop's cores would each take fifty times longer.
    const slots = new Set<Promise<unknown>>();
    const generation = this.generation;
    const current = () => generation === this.generation && !this.failed && !this.closed;
    while (this.members.size < this.count && current()) {
      if (slots.size >= PARALLEL_INITS) await Promise.race(slots);
      if (this.members.size >= this.count || !current()) break;
      let env: ExecutionEnvironment;
      try {
        env = this.hooks.start(bundle);
      } catch (error) {
        problem = `could not start an execution environment: ${(error as Error).message}`;
        break;
      }
      this.members.add(env);
      const done = this.initialised(env);
      starting.push(done);
      const slot = done.finally(() => slots.delete(slot));
      slots.add(slot);
    }
    if (requested <= 0) return;
    const failures = (await Promise.all(starting)).filter((p) => p !== undefined);
    this.hooks.report(starting.length - failures.length, requested, problem ?? failures[0]);
  }

  private async initialised(env: ExecutionEnvironment): Promise<string | undefined> {
    const failure = await env.ready;
    if (failure) {
      this.members.delete(env);
      this.failed = true;
      this.hooks.discard(env);
      return `${failure.errorType}: ${failure.errorMessage}`;
    }
    if (!this.members.has(env)) this.hooks.discard(env);
    else if (env.state === 'idle') {
      this.idle.push(env);
      this.hooks.ready();
    }
    return undefined;
  }

  /** A rebuild: this generation stops being provisioned; returns its idle environments to discard now. */
  retire(): ExecutionEnvironment[] {
    this.generation++;
    this.members.clear();
    return this.idle.splice(0);
  }

  /** The function is stopping: start nothing more. */
  close(): void {
    this.closed = true;
  }

  /** A member died: Lambda keeps the capacity, so a replacement starts (unless the init itself fails). */
  lost(env: ExecutionEnvironment, bundle: FunctionBundle): void {
    const i = this.idle.indexOf(env);
    if (i !== -1) this.idle.splice(i, 1);
    if (this.members.delete(env) && !this.failed) void this.fill(bundle);
  }
}
