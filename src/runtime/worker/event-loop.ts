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
