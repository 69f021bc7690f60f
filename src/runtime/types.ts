/**
 * The runtime's boundary: what the gateway (through Invoker) and the CLI (through RuntimeObserver)
 * see of Lambda emulation. Nothing here knows HTTP or worker threads.
 */

export interface InvokeOptions {
  /** The Lambda request id (`context.awsRequestId`); generated when absent. */
  requestId?: string;
  /** Propagated as `_X_AMZN_TRACE_ID` when given. */
  traceId?: string;
}

/** Timing and memory of one invocation, as Lambda's REPORT line gives them. */
export interface InvocationReport {
  functionName: string;
  requestId: string;
  /** Epoch ms when the invocation started. */
  startTime: number;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Present on a cold start only. */
  initDurationMs?: number;
  coldStart: boolean;
  /**
   * How its environment was started: `provisioned-concurrency` ahead of requests, or `on-demand`
   * (a function's spillover when it has provisioned concurrency).
   */
  initializationType: 'on-demand' | 'provisioned-concurrency';
  /** Execution environment id (the 32-hex part of the log stream name). */
  environmentId: string;
  /** How the invocation ended. */
  outcome: InvokeOutcome['status'];
}

/**
 * How an invocation ended. `payload` is the JSON text Lambda would return (handlers' results are
 * JSON-serialized, as Lambda does), so the 6 MB response limit is measured on real bytes.
 */
export type InvokeOutcome =
  | { status: 'success'; payload: string }
  /** The handler threw, rejected or called back with an error ("Unhandled" function error). */
  | { status: 'function-error'; errorType: string; errorMessage: string; stackTrace: string[] }
  /** Over timeoutSeconds: Lambda's "Task timed out after N seconds"; the environment is discarded. */
  | { status: 'timeout'; timeoutSeconds: number }
  /** Refused before running: reserved or account concurrency exhausted (TooManyRequestsException). */
  | { status: 'throttled'; reason: 'reserved-concurrency' | 'account-concurrency' }
  /** The environment died: process.exit, out of memory, uncaught error outside the handler. */
  | { status: 'runtime-crash'; errorType: string; errorMessage: string }
  /** The handler's response exceeded Lambda's 6 MB synchronous payload limit. */
  | { status: 'response-too-large'; sizeBytes: number }
  /** The function could not be initialised (bundle failed, module or export missing, init threw). */
  | { status: 'init-error'; errorType: string; errorMessage: string };

export interface InvokeResult {
  outcome: InvokeOutcome;
  /** Absent when the invocation was refused before it ran (throttled). */
  report?: InvocationReport;
}

/** What the gateway needs of Lambda. */
export interface Invoker {
  /** `event` is the JSON text of the event object. Never rejects: failures are outcomes. */
  invoke(functionName: string, event: string, options?: InvokeOptions): Promise<InvokeResult>;
  /**
   * The same, with the result handed to `done` (once; possibly before it returns). Optional: the
   * gateway uses it where it exists, to skip a Promise and its microtask hops per request.
   */
  invokeThen?(
    functionName: string,
    event: string,
    options: InvokeOptions | undefined,
    done: (result: InvokeResult) => void,
  ): void;
}

/** One log line as CloudWatch Logs would store it in `/aws/lambda/{functionName}`. */
export interface FunctionLogEvent {
  functionName: string;
  logGroupName: string;
  logStreamName: string;
  /** Epoch ms. */
  timestamp: number;
  /** The line as CloudWatch shows it (START/END/REPORT lines, or `{iso}\t{requestId}\tINFO\t{text}`). */
  readonly message: string;
  requestId?: string;
  kind: 'start' | 'end' | 'report' | 'app' | 'timeout' | 'error';
  /** The UTF-8 size of `message`, when known without building it (START/END/REPORT lines). */
  readonly messageBytes?: number;
}

export interface EnvironmentSnapshot {
  functionName: string;
  environmentId: string;
  state: 'initializing' | 'idle' | 'busy';
  initializationType: 'on-demand' | 'provisioned-concurrency';
  createdAt: number;
  invocations: number;
  lastUsedAt: number;
}

/** Hooks the CLI wires to telemetry and the terminal. Called synchronously; keep them cheap. */
export interface RuntimeObserver {
  onLog?(event: FunctionLogEvent): void;
  onInvocation?(report: InvocationReport): void;
  onThrottle?(functionName: string, reason: 'reserved-concurrency' | 'account-concurrency'): void;
  /**
   * Environments alive and busy for a function; for a function with provisioned concurrency also how
   * many of the busy ones are provisioned (ProvisionedConcurrentExecutions).
   */
  onEnvironmentChange?(functionName: string, alive: number, busy: number, provisionedBusy?: number): void;
  /**
   * A function's provisioned environments finished initialising (at start, after a reload): `ready`
   * of `requested`; `problem` is why the others failed (their init threw or timed out), as Lambda
   * reports a provisioned concurrency configuration FAILED. Invocations then spill over to on-demand.
   */
  onProvisioned?(functionName: string, ready: number, requested: number, problem?: string): void;
  /**
   * Hot reload (`watch: true`) rebuilt a function after one of its source files changed. With `error`
   * the rebuild failed and the last good bundle keeps serving.
   */
  onReload?(functionName: string, error?: Error): void;
  /**
   * An environment froze with work still pending after its answer to `requestId` (undefined: after
   * its init): timers, sockets, file operations, one entry each (`Timeout`, `TCPSocketWrap`…). In
   * AWS, Lambda freezes it there too, and that work runs late, in a later invocation, or never.
   */
  onFrozen?(functionName: string, requestId: string | undefined, pending: string[]): void;
  /**
   * The function's handler answered through Lambda's callback (or context.done/succeed/fail): once
   * per environment. Lambda's Node.js runtimes from nodejs24.x on no longer support callback-style handlers.
   */
  onCallbackUsed?(functionName: string): void;
}
