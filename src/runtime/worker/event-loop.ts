/**
 * Lambda's `callbackWaitsForEmptyEventLoop`: after a callback-style handler calls back, the response
 * is held until the event loop has nothing left to do (pending timers, sockets, file operations).
 * A worker's loop never empties (its message ports keep it alive), so "empty" means no active
 * resource other than message ports. One shared poller, every millisecond, only while someone
 * waits; its timer is unref'd because a ref'd timer counts itself as active, even while it runs.
 */
import { getActiveResourcesInfo } from 'node:process';

let waiters: (() => void)[] = [];
let polling = false;

/** Nothing would ever run again but what arrives on a message port (an invocation). */
export function loopIsEmpty(): boolean {
  for (const resource of getActiveResourcesInfo()) if (resource !== 'MessagePort') return false;
  return true;
}

function poll(): void {
  if (!loopIsEmpty()) {
    setTimeout(poll, 1).unref();
    return;
  }
  polling = false;
  const ready = waiters;
  waiters = [];
  for (const resolve of ready) resolve();
}

export function waitForEmptyEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    waiters.push(resolve);
    if (polling) return;
    polling = true;
    // From a timer, so the handler's just-scheduled microtasks and immediates run first.
    setTimeout(poll, 0).unref();
  });
}

/**
 * Timers a handler `unref()`'d: they keep no loop alive, so getActiveResourcesInfo() leaves them out
 * (and Lambda does not wait for them), but they still run while an environment sits idle, unless it
 * is frozen. A batching exporter's flush interval is the usual one. Tracked from `unref()` calls on
 * the worker's own Timeout prototype; a timer counts until it has fired (once) or been cleared.
 *
 * `AbortSignal.timeout()` unrefs a timer of its own, the deadline of a call the handler has usually
 * awaited already (the AWS SDK's `abortSignal`, `fetch`): it holds back the freeze as any timer
 * does, but it is nobody's work to await, so it is not reported (pendingWork) and no warning says
 * "await it" about a pattern AWS's own examples use.
 */
const unrefTimers = new Set<NodeJS.Timeout>();
const deadlineTimers = new Set<NodeJS.Timeout>();
/** Timeout.prototype.unref as Node has it, for the runtime's own timers. */
let untrackedUnref: ((this: NodeJS.Timeout) => NodeJS.Timeout) | undefined;
/** True while `AbortSignal.timeout()` runs: the timer it unrefs is a deadline. */
let inAbortTimeout = false;

export function trackUnrefTimers(): void {
  const probe = setTimeout(() => {}, 0);
  const prototype = Object.getPrototypeOf(probe) as { unref(): NodeJS.Timeout; ref(): NodeJS.Timeout };
  clearTimeout(probe);
  const { unref, ref } = prototype;
  untrackedUnref = unref;
  prototype.unref = function (this: NodeJS.Timeout) {
    (inAbortTimeout ? deadlineTimers : unrefTimers).add(this);
    return unref.call(this);
  };
  prototype.ref = function (this: NodeJS.Timeout) {
    unrefTimers.delete(this);
    deadlineTimers.delete(this);
    return ref.call(this);
  };
  const original = AbortSignal.timeout;
  AbortSignal.timeout = function timeout(this: typeof AbortSignal, delay: number) {
    inAbortTimeout = true;
    try {
      return original.call(this, delay);
    } finally {
      inAbortTimeout = false;
    }
  };
}

/**
 * A timer of the runtime itself (the log flush): unref'd and untracked, so it is never the handler's
 * pending work: it holds back no callback-style answer and no freeze, and it is not reported.
 */
export function runtimeTimer(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(callback, ms);
  return untrackedUnref ? untrackedUnref.call(timer) : timer.unref();
}

/** How many of `timers` have not fired or been cleared yet. */
function pending(timers: Set<NodeJS.Timeout>): number {
  for (const timer of timers) {
    // Node marks a timer destroyed once it has fired (a timeout) or been cleared.
    if ((timer as NodeJS.Timeout & { _destroyed?: boolean })._destroyed) timers.delete(timer);
  }
  return timers.size;
}

/** Whether nothing at all could run before the next invocation: an empty loop, no unref'd timer pending. */
export function nothingLeftToRun(): boolean {
  return loopIsEmpty() && pending(unrefTimers) === 0 && pending(deadlineTimers) === 0;
}

/**
 * What is left to run, one entry per resource (`Timeout`, `TCPSocketWrap`, `FSReqCallback`…); the
 * deadlines of `AbortSignal.timeout()` are left out (see above).
 */
export function pendingWork(): string[] {
  const work = getActiveResourcesInfo().filter((resource) => resource !== 'MessagePort');
  for (let i = pending(unrefTimers); i > 0; i--) work.push('Timeout');
  return work;
}
