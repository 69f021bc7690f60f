/**
 * One Lambda execution environment: a worker thread that runs one invocation at a time. It knows
 * nothing of scaling or logging policy (pool.ts); it turns worker messages, exits and timers into
 * outcomes, and turns the worker's output (its log ring, log-lines.ts) into log lines.
 */
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { FunctionBundle } from './bundler.ts';
import { acceptExecutedCache, claimCacheProduction, releaseCacheProduction, scriptFormOf } from './code-cache.ts';
import type { InvocationFault } from './faults.ts';
import { runtimeExitMessage } from './log-format.ts';
import { LineSplitter, LogRingReader } from './log-lines.ts';
import {
  APP_RECORD,
  BOOTED,
  CALLBACK_USED,
  CODE_CACHE,
  CRASH,
  ERROR_RECORD,
  FROZEN,
  FUNCTION_ERROR,
  type FunctionWorkerData,
  INIT_ERROR,
  type InitMessage,
  type InvokeMessage,
  invokeMessage,
  LOGS,
  PARKED,
  parseSuccessMessage,
  READY,
  RECORD_NEWLINE,
  SENT,
  TOO_LARGE,
  type WorkerMessage,
} from './protocol.ts';
import { Sandbox } from './sandbox.ts';
import type { InvokeOutcome } from './types.ts';

/** Lambda gives an on-demand init phase 10 s, whatever the function's timeout. */
export const INIT_TIMEOUT_MS = 10_000;
/**
 * "The 10-second timeout doesn't apply to functions using provisioned concurrency": their init may
 * run for 130 s or the function's timeout, whichever is higher (Lambda execution environment lifecycle).
 */
export function provisionedInitTimeoutMs(timeoutSeconds: number): number {
  return Math.max(130_000, timeoutSeconds * 1000);
}

/** What every environment of one function shares; built once per function. */
export interface EnvironmentSpec {
  functionName: string;
  memoryMb: number;
  timeoutSeconds: number;
  bootstrapFile: string;
  workerData: FunctionWorkerData;
  /** A fresh object for each environment (it becomes the worker's process.env). */
  env(logStreamName: string, initializationType: InitializationType): Record<string, string>;
}

/** `AWS_LAMBDA_INITIALIZATION_TYPE`: started for an invocation, or ahead of requests (provisioned concurrency). */
export type InitializationType = 'on-demand' | 'provisioned-concurrency';

export interface EnvironmentHooks {
  /** Undefined when nobody reads logs: the streams are then drained without being split. */
  onLine?(env: ExecutionEnvironment, message: string, kind: 'app' | 'error'): void;
  /** The environment died on its own while idle (a late uncaught error, process.exit from a timer). */
  onDeath(env: ExecutionEnvironment): void;
  /** It froze with work left to run after its last answer (or its init, then `requestId` is unset). */
  onFrozen?(env: ExecutionEnvironment, pending: string[]): void;
  /** Its handler answered through the callback (once per environment). */
  onCallbackUsed?(env: ExecutionEnvironment): void;
  /** Before each of its messages is handled (RuntimeOptions.onAnswer). */
  onAnswer?(): void;
}

export type InitOutcome = Extract<InvokeOutcome, { status: 'init-error' }>;

export type EnvironmentState = 'initializing' | 'idle' | 'busy' | 'dead';

export class ExecutionEnvironment {
  readonly id: string;
  readonly createdAt = Date.now();
  readonly logStreamName: string;
  /** Resolves with undefined when ready, or with why init failed. */
  readonly ready: Promise<InitOutcome | undefined>;
  /** Resolves when the worker has exited. */
  readonly exited: Promise<void>;
  state: EnvironmentState = 'initializing';
  invocations = 0;
  lastUsedAt = this.createdAt;
  /** Whether its runtime was started ahead of the invocation (prestarted.ts). */
  readonly prestarted: boolean;
  initDurationMs = 0;
  /** Duration of the last invocation, host-measured: event posted → result received. */
  lastDurationMs = 0;
  maxMemoryMb = 0;
  /** The current (or last) invocation's request id. */
  requestId: string | undefined;
  /** The request whose arrival started this environment (on-demand cold start): an init failure names it. */
  initRequestId: string | undefined;
  /** How the worker ended, for Lambda's "Runtime exited with error" line. */
  exitStatus: number | 'killed' | undefined;
  idleTimer: NodeJS.Timeout | undefined;

