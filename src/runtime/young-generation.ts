/**
 * The young generation every sandbox's V8 heap starts with. V8 starts a heap's semi-space at 1 MB and
 * grows it, scavenge after scavenge, up to its maximum (16 MB on 64-bit). A function's init (the AWS
 * SDK's module bodies, a client's construction) and its first invocation allocate tens of MB that
 * mostly die young, so each cold start paid for a series of scavenges while its semi-space grew, and
 * a storm of them on 2 cores paid it fifty times. Starting at the maximum skips that growth; the
 * maximum itself is V8's default, so a steady environment collects exactly as before.
 *
 * The flag is process-wide and V8 reads it when it creates an isolate: set once, before the first
 * sandbox starts, it reaches every worker created afterwards and leaves the isolates already
 * running (the gateway's main thread) as they are. It changes no code V8 generates, so
 * saved code caches stay valid. Pages are committed as they are touched: `gantry dev`'s resident
 * memory on the example measured the same; `Max Memory Used` (worker/memory.ts: the committed heap)
 * reads 6-14 MB higher (the example's orders function 29 MB instead of 23), still below Lambda's
 * figure for the same code.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default maximum semi-space on 64-bit, in MB. */
const SEMI_SPACE_MB = 16;

let sized = false;

export function startYoungGenerationAtFullSize(): void {
  if (sized) return;
  sized = true;
  setFlagsFromString(`--min-semi-space-size=${SEMI_SPACE_MB}`);
}
