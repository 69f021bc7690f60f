/**
 * A sandbox: a worker thread running gantry's Lambda runtime (Node.js's worker bootstrap, then
 * worker/bootstrap.ts: console, AWS endpoint routing, the built-in modules the function's bundle
 * imports), with no function code in it. It waits for the one INIT message that makes it an execution
 * environment (environment.ts), runs that environment's function init and invocations, and ends with
 * it: a sandbox never serves a second environment, so nothing of one function's state can reach
 * another invocation's environment. One started ahead of need gets its own V8 heap settings
 * (ahead-heap.ts) and warms Node's HTTP client up first (worker/warm-up.ts) when the function's
 * bundle imports it.
 */
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { type AheadKind, aheadHeapWhileCreating, youngGenerationWindow } from './ahead-heap.ts';
import type { EnvironmentSpec, InitializationType } from './environment.ts';
import { logStreamName } from './log-format.ts';
import { createLogRing, type Placement, type WorkerData, type WorkerMessage } from './protocol.ts';

export interface SandboxOptions {
  /**
   * Pre-started, ahead of the invocation that will use it: it may spend its boot warming up
   * (worker/warm-up.ts), as a provisioned environment's does; an on-demand cold start's sandbox does
   * not, as its invocation waits.
   */
  ahead?: boolean;
  /** Called if it ends before an environment takes it. */
  onLost?: () => void;
}

export class Sandbox {
  readonly id = randomBytes(16).toString('hex');
  readonly createdAt = Date.now();
  readonly logStreamName = logStreamName(new Date(this.createdAt), this.id);
  /** Shared with the worker: how the host thaws it for an invocation (worker/freeze.ts). */
  readonly gate = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  /** What the worker writes to stdout and stderr, read by its environment (log-lines.ts). */
  readonly logs = createLogRing();
  readonly worker: Worker;
  /** Resolves once the runtime is up and waits for its function (or the worker ended first). */
  readonly booted: Promise<void>;
  /** Whether its runtime warmed Node's HTTP client up (known once booted): started ahead, for a bundle importing it. */
  warmedUp = false;
  private readonly onExit: () => void;
  private readonly onError = () => {};

  constructor(
    /** What it was started with: another runtime's spec when it comes from a shared reserve (sandbox-reserve.ts). */
    private readonly spec: EnvironmentSpec,
    initializationType: InitializationType,
    preload: readonly string[],
    { ahead = false, onLost }: SandboxOptions = {},
  ) {
    // Which heap a sandbox started ahead is created with (ahead-heap.ts); undefined for an on-demand one.
    const aheadKind: AheadKind | undefined =
      initializationType === 'provisioned-concurrency' ? 'provisioned' : ahead ? 'prestarted' : undefined;
    const workerData: WorkerData = {
      ...spec.workerData,
      logStreamName: this.logStreamName,
      gate: this.gate.buffer as SharedArrayBuffer,
      preload: [...preload],
      logs: this.logs,
      startedAhead: aheadKind !== undefined,
      youngGenerationWindow,
    };
    const created = aheadKind && aheadHeapWhileCreating(aheadKind);
    try {
      this.worker = new Worker(spec.bootstrapFile, {
        workerData,
        env: spec.env(this.logStreamName, initializationType),
        // Not the host's flags: under `node --import tsx` every worker would load tsx.
        execArgv: [],
        argv: [],
        // The runtime's own output goes through the log ring; these take what bypasses it.
        stdout: true,
        stderr: true,
        // Lambda's memory setting caps the whole sandbox; here it caps the worker's old generation,
        // the part that grows with user data (Buffers are not counted: toolchain.md §7).
        resourceLimits: { maxOldGenerationSizeMb: spec.memoryMb },
        name: `gantry:${spec.functionName}`,
      });
    } catch (error) {
      created?.();
      throw error;
    }
    if (created) this.worker.once('online', created).once('exit', created);
    let booted!: () => void;
    this.booted = new Promise((resolve) => {
      booted = resolve;
    });
    // Its first message is BOOTED.
    this.worker.once('message', (message: WorkerMessage) => {
      this.warmedUp = message[1] === true;
      booted();
    });
    // Until an environment takes it: without an 'error' listener a dying worker would take the host down.
    this.worker.on('error', this.onError);
    this.onExit = () => {
      booted();
      onLost?.();
    };
    this.worker.once('exit', this.onExit);
  }

  /**
   * What the init of an environment of `spec` must bring along: nothing when this sandbox was started
   * for that very spec, else that environment's variables and ARN (another region's, or a reloaded
   * config's, start one alike).
   */
  placementFor(spec: EnvironmentSpec, initializationType: InitializationType): Placement | undefined {
    if (spec === this.spec) return undefined;
    return [spec.env(this.logStreamName, initializationType), spec.workerData.invokedFunctionArn];
  }

  /** The environment that takes it listens from now on. */
  handOver(): Worker {
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
    return this.worker;
  }

  /** Ends a sandbox nobody took. */
  discard(): Promise<void> {
    this.worker.off('exit', this.onExit);
    return this.worker.terminate().then(
      () => {},
      () => {},
    );
  }
}
