/**
 * Messages between the host and an execution environment's worker. Tuples with a numeric tag, not
 * objects: structured clone of a few primitives is the cheapest postMessage there is, and the event
 * travels as the JSON text the gateway already has (toolchain.md §7).
 */

/** Constants of one execution environment, given to the worker as `workerData`. */
export interface WorkerData {
  exportName: string;
  /** Lambda's `_HANDLER` as deployed (`index.handler`): FunctionSpec.handler. */
  handler: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** The freeze gate: an `Int32Array` over it, indexed by `SENT` and `PARKED` (worker/freeze.ts). */
  gate: SharedArrayBuffer;
  /**
   * Node's built-in modules the function's bundle imports, and the LAZY_GLOBALS it names, loaded
   * before its init (sandbox.ts, worker/preload.ts).
   */
  preload: string[];
  /** The log ring: what the environment writes to stdout and stderr, read by the host (LOG_RING_BYTES). */
  logs: SharedArrayBuffer;
  /**
   * Started ahead of the invocation that will use it (pre-started, provisioned): it warms up what the
   * bundle imports of Node's before BOOTED (worker/warm-up.ts).
   */
  startedAhead: boolean;
  /** Non-zero while sandboxes are created with the young generation's flag on (runtime/ahead-heap.ts). */
  youngGenerationWindow: SharedArrayBuffer;
}

/** What an environment's spec gives of it; its sandbox (sandbox.ts) adds the rest. */
export type FunctionWorkerData = Omit<
  WorkerData,
  'logStreamName' | 'gate' | 'preload' | 'logs' | 'startedAhead' | 'youngGenerationWindow'
>;

/**
 * Globals whose first use loads some of Node's own modules, as an import would: Node 20 defines the
 * web streams lazily, and the AWS SDK checks for `ReadableStream` on its first request (its modules
 * cost ~0.8 ms of CPU to load, in every environment's first invocation).
 */
export const LAZY_GLOBALS: readonly string[] = ['ReadableStream', 'WritableStream', 'TransformStream'];

/**
 * Host → worker, once, first: the function's code this sandbox becomes an environment of (sandbox.ts).
 * `script` is the bundle's script form and V8's code cache of it, shared by the function's environments
 * (code-cache.ts).
 */
export type InitMessage = [bundleUrl: string, script: ScriptForm | undefined, placement?: Placement];

/**
 * What a region gives an environment, sent with its init when its sandbox was started by another
 * runtime (a pre-started one shared by the regions of one gantry dev, runtime/sandbox-reserve.ts):
 * the variables replace those the sandbox started with, before the function's code loads.
 */
export type Placement = [environment: Record<string, string>, invokedFunctionArn: string];

/** What an environment compiles the bundle from (worker/load-bundle.ts). */
export interface ScriptForm {
  file: string;
  /** It awaits at its top level: compiled as an async function (script-wrapper.ts). */
  async?: boolean;
  codeCache?: Uint8Array;
  /** Send the host V8's code cache after the first invocation, with the functions it compiled (CODE_CACHE). */
  produceCache?: boolean;
}

/** Gate slot counting the invocations the host has sent; it adds one before posting each. */
export const SENT = 0;
/** Gate slot that is 1 while the worker is blocked in `Atomics.wait`, so the host notifies only then. */
export const PARKED = 1;

/**
 * Host → worker, one invocation, as one string: `{requestId length},{traceId length},{deadline (epoch
 * ms)}\n{requestId}{traceId ('' for none)}{event JSON}`. A string clones for about half what a
 * four-element array does, on each side of the crossing; lengths, not separators, so no field's
 * content can shift another.
 */
export type InvokeMessage = string;

export function invokeMessage(requestId: string, deadlineMs: number, traceId: string, event: string): InvokeMessage {
  return `${requestId.length},${traceId.length},${deadlineMs}\n${requestId}${traceId}${event}`;
}

export interface Invocation {
  requestId: string;
  deadlineMs: number;
  traceId: string;
  event: string;
}

export function parseInvokeMessage(message: InvokeMessage): Invocation {
  const newline = message.indexOf('\n');
  const firstComma = message.indexOf(',');
  const secondComma = message.indexOf(',', firstComma + 1);
  const requestIdEnd = newline + 1 + Number(message.slice(0, firstComma));
  const traceIdEnd = requestIdEnd + Number(message.slice(firstComma + 1, secondComma));
  return {
    requestId: message.slice(newline + 1, requestIdEnd),
    deadlineMs: Number(message.slice(secondComma + 1, newline)),
    traceId: message.slice(requestIdEnd, traceIdEnd),
    event: message.slice(traceIdEnd),
  };
}