  private readonly worker: Worker;
  /** Shared with the worker: how the host thaws it for an invocation (worker/freeze.ts). */
  private readonly gate: Int32Array;
  /** Init Duration counts from here: the invocation's arrival (on demand), or the start of the allocation. */
  private readonly startedAt = performance.now();
  private invokeStartedAt = 0;
  private settleInit: ((outcome: InitOutcome | undefined) => void) | undefined;
  /** The current invocation's caller, told once (a callback, not a Promise: no allocation, no microtask hop). */
  private settleInvoke: ((outcome: InvokeOutcome) => void) | undefined;
  private initTimer: NodeJS.Timeout | undefined;
  private invokeTimer: NodeJS.Timeout | undefined;
  /** The current invocation's fault (chaos), if it was hit: its replacement applies when it ends. */
  private fault: InvocationFault | undefined;
  private readonly initTimeoutMs: number;
  private terminated = false;
  private outOfMemory = false;
  private workerError: Error | undefined;
  private readonly logs: LogRingReader;
  /** Asked to send the bundle's code cache after its first invocation (code-cache.ts). */
  private readonly producesCache: boolean;

  constructor(
    private readonly spec: EnvironmentSpec,
    readonly bundle: FunctionBundle,
    private readonly hooks: EnvironmentHooks,
    readonly initializationType: InitializationType = 'on-demand',
    /** A sandbox whose runtime started ahead of this environment (prestarted.ts); else one starts now. */
    sandbox?: Sandbox,
  ) {
    this.ready = new Promise((resolve) => {
      this.settleInit = resolve;
    });
    let exited!: () => void;
    this.exited = new Promise((resolve) => {
      exited = resolve;
    });
    this.prestarted = sandbox !== undefined;
    sandbox ??= new Sandbox(spec, initializationType, bundle.preload);
    this.id = sandbox.id;
    this.logStreamName = sandbox.logStreamName;
    this.gate = sandbox.gate;
    this.worker = sandbox.handOver();
    const onLine = hooks.onLine;
    this.logs = new LogRingReader(sandbox.logs, onLine && new LineSplitter((line) => this.emitLine(onLine, line)));
    this.worker.on('message', (message: WorkerMessage | string) => {
      hooks.onAnswer?.();
      if (typeof message === 'string') this.succeeded(message);
      else this.onMessage(message);
    });
    // Without an 'error' listener a worker's OOM would take the host down.
    this.worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.outOfMemory = true;
        // It died at its limit, as Lambda's REPORT shows for an out-of-memory end.
        this.maxMemoryMb = spec.memoryMb;
      } else this.workerError = error;
    });
    this.worker.on('exit', (code) => {
      // Every line it wrote before it ended, even mid-invocation, before its end is told.
      this.logs.end();
      this.onExit(code);
      exited();
    });
    this.readStream('stdout');
    this.readStream('stderr');
    // The function's init begins now, when its invocation arrived (or its allocation began).
    this.producesCache = claimCacheProduction(bundle);
    this.worker.postMessage([
      bundle.url,
      scriptFormOf(bundle, this.producesCache),
      sandbox.placementFor(spec, initializationType),
    ] satisfies InitMessage);
    this.initTimeoutMs =
      initializationType === 'provisioned-concurrency'
        ? provisionedInitTimeoutMs(spec.timeoutSeconds)
        : INIT_TIMEOUT_MS;
    this.initTimer = setTimeout(() => this.onInitTimeout(), this.initTimeoutMs).unref();
  }

  /**
   * Runs one invocation; `done` is called once with its outcome, from the worker's answer, the timeout,
   * the worker's end, or (a chaos fault that replaces it) before this returns.
   */
  invoke(
    requestId: string,
    event: string,
    traceId: string | undefined,
    fault: InvocationFault | undefined,
    done: (outcome: InvokeOutcome) => void,
  ): void {
    this.state = 'busy';
    this.requestId = requestId;
    this.invocations++;
    this.settleInvoke = done;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    // One timer per environment, re-armed per invocation: it can only fire timeoutMs after the latest start.
    if (this.invokeTimer) this.invokeTimer.refresh();
    else this.invokeTimer = setTimeout(() => this.onInvokeTimeout(), timeoutMs).unref();
    this.invokeStartedAt = performance.now();
    const message = invokeMessage(requestId, Date.now() + timeoutMs, traceId ?? '', event);
    this.fault = fault;
    if (fault === undefined) this.post(message);
    else this.injectFault(message, fault);
  }

  private post(message: InvokeMessage): void {
    // Counted before it is posted, so the worker never parks with an invocation on its way.
    Atomics.add(this.gate, SENT, 1);
    this.worker.postMessage(message);
    if (Atomics.load(this.gate, PARKED) === 1) Atomics.notify(this.gate, SENT);
  }

  /**
   * The delay runs on the invocation's clock (its timeout timer is already armed and the deadline the
   * handler sees already counts it), so a delay past the timeout ends as a real timeout; a replaced
   * result with `preventExecution` never reaches the handler.
   */
  private injectFault(message: InvokeMessage, fault: InvocationFault): void {
    const requestId = this.requestId;
    const proceed = () => {
      // Timed out (and discarded) during the delay: nothing is left to run.
      if (this.settleInvoke === undefined || this.requestId !== requestId || this.state !== 'busy') return;
      if (fault.replacement !== undefined && fault.preventExecution) this.finish(fault.replacement);
      else this.post(message);
    };
    if (fault.delayMs > 0) setTimeout(proceed, fault.delayMs).unref();
    else proceed();
  }

  /** Ends the worker now (retired, timed out, crashed or stopping). */
  discard(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.state = 'dead';
    clearTimeout(this.initTimer);
    clearTimeout(this.invokeTimer);
    clearTimeout(this.idleTimer);
    this.worker.terminate().catch(() => {});
  }

  private onMessage(message: WorkerMessage): void {
    switch (message[0]) {
      case READY:
        this.maxMemoryMb = message[1];
        this.initialized(undefined);
        return;
      case INIT_ERROR:
        this.initialized({ status: 'init-error', errorType: message[1], errorMessage: message[2] });
        this.discard();
        return;
      case FUNCTION_ERROR:
        this.maxMemoryMb = message[4];
        this.finish({
          status: 'function-error',
          errorType: message[1],
          errorMessage: message[2],
          stackTrace: message[3],
        });
        return;
      case TOO_LARGE:
        this.maxMemoryMb = message[2];
        this.finish({ status: 'response-too-large', sizeBytes: message[1] });
        return;
      case CRASH:
        this.crashed(message[1], message[2], message[3]);
        return;
      case FROZEN:
        this.hooks.onFrozen?.(this, message[1]);
        return;
      case CALLBACK_USED:
        this.hooks.onCallbackUsed?.(this);
        return;
      case CODE_CACHE:
        // Not from a discarded environment: its bundle may be retired, its files deleted.
        if (!this.terminated) void acceptExecutedCache(this.bundle, message[1], message[2]);
        return;
      case LOGS:
        if (message[2]) this.logs.receive(message[2]);
        this.logs.readTo(message[1]);
        return;
      case BOOTED:
        return;
    }
  }

  private succeeded(message: string): void {
    const { payload, maxMemoryMb, logEnd } = parseSuccessMessage(message);
    // The invocation's lines come before its answer (and so before END and REPORT).
    this.logs.readTo(logEnd);
    this.maxMemoryMb = maxMemoryMb;
    this.finish({ status: 'success', payload });
  }

  private initialized(failure: InitOutcome | undefined): void {
    clearTimeout(this.initTimer);
    this.initDurationMs = performance.now() - this.startedAt;
    if (!failure) this.state = 'idle';
    const settle = this.settleInit;
    this.settleInit = undefined;
    settle?.(failure);
  }

  private finish(outcome: InvokeOutcome): void {
    const settle = this.settleInvoke;
    if (!settle) return;
    this.settleInvoke = undefined;
    const fault = this.fault;
    if (fault !== undefined) {
      this.fault = undefined;
      // The handler ran to its end: FIS marks the invocation failed (or answers for it) afterwards.
      // A timeout or crash stays what it was.
      if (fault.replacement !== undefined && (outcome.status === 'success' || outcome.status === 'function-error')) {
        outcome = fault.replacement;
      }
    }
    this.lastDurationMs = performance.now() - this.invokeStartedAt;
    this.lastUsedAt = Date.now();
    if (this.state === 'busy') this.state = 'idle';
    settle(outcome);
  }

  /** The worker reported an uncaught exception or unhandled rejection: Lambda's runtime exits on those. */
  private crashed(errorType: string, errorMessage: string, exitCode: number): void {
    this.exitStatus = exitCode;
    const wasIdle = this.state === 'idle';
    this.discard();
    if (this.settleInit) this.initialized({ status: 'init-error', errorType, errorMessage });
    else if (this.settleInvoke) this.finish({ status: 'runtime-crash', errorType, errorMessage });
    else if (wasIdle) this.hooks.onDeath(this);
  }

  private onExit(code: number): void {
    if (this.producesCache) releaseCacheProduction(this.bundle);
    const deliberate = this.terminated;
    const wasIdle = this.state === 'idle';
    this.terminated = true;
    this.state = 'dead';
    clearTimeout(this.initTimer);
    clearTimeout(this.invokeTimer);
    clearTimeout(this.idleTimer);
    if (this.exitStatus === undefined) this.exitStatus = this.outOfMemory ? 'killed' : code;
    // During init no invocation runs yet: Lambda names the request that is waiting for it.
    const requestId = this.requestId ?? this.initRequestId;
    const prefix = requestId ? `RequestId: ${requestId} ` : '';
    let errorType = 'Runtime.ExitError';
    let errorMessage = runtimeExitMessage(requestId, this.exitStatus);
    if (this.outOfMemory) errorType = 'Runtime.OutOfMemory';
    else if (deliberate) errorMessage = `${prefix}Error: the execution environment was stopped`;
    else if (this.workerError) errorMessage = `${prefix}Error: ${this.workerError.message}`;
    if (this.settleInit) this.initialized({ status: 'init-error', errorType, errorMessage });
    else if (this.settleInvoke) this.finish({ status: 'runtime-crash', errorType, errorMessage });
    else if (wasIdle && !deliberate) this.hooks.onDeath(this);
  }

  private onInitTimeout(): void {
    if (!this.settleInit) return;
    this.logs.readAll();
    this.initialized({
      status: 'init-error',
      errorType: 'Sandbox.Timedout',
      errorMessage: `Init phase timed out after ${(this.initTimeoutMs / 1000).toFixed(2)} seconds`,
    });
    this.discard();
  }

  private onInvokeTimeout(): void {
    if (!this.settleInvoke) return;
    // What it wrote before it timed out, though a handler stuck in a loop never got to send it.
    this.logs.readAll();
    // Discarded first: the caller, told synchronously, must find it dead, not idle and reusable.
    this.discard();
    this.finish({ status: 'timeout', timeoutSeconds: this.spec.timeoutSeconds });
  }

  /** Output that reached Node's worker stdio past the runtime's capture (the log ring takes the rest). */
  private readStream(name: 'stdout' | 'stderr'): void {
    const stream = this.worker[name];
    const onLine = this.hooks.onLine;
    if (!onLine) {
      stream.resume();
      return;
    }
    const lines = new LineSplitter((line) => this.emitLine(onLine, line));
    stream.on('data', (chunk: Buffer) => lines.write(chunk));
    stream.on('end', () => lines.end());
  }

  private emitLine(onLine: NonNullable<EnvironmentHooks['onLine']>, line: string): void {
    const marker = line[0];
    if (marker === APP_RECORD || marker === ERROR_RECORD) {
      const message = line.slice(1).replaceAll(RECORD_NEWLINE, '\n');
      onLine(this, message, marker === APP_RECORD ? 'app' : 'error');
    } else onLine(this, line, 'app');
  }
}
