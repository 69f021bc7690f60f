/**
 * Store cost: what one example POST /orders costs the gateway's main thread, the store's own thread
 * (`gantry-store`: both regions' stores and their replication) and the rest of the process, read per
 * thread from /proc while one client posts orders sequentially to a fresh `gantry dev` on the example
 * (store on disk, as `npm start`). Target: main thread ≤ 0.3 ms per POST (issue 23; ~1.6 ms when it
 * was filed, 6.6 ms once the example ran two regions with the store on the main thread).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleToken, startDev, stopDev, threadCpuSeconds } from './dev-process.ts';

export interface StoreCost {
  posts: number;
  mainThreadMsPerPost: number;
  /** The store's worker thread (`gantry-store`). */
  storeThreadMsPerPost: number;
  /** Everything else: handlers' workers, libuv's pool (LevelDB writes, the journal's fsyncs), V8. */
  otherThreadsMsPerPost: number;
}

async function post(api: string, i: number, authorization: string): Promise<void> {
  const response = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ customer: `cost-${i % 20}`, item: 'book', quantity: 1 }),
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}`);
}

export async function benchStoreCost(posts = 1000, warmup = 100): Promise<StoreCost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gantry-bench-store-'));
  const dev = await startDev('examples/orders/api.config.ts', ['--data-dir', dataDir]);
  try {
    const authorization = `Bearer ${exampleToken()}`;
    for (let i = 0; i < warmup; i++) await post(dev.api, i, authorization);
    const pid = dev.child.pid!;
    const before = threadCpuSeconds(pid);
    for (let i = 0; i < posts; i++) await post(dev.api, i, authorization);
    const after = threadCpuSeconds(pid);
    let main = 0;
    let store = 0;
    let others = 0;
    for (const [name, seconds] of after) {
      const spent = seconds - (before.get(name) ?? 0);
      if (name === 'main') main += spent;
      else if (name.startsWith('gantry-store#')) store += spent;
      else others += spent;
    }
    const result = {
      posts,
      mainThreadMsPerPost: (main * 1000) / posts,
      storeThreadMsPerPost: (store * 1000) / posts,
      otherThreadsMsPerPost: (others * 1000) / posts,
    };
    console.log(
      `  ${posts} sequential POST /orders: main thread ${result.mainThreadMsPerPost.toFixed(2)} ms per POST (target ≤ 0.3), store thread ${result.storeThreadMsPerPost.toFixed(2)} ms, other threads ${result.otherThreadsMsPerPost.toFixed(2)} ms`,
    );
    return result;
  } finally {
    await stopDev(dev);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