export const READY = 0;
export const INIT_ERROR = 1;
export const FUNCTION_ERROR = 3;
export const TOO_LARGE = 4;
export const CRASH = 5;
export const FROZEN = 6;
export const CALLBACK_USED = 7;
export const CODE_CACHE = 8;
export const BOOTED = 9;
export const LOGS = 10;

/**
 * Worker → host. `maxMemoryMb` is the environment's peak so far (see worker/memory.ts). A successful
 * answer, the one every request carries, is a string instead (successMessage), for the same reason
 * as InvokeMessage.
 */
export type WorkerMessage =
  | [tag: typeof READY, maxMemoryMb: number]
  | [tag: typeof INIT_ERROR, errorType: string, errorMessage: string, stackTrace: string[]]
  | [tag: typeof FUNCTION_ERROR, errorType: string, errorMessage: string, stackTrace: string[], maxMemoryMb: number]
  | [tag: typeof TOO_LARGE, sizeBytes: number, maxMemoryMb: number]
  /** The environment is broken (uncaught exception, unhandled rejection); the host discards it. */
  | [tag: typeof CRASH, errorType: string, errorMessage: string, exitCode: number]
  /** It froze with work left to run after its answer: the kinds of it, as Node names them (`Timeout`). */
  | [tag: typeof FROZEN, pending: string[]]
  /** The handler answered through the callback or context.done/succeed/fail (sent once per environment). */
  | [tag: typeof CALLBACK_USED]
  /**
   * V8's code cache of the bundle after the first invocation, in a SharedArrayBuffer (code-cache.ts);
   * `replacesRejected` when V8 refused the one it was given.
   */
  | [tag: typeof CODE_CACHE, cache: Uint8Array, replacesRejected: boolean]
  /**
   * The runtime is up and waits for its InitMessage (always the worker's first message); `warmedUp`
   * when its warm-up request went and was answered (worker/warm-up.ts).
   */
  | [tag: typeof BOOTED, warmedUp: boolean]
  /**
   * Read the log ring up to `end`; `overflow` (bytes the ring could not hold, with what it held
   * before them) comes first. Posted on its own only when no answer is about to carry the position.
   */
  | [tag: typeof LOGS, end: number, overflow?: Uint8Array];

/**
 * Lines on the worker's stdout that start with one of these bytes are records of the runtime's own
 * console (already formatted as CloudWatch shows them) with `\n` escaped as NUL, so a multi-line
 * `console.log` stays one log event. Anything else is a raw write, passed through line by line.
 */
export const APP_RECORD = '\u0001';
export const ERROR_RECORD = '\u0002';
export const RECORD_NEWLINE = '\u0000';

/**
 * The log ring, one per environment, in shared memory: what the worker writes to stdout and stderr
 * (one stream, in the order written), as UTF-8 bytes. The worker appends and advances LOG_HEAD; the
 * host reads up to a position the worker named (an answer or a LOGS message) and advances LOG_TAIL.
 * Both are byte counts since the start, kept modulo 2^32 (the size divides 2^32, so `count &
 * (LOG_RING_BYTES - 1)` is the offset). A log line costs no message of its own: it rides with the
 * next answer; and since the host can read the ring without the worker's help, lines written before
 * a timeout, an exit or an out-of-memory end are never lost, even by a handler stuck in a loop.
 */
export const LOG_RING_BYTES = 64 * 1024;
export const LOG_HEAD = 0;
export const LOG_TAIL = 1;
/** The ring's bytes start after its two counters. */
export const LOG_DATA_OFFSET = 2 * Int32Array.BYTES_PER_ELEMENT;

export function createLogRing(): SharedArrayBuffer {
  return new SharedArrayBuffer(LOG_DATA_OFFSET + LOG_RING_BYTES);
}

/**
 * Worker → host: a successful answer, `{maxMemoryMb},{logEnd}\n{payload JSON}`, where `logEnd` is
 * the log ring's position when it was posted: the invocation's lines are read before the answer is
 * handled, lines written after it are not yet.
 */
export function successMessage(payload: string, maxMemoryMb: number, logEnd: number): string {
  return `${maxMemoryMb},${logEnd}\n${payload}`;
}

export function parseSuccessMessage(message: string): { payload: string; maxMemoryMb: number; logEnd: number } {
  const newline = message.indexOf('\n');
  const comma = message.indexOf(',');
  return {
    payload: message.slice(newline + 1),
    maxMemoryMb: Number(message.slice(0, comma)),
    logEnd: Number(message.slice(comma + 1, newline)),
  };
}

/** Lambda's synchronous invocation payload limit, each way. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
