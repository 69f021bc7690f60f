/**
 * Cold-start storm: a fresh `gantry dev` on the example (orders API, embedded store), then 50
 * simultaneous first POST /orders — 50 cold starts of the orders function at once. Reported: the
 * slowest completion, and the orders function's Init Duration (median, max) from its REPORT lines,
 * with the shared code cache (today) and without it (`GANTRY_CODE_CACHE=off`: before it existed),
 * alternating fresh servers so drift does not favour one side.
 */
import { exampleToken, startDev, stopDev } from './dev-process.ts';

const STORM = 50;

export interface StormRound {
  codeCache: boolean;
  slowestMs: number;
  statuses: Record<string, number>;
  initMedianMs: number;
  initMaxMs: number;
  coldStarts: number;
}

async function stormOnce(codeCache: boolean): Promise<StormRound> {
  const dev = await startDev('examples/orders/api.config.ts', ['--in-memory'], {
    GANTRY_CODE_CACHE: codeCache ? 'on' : 'off',
  });
  try {
    const authorization = `Bearer ${exampleToken()}`;
    const started = performance.now();
    const statuses: Record<string, number> = {};
    const ends = await Promise.all(
      Array.from({ length: STORM }, async (_, i) => {
        const response = await fetch(`${dev.api}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ customer: `storm-${i}`, item: 'book', quantity: 1 }),
          signal: AbortSignal.timeout(30_000),
        });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        return performance.now() - started;
      }),
    );
    const logs = (await fetch(`${dev.console}/api/logs?function=orders&filter=REPORT&limit=1000`).then((r) =>
      r.json(),
    )) as { message: string }[];
    const inits = logs
      .map((l) => /Init Duration: ([\d.]+) ms/.exec(l.message)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    return {
      codeCache,
      slowestMs: Math.max(...ends),
      statuses,
      initMedianMs: inits[Math.floor(inits.length / 2)] ?? Number.NaN,
      initMaxMs: inits.at(-1) ?? Number.NaN,
      coldStarts: inits.length,
    };
  } finally {
    await stopDev(dev);
  }
}

export async function benchColdStart(rounds = 3): Promise<{ rounds: StormRound[] }> {
  const out: StormRound[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const codeCache of i % 2 === 0 ? [true, false] : [false, true]) {
      const round = await stormOnce(codeCache);
      out.push(round);
      const status = Object.entries(round.statuses)
        .map(([s, n]) => `${n}×${s}`)
        .join(' ');
      console.log(
        `  ${codeCache ? 'code cache    ' : 'no code cache '} slowest ${round.slowestMs.toFixed(0).padStart(5)} ms   Init Duration median ${round.initMedianMs.toFixed(1)} ms, max ${round.initMaxMs.toFixed(1)} ms   ${round.coldStarts} cold starts   ${status}`,
      );
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  for (const codeCache of [true, false]) {
    const mine = out.filter((r) => r.codeCache === codeCache);
    console.log(
      `  ${codeCache ? 'with code cache' : 'without (before)'}: slowest of ${STORM} median ${median(mine.map((r) => r.slowestMs)).toFixed(0)} ms (target ≤ 1000 with the cache), Init Duration median ${median(mine.map((r) => r.initMedianMs)).toFixed(1)} ms`,
    );
  }
  return { rounds: out };
}
