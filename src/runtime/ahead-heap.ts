/**
 * The V8 heap of a sandbox started ahead of need: pre-started (for an on-demand cold start to take) or
 * provisioned (an environment initialised before any request). Nothing waits while such a sandbox's
 * isolate is created, so each is created with what serves the invocations that come later.
 *
 * - A pre-started one starts its young generation at V8's maximum (16 MB semi-spaces). V8 starts a
 *   heap's semi-space at 1 MB and grows it scavenge after scavenge; a function's init (the AWS SDK's
 *   module bodies, a client's construction) and its first invocations allocate tens of MB that mostly
 *   die young, so each cold start paid for a series of scavenges while its semi-space grew, and a
 *   storm of them on 2 cores paid it fifty times. A heap that starts at the maximum takes its isolate
 *   40-80 ms longer to create (measured as on-demand Init Duration when every sandbox got it: 919cf7d,
 *   reverted in e74c6ae), which only a sandbox started ahead can pay while nothing waits.
 * - A provisioned one runs without V8's memory reducer. That reducer collects an isolate's garbage
 *   once it has allocated little for a while (8 s after its last full collection); an environment is
 *   frozen between invocations (worker/freeze.ts), so for one initialised at `gantry dev`'s start and
 *   then left frozen the collection came due while frozen and ran at its first invocation: fifty
 *   provisioned environments' first invocations after an idle 6 s cost ~45 ms of CPU each, ~7 with
 *   the reducer off (a round of fifty simultaneous POST /orders, environment threads' CPU from /proc).
 *   A provisioned environment is kept warm by definition; a pre-started sandbox waits unfrozen, so its
 *   own collection runs while it waits, and environments that start on demand keep the reducer.
 *   Provisioned ones keep V8's starting young generation: their init has run before any request, and
 *   with the full one their first invocations cost more, not less (340-370 against 400-450 ms for
 *   that round of fifty, three alternating pairs: the bigger semi-space's fresh pages are faulted in
 *   during the invocations).
 *
 * V8 has no per-isolate setting for either (Node's `resourceLimits` sets the young generation's
 * maximum only) and reads both process-wide flags when it creates an isolate: each flag is set while a
 * sandbox that needs it is being created and cleared once every such sandbox's isolate exists (its
 * worker's `online`). An on-demand sandbox created inside that window (a few milliseconds per refill)
 * gets the same heap, costing it that boot time and nothing else.
 *
 * The young generation's flag is part of the flag hash V8 stamps on a code cache and checks when a
 * worker reads one: a cache read or made inside the window is refused outside it, and the reverse.
 * At `gantry dev`'s start, with a hundred sandboxes created at once (provisioned ones then had that
 * flag too), a third of the example's provisioned environments read the shared cache inside the
 * window, compiled their bundle afresh and ran their first invocation on code compiled lazily. So the
 * window is shared with every sandbox (`youngGenerationWindow`), and an environment reads or makes a
 * code cache only outside it (worker/outside-flag-window.ts). The memory reducer's flag is not in the
 * hash (tested).
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default maximum semi-space on 64-bit, in MB: a steady environment collects exactly as before. */
const SEMI_SPACE_MB = 16;

export type AheadKind = 'prestarted' | 'provisioned';

/**
 * A process-wide V8 flag held on while any sandbox that needs it is being created. Its count of those
 * sandboxes lives in shared memory, so environments can wait until the flag is V8's default again
 * (worker/outside-flag-window.ts); only the host's thread changes it.
 */
class FlagWhileCreating {
  readonly creating = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

  constructor(
    private readonly on: string,
    /** V8's default. */
    private readonly off: string,
  ) {}

  enter(): void {
    // Counted before the flag is set, and uncounted after it is cleared: a thread that reads 0 finds
    // the default flag.
    if (Atomics.add(this.creating, 0, 1) === 0) setFlagsFromString(this.on);
  }

  leave(): void {
    if (Atomics.load(this.creating, 0) === 1) setFlagsFromString(this.off);
    if (Atomics.sub(this.creating, 0, 1) === 1) Atomics.notify(this.creating, 0);
  }
}

const fullYoungGeneration = new FlagWhileCreating(`--min-semi-space-size=${SEMI_SPACE_MB}`, '--min-semi-space-size=0');
const noMemoryReducer = new FlagWhileCreating('--no-memory-reducer', '--memory-reducer');

/**
 * The young generation's window, shared with every sandbox: how many sandboxes are being created with
 * its flag on (0: the flags are V8's defaults); notified when it falls to 0.
 */
export const youngGenerationWindow = fullYoungGeneration.creating.buffer as SharedArrayBuffer;

/**
 * Called just before a sandbox started ahead creates its worker: isolates created from now on get the
 * heap `kind` needs. Returns what to call once that worker's isolate exists (or the worker failed to
 * start); calling it more than once is harmless.
 */
export function aheadHeapWhileCreating(kind: AheadKind): () => void {
  const flag = kind === 'provisioned' ? noMemoryReducer : fullYoungGeneration;
  flag.enter();
  let created = false;
  return () => {
    if (created) return;
    created = true;
    flag.leave();
  };
}
