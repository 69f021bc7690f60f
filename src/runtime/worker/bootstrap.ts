/**
 * The entry point of every execution environment (a worker thread). Bundled to .mjs by the host at
 * start, because tsx cannot start a worker from .ts on Node 20. It plays the part of Lambda's Node.js
 * runtime: runtime init (a sandbox, sandbox.ts, until the host names the function's code), function
 * init (load the bundle, find the handler), then one invocation at a time: parse the event,
 * call the handler (promise or callback style), serialize the result, report errors like Lambda does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorReportMessage } from '../log-format.ts';
import {
  BOOTED,
  CALLBACK_USED,
  CODE_CACHE,
  CRASH,
  FUNCTION_ERROR,
  INIT_ERROR,
  type InitMessage,
  type InvokeMessage,
  MAX_RESPONSE_BYTES,
  type Placement,
  parseInvokeMessage,
  READY,
  successMessage,
  TOO_LARGE,
  type WorkerData,
  type WorkerMessage,
} from '../protocol.ts';
import { routeAwsEndpoints } from './aws-endpoints.ts';
import { logRuntimeError, patchConsole, setRequestId } from './console.ts';
import { type Completion, InvocationContext } from './context.ts';
import { type ErrorPayload, toErrorPayload } from './errors.ts';
import { trackUnrefTimers, waitForEmptyEventLoop } from './event-loop.ts';
import { freezeSoon, invocationStarted, useGate } from './freeze.ts';
import { useLambdaHome } from './home-dir.ts';
import { cacheRejected, executedCodeCache, loadBundle } from './load-bundle.ts';
import { announceLogs, captureOutput, flushLogs } from './log-capture.ts';
import { sampleMaxMemoryMb } from './memory.ts';
import { preloadBuiltins } from './preload.ts';
import { warmUp } from './warm-up.ts';

type Handler = (event: unknown, context: InvocationContext, callback: Completion) => unknown;

const data = workerData as WorkerData;
const port = parentPort!;
let crashed = false;
/** Whether `_X_AMZN_TRACE_ID` is set: it belongs to one invocation only. */
let traced = false;
/** Whether the host knows this handler answers through the callback (it warns: nodejs24.x has none). */
let calledBackBefore = false;

useGate(data.gate);
// Before the handler's module loads, so SDK v2 and raw HTTPS clients reach the store too.
routeAwsEndpoints();
// Before the SDK looks for ~/.aws: Lambda's sandbox user has no such files.
useLambdaHome();
trackUnrefTimers();
process.setSourceMapsEnabled(true);
// Lambda sends stdout and stderr to one log stream in the order written: so does the log ring.
captureOutput(data.logs);
patchConsole();

/** A message other than a successful answer: the host first hears how far to read the log ring. */
function post(message: WorkerMessage): void {
  flushLogs();
  port.postMessage(message);
}

/** Whether the host asked for the code cache after the first invocation (code-cache.ts). */
let produceCache = false;

/** The end of an init or an invocation: the environment freezes until the host sends the next one. */
function answer(message: WorkerMessage | string): void {
  // A string is a successful answer (successMessage): it carries the log position itself.
  if (typeof message === 'string') port.postMessage(message);
  else post(message);
  if (produceCache && (typeof message === 'string' || message[0] !== READY)) sendCodeCache();
  else freezeSoon();
}

/** After the answer went out, so the invocation's caller never waits for it. */
function sendCodeCache(): void {
  produceCache = false;
  const cache = executedCodeCache();
  if (cache) port.postMessage([CODE_CACHE, cache, cacheRejected] satisfies WorkerMessage);
  freezeSoon();
}

/** Like Lambda's runtime, an error escaping every handler ends the environment (exit 129, or 128 for a rejection). */
function crash(label: string, error: ErrorPayload, exitCode: number, extra?: Record<string, unknown>): void {
  if (crashed) return;
  crashed = true;
  logRuntimeError(errorReportMessage(label, error.errorType, error.errorMessage, error.stackTrace, extra));
  post([CRASH, error.errorType, error.errorMessage, exitCode]);
}

process.on('uncaughtException', (error) => crash('Uncaught Exception', toErrorPayload(error), 129));
process.on('unhandledRejection', (reason) => {
  const text = String(reason);
  const cause = toErrorPayload(reason);
  crash(
    'Unhandled Promise Rejection',
    {
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: text,
      stackTrace: [`Runtime.UnhandledPromiseRejection: ${text}`],
    },
    128,
    { reason: { errorType: cause.errorType, errorMessage: cause.errorMessage, stack: cause.stackTrace }, promise: {} },
  );
});

function initFailed(error: ErrorPayload): void {
  logRuntimeError(errorReportMessage('Uncaught Exception', error.errorType, error.errorMessage, error.stackTrace));
  post([INIT_ERROR, error.errorType, error.errorMessage, error.stackTrace]);
}

