/**
 * Waits, blocking the environment's thread, until no sandbox is being created with the young
 * generation's flag on (runtime/ahead-heap.ts). V8 stamps a code cache with the flags in force when
 * a worker makes it and refuses one whose stamp differs when a worker reads it: an environment that
 * read the function's shared cache inside that window compiled its whole bundle afresh, ran its first
 * invocation on code compiled as it went, then offered the host a replacement cache. A window lasts
 * until the sandboxes created in it are online: milliseconds for a refill, about a second at `gantry
 * dev`'s start. Bounded: past that the cache is read anyway, and at worst refused, as before. An
 * on-demand cold start that arrives while a refill is creating a sandbox waits those milliseconds
 * inside its Init Duration, against the whole bundle's compile it would otherwise pay there.
 */
const MOST_MS = 5000;

/** Returns whether a window was open (and waited for). */
export function outsideFlagWindow(window: SharedArrayBuffer | undefined): boolean {
  if (!window) return false;
  const creating = new Int32Array(window);
  const deadline = Date.now() + MOST_MS;
  let waited = false;
  for (let open = Atomics.load(creating, 0); open !== 0; open = Atomics.load(creating, 0)) {
    waited = true;
    const left = deadline - Date.now();
    if (left <= 0) break;
    // The host notifies when the count falls to 0; a count read stale returns at once.
    Atomics.wait(creating, 0, open, left);
  }
  return waited;
}
