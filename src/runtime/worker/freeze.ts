/**
 * Lambda freezes an execution environment once the runtime has posted the answer and thaws it for the
 * next invocation ("Lambda freezes the execution environment when the runtime and each extension have
 * completed"): timers, unawaited promises and sockets a handler leaves behind do not run while it is
 * idle; they resume, late, during the next invocation, or never if the environment is reaped. Local
 * code that lets them run would pass here and lose work in AWS (a fire-and-forget write, a metrics
 * flush from a timer). A worker blocked in `Atomics.wait` runs nothing, which is that freeze.
 *
 * The gate's SENT slot counts the invocations the host has sent (it adds one before posting each);
 * the worker parks while that count equals the invocations it has started. A count cannot be undone
 * by a late write or a late wake-up from the host, as a 0/1 flag could.
 *
 * It parks only when something is left to run (a pending timer, unref'd ones included, a socket, a
 * file operation): otherwise there is nothing to hold back, and a park costs both threads a futex
 * round trip on every request (about 12 % of gantry dev's throughput with a trivial handler).
 */
import { parentPort } from 'node:worker_threads';
import { FROZEN, PARKED, SENT, type WorkerMessage } from '../protocol.ts';
import { nothingLeftToRun, pendingWork } from './event-loop.ts';
import { flushLogs } from './log-capture.ts';

let gate: Int32Array | undefined;
/** Invocations started so far. */
let started = 0;

export function useGate(buffer: SharedArrayBuffer): void {
  gate = new Int32Array(buffer);
}

/** An invocation begins (it may be read in the same turn of the loop that posted the last answer). */
export function invocationStarted(): void {
  started++;
}

function park(answered: number): void {
  // A later invocation already began (a port delivers every queued message in one turn, before the
  // immediates): freezing now would stop it halfway.
  if (!gate || answered !== started || Atomics.load(gate, SENT) !== started || nothingLeftToRun()) return;
  // Lines logged after the answer (from an immediate, say) reach the host now: Lambda's runtime
  // writes them out before the freeze, and a frozen worker's flush timer would never fire.
  flushLogs();
  // gantry dev tells the developer: in AWS this work would run late, or never.
  const pending = pendingWork();
  if (pending.length > 0) parentPort?.postMessage([FROZEN, pending] satisfies WorkerMessage);
  Atomics.store(gate, PARKED, 1);
  // Returns at once once the host has sent another invocation; a stray wake-up just waits again.
  while (Atomics.load(gate, SENT) === started) Atomics.wait(gate, SENT, started);
  Atomics.store(gate, PARKED, 0);
}

/**
 * After the answer went out. From an immediate, like Lambda's runtime, which posts the answer over
 * HTTP before it waits for the next event: the handler's microtasks and already-due callbacks still run.
 */
export function freezeSoon(): void {
  setImmediate(park, started);
}
