/**
 * "Max Memory Used" for a worker thread. Lambda reports the peak memory of the whole sandbox; a
 * worker shares its process with the host and every other worker, so per-thread RSS does not exist.
 * What is measured honestly instead: this isolate's committed V8 heap plus external memory
 * (Buffers, ArrayBuffers), sampled after init and after each invocation, as a running peak over the
 * environment's life. It omits Node's own baseline (~40-60 MB in Lambda) and transient peaks between
 * samples, so it reads lower than Lambda's figure for the same code.
 */
import { getHeapStatistics } from 'node:v8';

const MB = 1024 * 1024;
let peakMb = 0;

export function sampleMaxMemoryMb(): number {
  const stats = getHeapStatistics();
  const mb = Math.ceil((stats.total_heap_size + stats.external_memory) / MB);
  if (mb > peakMb) peakMb = mb;
  return peakMb;
}
