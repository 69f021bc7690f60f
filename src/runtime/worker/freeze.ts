/**
 * Lambda freezes an execution environment once the runtime has posted the answer and thaws it for the
 * next invocation ("Lambda freezes the execution environment when the runtime and each extension have
 * completed"): timers, unawaited promises and sockets a handler leaves behind do not run while it is
 * idle; they resume, late, during the next invocation, or never if the environment is reaped. Local
 * code that lets them run would pass here and lose work in AWS (a fire-and-forget write, a metrics
 * flush from a timer). A worker blocked in `Atomics.wait` runs nothing, which is that freeze.
 *
 * It parks only when something is left to run: with an empty loop there is nothing to hold back, and
 * a park costs both threads a futex round trip on every request.
 */
import { PARKED, THAWED } from '../protocol.ts';
import { loopIsEmpty } from './event-loop.ts';

let gate: Int32Array | undefined;
/** Invocations started so far: a freeze scheduled after one answer must not fall into the next. */
let started = 0;

export function useGate(buffer: SharedArrayBuffer): void {
  gate = new Int32Array(buffer);
}

/** An invocation begins (it may be read in the same turn of the loop that posted the last answer). */
export function invocationStarted(): void {
  started++;
}

/** Before the answer is posted: from then on the host may thaw for the next invocation at any time. */
export function settleGate(): void {
  if (gate) Atomics.store(gate, THAWED, 0);
}

function park(answered: number): void {
  // A later invocation already began (a port delivers every queued message in one turn, before the
  // immediates): freezing now would stop it halfway, e.g. while it waits for its log lines to flush.
  if (answered !== started) return;
  if (!gate || Atomics.load(gate, THAWED) === 1 || loopIsEmpty()) return;
  Atomics.store(gate, PARKED, 1);
  // Returns at once if the host thawed between the check and here (the slot is then no longer 0).
  Atomics.wait(gate, THAWED, 0);
  Atomics.store(gate, PARKED, 0);
}

/**
 * After the answer went out. From an immediate, like Lambda's runtime, which posts the answer over
 * HTTP before it waits for the next event: the handler's microtasks and already-due callbacks still run.
 */
export function freezeSoon(): void {
  setImmediate(park, started);
}
