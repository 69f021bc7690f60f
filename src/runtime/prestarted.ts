/**
 * Pre-started runtimes of one function: sandboxes (sandbox.ts) whose Node.js runtime is already up,
 * waiting for an on-demand cold start to make one of them its execution environment.
 *
 * Lambda's model holds: every cold start still begins when its invocation arrives, runs the function's
 * init itself (load the bundle, run its module), on a sandbox no other environment has used, and never
 * waits for another's init; Init Duration counts from the invocation's arrival to the end of that
 * init. What moved is the runtime's own start, which is no function's work: Lambda keeps capacity
 * ready to place environments on, and a worker thread's boot (Node's worker bootstrap, gantry's
 * runtime, Node's built-in modules) cost ~45 ms of CPU per environment here, the largest share of a
 * cold start of the example's orders function, and the part fifty simultaneous cold starts on two
 * cores queue behind.
 *
 * Refilled one at a time, and only while no cold start of the function is under way (its init and its
 * first invocation), so a refill never competes with a storm of cold starts for the CPU: counting
 * only the inits let refills start while the storm's last first invocations ran (50 cold starts of
 * the example's orders function: 1,860-1,960 against 1,950-2,120 ms of environment-thread CPU up to
 * the last answer, 3 alternating pairs).
 */
import type { ResolvedConfig, ResolvedFunction } from '../config/index.ts';
import type { Sandbox } from './sandbox.ts';

/**
 * At most this many by default: each sandbox holds ~10-17 MB (RSS, measured on the example) and ~45 ms
 * of CPU to start, which `gantry dev`'s start waits for.
 */
const DEFAULT_MOST = 50;

/**
 * And at most this many by default across a `gantry dev`'s functions, shared out in proportion: five
 * functions with reserved concurrency kept 250 sandboxes (2.7 GB of RSS, ready in 13-16 s where 100
 * take 8.5-9: docs/fidelity.md), more than two cores could start environments on at once anyway.
 */
const DEFAULT_MOST_IN_ALL = 100;

/** A function's own count: `local.prestartedRuntimes`, else its reserved concurrency (up to 50). */
function ownCount(fn: ResolvedFunction, local: ResolvedConfig['local']): number {
  const reserved = fn.reservedConcurrency;
  const asked = local.prestartedRuntimes ?? Math.min(reserved ?? 0, DEFAULT_MOST);
  const most = reserved === undefined ? asked : Math.min(asked, reserved);
  return Math.max(0, most - fn.provisionedConcurrency);
}

/**
 * How many a function keeps: `local.prestartedRuntimes`, else its reserved concurrency (up to 50), the
 * functions' defaults together at most DEFAULT_MOST_IN_ALL (each gets its share, rounded down); never
 * more than its reserved concurrency, less what is provisioned (only the rest can cold-start).
 */
export function prestartedRuntimesOf(
  fn: ResolvedFunction,
  config: Pick<ResolvedConfig, 'functions' | 'local'>,
): number {
  const own = ownCount(fn, config.local);
  if (config.local.prestartedRuntimes !== undefined) return own;
  let total = 0;
  for (const other of Object.values(config.functions)) total += ownCount(other, config.local);
  return total <= DEFAULT_MOST_IN_ALL ? own : Math.floor((own * DEFAULT_MOST_IN_ALL) / total);
}

export class PrestartedRuntimes {
  private readonly waiting: Sandbox[] = [];
  /** On-demand cold starts (init and first invocation) running now: refills wait until there are none. */
  private coldStarting = 0;
  private refilling = false;
  private closing: Promise<void> | undefined;

  constructor(
    readonly size: number,
    /** Starts one sandbox; `lost` is called if it ends before an environment takes it. */
    private readonly spawn: (lost: () => void) => Sandbox,
  ) {}

  /**
   * Starts sandboxes up to `size` at once (gantry dev's start); resolves when each waiting one has
   * booted, those another runtime sharing them started too (sandbox-reserve.ts).
   */
  async fill(): Promise<void> {
    while (!this.closing && this.waiting.length < this.size) this.startOne();
    await Promise.all(this.waiting.map((sandbox) => sandbox.booted));
  }

  /** An on-demand cold start begins: the oldest waiting sandbox (the likeliest booted), if any. */
  take(): Sandbox | undefined {
    this.coldStarting++;
    return this.waiting.shift();
  }

  /** That cold start ended (its first invocation answered, or its init failed); the last one starts the refill. */
  coldStartEnded(): void {
    this.coldStarting--;
    if (this.coldStarting === 0) void this.refill();
  }

  /** Ends the sandboxes nobody took; no more start. Resolves once they have ended, however often asked. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.waiting.splice(0).map((s) => s.discard())).then(() => {});
    return this.closing;
  }

  private async refill(): Promise<void> {
    if (this.refilling) return;
    this.refilling = true;
    try {
      while (!this.closing && this.coldStarting === 0 && this.waiting.length < this.size) {
        await this.startOne().booted;
      }
    } finally {
      this.refilling = false;
    }
  }

  private startOne(): Sandbox {
    const sandbox: Sandbox = this.spawn(() => {
      const i = this.waiting.indexOf(sandbox);
      if (i !== -1) this.waiting.splice(i, 1);
    });
    this.waiting.push(sandbox);
    return sandbox;
  }
}
