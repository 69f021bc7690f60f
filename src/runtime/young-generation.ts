/**
 * The young generation of sandboxes started ahead of need (pre-started, provisioned). V8 starts a
 * heap's semi-space at 1 MB and grows it, scavenge after scavenge, up to its maximum (16 MB on
 * 64-bit). A function's init (the AWS SDK's module bodies, a client's construction) and its first
 * invocation allocate tens of MB that mostly die young, so each cold start paid for a series of
 * scavenges while its semi-space grew, and a storm of them on 2 cores paid it fifty times.
 *
 * A heap that starts at the maximum skips that growth, but its isolate takes longer to create (the
 * worker's boot: measured 40-80 ms more Init Duration for an on-demand cold start when every sandbox
 * got it, 919cf7d, reverted in e74c6ae). So only a sandbox started ahead gets it, which boots while
 * no invocation waits; an on-demand cold start's sandbox starts as V8 would start it.
 *
 * V8 has no per-isolate setting for it (Node's `resourceLimits` sets the maximum only), and reads its
 * process-wide flag when it creates an isolate: the flag is set while a sandbox started ahead is
 * being created and cleared once every such sandbox's isolate exists (the worker's `online`).
 * An on-demand sandbox created inside that window (a few milliseconds per refill) gets the bigger
 * heap too, costing it that boot time and nothing else. The flag changes no code V8 generates: code
 * caches made under either value are accepted under the other (tested).
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default maximum semi-space on 64-bit, in MB: a steady environment collects exactly as before. */
const SEMI_SPACE_MB = 16;

/** Sandboxes started ahead whose isolate does not exist yet. */
let creating = 0;

/**
 * Called just before a sandbox started ahead creates its worker: isolates created from now on start
 * with the full young generation. Returns what to call once that worker's isolate exists (or the
 * worker failed to start); calling it more than once is harmless.
 */
export function fullYoungGenerationWhileCreating(): () => void {
  if (creating++ === 0) setFlagsFromString(`--min-semi-space-size=${SEMI_SPACE_MB}`);
  let created = false;
  return () => {
    if (created) return;
    created = true;
    // 0 is V8's default: the heap chooses its own starting size again.
    if (--creating === 0) setFlagsFromString('--min-semi-space-size=0');
  };
}