/** A region's variables and ARN replace those this sandbox started with (protocol.ts, Placement). */
function place([environment, invokedFunctionArn]: Placement): void {
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, environment);
  data.invokedFunctionArn = invokedFunctionArn;
}

async function init([bundleUrl, script, placement]: InitMessage): Promise<Handler | undefined> {
  if (placement) place(placement);
  try {
    const mod = await loadBundle(bundleUrl, script, data.youngGenerationWindow);
    const exported =
      data.exportName in mod
        ? mod[data.exportName]
        : (mod.default as Record<string, unknown> | undefined)?.[data.exportName];
    if (typeof exported === 'function') return exported as Handler;
    initFailed({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${data.handler} is undefined or not exported`,
      stackTrace: [],
    });
  } catch (error) {
    const payload = toErrorPayload(error);
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') {
      initFailed({
        ...payload,
        errorType: 'Runtime.ImportModuleError',
        errorMessage: `Error: ${payload.errorMessage}`,
      });
    } else initFailed(payload);
  }
  return undefined;
}

function respond(failed: boolean, value: unknown): void {
  if (crashed) return;
  if (!failed) {
    let payload: string;
    try {
      payload = JSON.stringify(value) ?? 'null';
    } catch (error) {
      respond(true, error);
      return;
    }
    // UTF-8 needs at most 3 bytes per UTF-16 unit: only long strings are worth measuring.
    const size = payload.length * 3 > MAX_RESPONSE_BYTES ? Buffer.byteLength(payload) : 0;
    if (size > MAX_RESPONSE_BYTES) answer([TOO_LARGE, size, sampleMaxMemoryMb()]);
    else answer(successMessage(payload, sampleMaxMemoryMb(), announceLogs()));
    return;
  }
  const error = toErrorPayload(value);
  logRuntimeError(errorReportMessage('Invoke Error', error.errorType, error.errorMessage, error.stackTrace));
  answer([FUNCTION_ERROR, error.errorType, error.errorMessage, error.stackTrace, sampleMaxMemoryMb()]);
}

function invoke(handler: Handler, message: InvokeMessage): void {
  invocationStarted();
  const { requestId, deadlineMs, traceId, event } = parseInvokeMessage(message);
  setRequestId(requestId);
  if (traceId) {
    process.env._X_AMZN_TRACE_ID = traceId;
    traced = true;
  } else if (traced) {
    delete process.env._X_AMZN_TRACE_ID;
    traced = false;
  }
  let settled = false;
  let calledBack = false;
  const settle = (failed: boolean, value: unknown) => {
    if (settled) return;
    settled = true;
    respond(failed, value);
  };
  // callback(error, result), context.done/succeed/fail: Lambda holds the answer until the loop is empty unless told not to.
  const callback: Completion = (error, result) => {
    calledBack = true;
    if (!calledBackBefore) {
      calledBackBefore = true;
      port.postMessage([CALLBACK_USED] satisfies WorkerMessage);
    }
    const failed = error !== undefined && error !== null;
    if (context.callbackWaitsForEmptyEventLoop)
      waitForEmptyEventLoop().then(() => settle(failed, failed ? error : result));
    else settle(failed, failed ? error : result);
  };
  const context = new InvocationContext(data, requestId, deadlineMs, callback);
  try {
    const returned = handler(JSON.parse(event), context, callback) as PromiseLike<unknown> | undefined;
    if (returned !== null && typeof returned?.then === 'function') {
      returned.then(
        (value) => settle(false, value),
        (error) => settle(true, error),
      );
    } else {
      // A non-async handler that never calls back: Lambda answers null once the event loop is empty.
      waitForEmptyEventLoop().then(() => {
        if (!calledBack) settle(false, null);
      });
    }
  } catch (error) {
    settle(true, error);
  }
}

preloadBuiltins(data.preload);
// Before the port listens: an InitMessage sent meanwhile waits in it (warm-up.ts).
const warmedUp = data.startedAhead && (await warmUp(data.preload));
let handler: Handler | undefined;
let initStarted = false;
// The first message names the function's code (InitMessage); every later one is an invocation.
port.on('message', (message: InitMessage | InvokeMessage) => {
  if (handler) invoke(handler, message as InvokeMessage);
  else if (!initStarted) {
    initStarted = true;
    produceCache = (message as InitMessage)[1]?.produceCache === true;
    void init(message as InitMessage).then((loaded) => {
      if (!loaded) return;
      handler = loaded;
      produceCache ||= cacheRejected;
      answer([READY, sampleMaxMemoryMb()]);
    });
  }
});
port.postMessage([BOOTED, warmedUp] satisfies WorkerMessage);
