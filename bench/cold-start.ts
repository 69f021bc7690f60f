/**
 * Cold-start storm: a fresh `gantry dev` on the example (orders API, embedded store), then 50
 * simultaneous first requests to the orders function: 50 cold starts at once. Three setups,
 * alternating fresh servers so drift favours none:
 * - `before`: what gantry did before pre-started runtimes and the executed code cache (each
 *   environment starts its own worker; compile-only code cache): `local.prestartedRuntimes: 0` and
 *   the saved code cache removed;
 * - `first session`: pre-started runtimes, on code no earlier `gantry dev` ran (compile-only cache);
 * - `now`: pre-started runtimes and the executed code cache an earlier session saved.
 * POST /orders (JWT authorizer, a conditional PutItem) and GET /orders/{id} of a missing order (one
 * GetItem, no authorizer) separate the runtime's cost from the store's and the authorizer's.
 * Reported per storm: the slowest completion, the orders function's Init Duration (median, max) from
 * its REPORT lines, and CPU read per thread from /proc: the gateway's main thread per request, and the
 * other threads (execution environments, store) per cold start, figures that hold up better than
 * wall-clock ones on a shared VM.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleToken, root, threadCpuSeconds, withDev } from './dev-process.ts';
import { median } from './stats.ts';

const STORM = 50;
const EXAMPLE = 'examples/orders/api.config.ts';
/** The example with `local.prestartedRuntimes: 0`, written beside it for the `before` rounds. */
const WITHOUT_PRESTARTED = 'examples/orders/.bench-cold-start.config.ts';
const BUILT = join(root, 'examples/orders/.gantry/build/functions/orders');

type Setup = 'before' | 'first session' | 'now';
type Route = 'POST /orders' | 'GET /orders/{id}';

export interface StormRound {
  setup: Setup;
  route: Route;
  slowestMs: number;
  statuses: Record<string, number>;
  initMedianMs: number;
  initMaxMs: number;
  coldStarts: number;
  mainThreadMsPerRequest: number;
  otherThreadsMsPerColdStart: number;
}

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds of the whole process, threads that already ended included (a timed-out environment's). */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

const savedCaches = () => (existsSync(BUILT) ? readdirSync(BUILT).filter((f) => f.endsWith('.cache')) : []);

function removeSavedCaches(): void {
  for (const file of savedCaches()) unlinkSync(join(BUILT, file));
}

async function request(api: string, route: Route, i: number, authorization: string): Promise<number> {
  const response =
    route === 'POST /orders'
      ? await fetch(`${api}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ customer: `storm-${i}`, item: 'book', quantity: 1 }),
          signal: AbortSignal.timeout(30_000),
        })
      : await fetch(`${api}/orders/missing-${i}`, { signal: AbortSignal.timeout(30_000) });
  await response.arrayBuffer();
  return response.status;
}

/** One session that runs the orders function once, so the executed code cache is saved for the next. */
async function saveExecutedCache(authorization: string): Promise<void> {
  await withDev(EXAMPLE, ['--in-memory'], async (dev) => {
    await request(dev.api, 'POST /orders', 0, authorization);
    for (let i = 0; i < 300 && savedCaches().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  });
}

async function stormOnce(setup: Setup, route: Route, authorization: string): Promise<StormRound> {
  if (setup === 'now' && savedCaches().length === 0) await saveExecutedCache(authorization);
  if (setup !== 'now') removeSavedCaches();
  return withDev(setup === 'before' ? WITHOUT_PRESTARTED : EXAMPLE, ['--in-memory'], async (dev) => {
    const pid = dev.child.pid!;
    const mainBefore = threadCpuSeconds(pid).get('main') ?? 0;
    const totalBefore = processCpuSeconds(pid);
    const started = performance.now();
    const statuses: Record<string, number> = {};
    const ends = await Promise.all(
      Array.from({ length: STORM }, async (_, i) => {
        const status = await request(dev.api, route, i, authorization);
        statuses[status] = (statuses[status] ?? 0) + 1;
        return performance.now() - started;
      }),
    );
    const main = (threadCpuSeconds(pid).get('main') ?? 0) - mainBefore;
    const others = processCpuSeconds(pid) - totalBefore - main;
    const logs = (await fetch(`${dev.console}/api/logs?function=orders&filter=REPORT&limit=1000`).then((r) =>
      r.json(),
    )) as { message: string }[];
    const inits = logs
      .map((l) => /Init Duration: ([\d.]+) ms/.exec(l.message)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    return {
      setup,
      route,
      slowestMs: Math.max(...ends),
      statuses,
      initMedianMs: inits[Math.floor(inits.length / 2)] ?? Number.NaN,
      initMaxMs: inits.at(-1) ?? Number.NaN,
      coldStarts: inits.length,
      mainThreadMsPerRequest: (main * 1000) / STORM,
      otherThreadsMsPerColdStart: (others * 1000) / Math.max(1, inits.length),
    };
  });
}

export async function benchColdStart(rounds = 3): Promise<{ rounds: StormRound[] }> {
  writeFileSync(
    join(root, WITHOUT_PRESTARTED),
    "import base from './api.config.ts';\nexport default { ...base, local: { ...base.local, prestartedRuntimes: 0 } };\n",
  );
  const authorization = `Bearer ${exampleToken()}`;
  const plan: [Setup, Route][] = [
    ['before', 'POST /orders'],
    ['first session', 'POST /orders'],
    ['now', 'POST /orders'],
    ['before', 'GET /orders/{id}'],
    ['now', 'GET /orders/{id}'],
  ];
  const out: StormRound[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      for (const [setup, route] of i % 2 === 0 ? plan : [...plan].reverse()) {
        const round = await stormOnce(setup, route, authorization);
        out.push(round);
        const status = Object.entries(round.statuses)
          .map(([s, n]) => `${n}×${s}`)
          .join(' ');
        console.log(
          `  ${route.padEnd(16)} ${setup.padEnd(13)} slowest ${round.slowestMs.toFixed(0).padStart(5)} ms   Init Duration median ${round.initMedianMs.toFixed(1)} ms, max ${round.initMaxMs.toFixed(1)} ms   CPU: main ${round.mainThreadMsPerRequest.toFixed(1)} ms/request, other threads ${round.otherThreadsMsPerColdStart.toFixed(1)} ms/cold start   ${round.coldStarts} cold starts   ${status}`,
        );
      }
    }
  } finally {
    rmSync(join(root, WITHOUT_PRESTARTED), { force: true });
  }
  for (const [setup, route] of plan) {
    const mine = out.filter((r) => r.setup === setup && r.route === route);
    console.log(
      `  ${route} ${setup}: slowest of ${STORM} median ${median(mine.map((r) => r.slowestMs)).toFixed(0)} ms${setup === 'now' && route === 'POST /orders' ? ' (target ≤ 1000)' : ''}, Init Duration median ${median(mine.map((r) => r.initMedianMs)).toFixed(1)} ms, main thread ${median(mine.map((r) => r.mainThreadMsPerRequest)).toFixed(1)} ms/request, other threads ${median(mine.map((r) => r.otherThreadsMsPerColdStart)).toFixed(1)} ms/cold start`,
    );
  }
  return { rounds: out };
}
