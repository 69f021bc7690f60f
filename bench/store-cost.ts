/**
 * Store cost: what one example POST /orders costs the gateway's main thread, the store's own thread
 * (`gantry-store`: both regions' stores and their replication) and the rest of the process, read per
 * thread from /proc while one client posts orders sequentially to a fresh `gantry dev` on the example
 * (store on disk, as `npm start`), then while 20 clients post at once (the store's answers can then share
 * their wake-ups of the main thread: thread/units-ring.ts), then sequentially again once V8 has compiled the
 * request path (after STEADY_AFTER POSTs). Target: main thread ≤ 0.3 ms per POST (issue 23; ~1.6 ms when it
 * was filed, 6.6 ms once the example ran two regions with the store on the main thread). Beside it, what
 * the same shape costs with nothing of gantry's (StoreCost.floor).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleToken, freePort, threadCpuSeconds, withDev } from './dev-process.ts';
import { startProcess, stop } from './http.ts';

export interface ThreadCost {
  posts: number;
  mainThreadMsPerPost: number;
  /** The store's worker thread (`gantry-store`). */
  storeThreadMsPerPost: number;
  /** Everything else: handlers' workers, libuv's pool (LevelDB writes, the journal's fsyncs), V8. */
  otherThreadsMsPerPost: number;
  /** Wall time per POST as the clients saw it (answer read), for one client the POST's whole round trip. */
  wallMsPerPost: number;
}

export interface StoreCost extends ThreadCost {
  /** The same with `CONCURRENT_CLIENTS` posting at once: where answers can share the store's wake-ups of the host. */
  concurrent: ThreadCost & { clients: number };
  /**
   * Sequential again once the server has served `STEADY_AFTER` POSTs: the headline figure's first
   * thousand still pay for V8 compiling the request path (1.4 ms against 0.65-0.9 later, measured).
   */
  steady: ThreadCost & { after: number };
  /**
   * The same shape with nothing of gantry's: bench/floor-server.ts (node:http, one worker hop) whose
   * worker answers `delayMs` late, the steady POST's wall time; its main thread per sequential
   * request. Measured 2026-12-08: the floor costs 0.07-0.09 ms per sequential request answered at
   * once, 0.155, 0.17 and 0.205 ms answered 1, 2 and 5 ms late (one hour), 0.29-0.33 ms answered 4 ms
   * late (another). A thread that sleeps while the handler awaits the store pays for waking on this
   * VM (Firecracker, two vCPUs) whatever it runs.
   */
  floor: { requests: number; delayMs: number; mainThreadMsPerRequest: number };
}

const CONCURRENT_CLIENTS = 20;
const STEADY_AFTER = 5000;

async function post(api: string, i: number, authorization: string): Promise<void> {
  const response = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ customer: `cost-${i % 20}`, item: 'book', quantity: 1 }),
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}`);
}

/** CPU per POST of each kind of thread of process `pid` while `clients` post `posts` orders between them. */
async function measure(pid: number, posts: number, clients: number, send: (i: number) => Promise<void>) {
  const before = threadCpuSeconds(pid);
  const startedAt = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < posts) await send(next++);
    }),
  );
  const after = threadCpuSeconds(pid);
  const wallMsPerPost = (performance.now() - startedAt) / posts;
  let main = 0;
  let store = 0;
  let others = 0;
  for (const [name, seconds] of after) {
    const spent = seconds - (before.get(name) ?? 0);
    if (name === 'main') main += spent;
    else if (name.startsWith('gantry-store#')) store += spent;
    else others += spent;
  }
  return {
    posts,
    mainThreadMsPerPost: (main * 1000) / posts,
    storeThreadMsPerPost: (store * 1000) / posts,
    otherThreadsMsPerPost: (others * 1000) / posts,
    wallMsPerPost,
  };
}

/** Main-thread CPU per sequential request of the worker floor answering `delayMs` late (StoreCost.floor). */
async function measureFloor(requests: number, delayMs: number): Promise<StoreCost['floor']> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/floor`;
  const child = await startProcess(['--import', 'tsx', 'bench/floor-server.ts', String(port), String(delayMs)], url);
  try {
    const get = async () => {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`the worker floor answered ${response.status}`);
    };
    for (let i = 0; i < 100; i++) await get();
    const pid = child.pid!;
    const before = threadCpuSeconds(pid).get('main') ?? 0;
    for (let i = 0; i < requests; i++) await get();
    const after = threadCpuSeconds(pid).get('main') ?? 0;
    return { requests, delayMs, mainThreadMsPerRequest: ((after - before) * 1000) / requests };
  } finally {
    await stop(child);
  }
}

const describe = (cost: ThreadCost) =>
  `main thread ${cost.mainThreadMsPerPost.toFixed(2)} ms per POST (target ≤ 0.3), store thread ${cost.storeThreadMsPerPost.toFixed(2)} ms, other threads ${cost.otherThreadsMsPerPost.toFixed(2)} ms; ${cost.wallMsPerPost.toFixed(2)} ms per POST end to end`;

export async function benchStoreCost(posts = 1000, warmup = 100): Promise<StoreCost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gantry-bench-store-'));
  try {
    const cost = await withDev('examples/orders/api.config.ts', ['--data-dir', dataDir], async (dev) => {
      const authorization = `Bearer ${exampleToken()}`;
      const send = (i: number) => post(dev.api, i, authorization);
      for (let i = 0; i < warmup; i++) await send(i);
      const pid = dev.child.pid!;
      const sequential = await measure(pid, posts, 1, send);
      console.log(`  ${posts} sequential POST /orders: ${describe(sequential)}`);
      const concurrent = await measure(pid, posts, CONCURRENT_CLIENTS, send);
      console.log(`  ${posts} POST /orders from ${CONCURRENT_CLIENTS} clients at once: ${describe(concurrent)}`);
      const served = warmup + 2 * posts;
      for (let i = served; i < STEADY_AFTER; i++) await send(i);
      const steady = await measure(pid, 2 * posts, 1, send);
      console.log(`  ${2 * posts} sequential POST /orders after ${STEADY_AFTER}: ${describe(steady)}`);
      return {
        ...sequential,
        concurrent: { ...concurrent, clients: CONCURRENT_CLIENTS },
        steady: { ...steady, after: Math.max(served, STEADY_AFTER) },
      };
    });
    // After gantry dev has stopped, so the floor has the machine to itself as gantry dev had.
    const floor = await measureFloor(posts, Math.max(1, Math.round(cost.steady.wallMsPerPost)));
    console.log(
      `  worker floor answering ${floor.delayMs} ms late (the steady POST's wall time), ${floor.requests} sequential requests: main thread ${floor.mainThreadMsPerRequest.toFixed(2)} ms per request`,
    );
    return { ...cost, floor };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
