/**
 * `npm run bench`: every figure is a ratio or a side-by-side taken in this one run on this machine,
 * because absolute numbers on a shared 2-core VM drift from run to run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { compareHttp } from './http.ts';
import type { Round } from './load.ts';
import { measureRuntime } from './runtime.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function summarize(rounds: Round[]) {
  return {
    rps: median(rounds.map((r) => r.requestsPerSecond)),
    p50: median(rounds.map((r) => r.p50Ms)),
    p99: median(rounds.map((r) => r.p99Ms)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
  };
}

const only = process.argv[2];
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: cpus().length };
console.log(
  `gantry bench — Node ${process.version}, ${cpus().length} cores (figures are medians of alternating rounds)\n`,
);

if (!only || only === 'http') {
  const http = await compareHttp();
  const bare = summarize(http.bare);
  const floor = summarize(http.floor);
  const gantry = summarize(http.gantry);
  const quiet = summarize(http.gantryNoTelemetry);
  results.http = {
    ...http,
    summary: {
      bare,
      floor,
      gantry,
      gantryNoTelemetry: quiet,
      ratio: gantry.rps / bare.rps,
      telemetryRatio: gantry.rps / quiet.rps,
    },
  };
  console.log(
    `HTTP: ${http.tool}, ${http.connections} connections, ${http.bare.length} × ${http.seconds} s rounds each`,
  );
  console.log('                          req/s      p50 ms   p99 ms   errors');
  console.log(
    `  bare node:http     ${fmt(bare.rps).padStart(10)}  ${fmt(bare.p50, 2).padStart(9)} ${fmt(bare.p99, 2).padStart(8)}   ${bare.errors}`,
  );
  console.log(
    `  worker floor       ${fmt(floor.rps).padStart(10)}  ${fmt(floor.p50, 2).padStart(9)} ${fmt(floor.p99, 2).padStart(8)}   ${floor.errors}   (bench/floor-server.ts: two thread hops, nothing else)`,
  );
  console.log(
    `  gantry dev         ${fmt(gantry.rps).padStart(10)}  ${fmt(gantry.p50, 2).padStart(9)} ${fmt(gantry.p99, 2).padStart(8)}   ${gantry.errors} of ${fmt(gantry.requests)}`,
  );
  console.log(
    `  … telemetry off    ${fmt(quiet.rps).padStart(10)}  ${fmt(quiet.p50, 2).padStart(9)} ${fmt(quiet.p99, 2).padStart(8)}   ${quiet.errors}   (gantry dev --no-console)`,
  );
  const perRound = (rounds: Round[]) => rounds.map((r) => fmt(r.requestsPerSecond)).join(', ');
  console.log(
    `  rounds: bare ${perRound(http.bare)} | floor ${perRound(http.floor)} | gantry ${perRound(http.gantry)} | off ${perRound(http.gantryNoTelemetry)}`,
  );
  console.log(`  ratio gantry/bare  ${(100 * (gantry.rps / bare.rps)).toFixed(1)} % of bare req/s  (target ≥ 50 %)`);
  console.log(
    `  ratio floor/bare   ${(100 * (floor.rps / bare.rps)).toFixed(1)} % (the ceiling of any worker-thread design here)`,
  );
  console.log(`  ratio gantry/floor ${(100 * (gantry.rps / floor.rps)).toFixed(1)} %`);
  console.log(`  telemetry on/off   ${(100 * (gantry.rps / quiet.rps)).toFixed(1)} %  (target ≥ 90 %)\n`);
}

if (!only || only === 'runtime') {
  const rt = await measureRuntime();
  results.runtime = rt;
  console.log('Lambda runtime (worker-thread execution environments)');
  console.log(
    `  cold start: Init Duration ${fmt(rt.coldStartInitMs, 1)} ms, first invoke end to end ${fmt(rt.coldStartFirstInvokeMs, 1)} ms`,
  );
  console.log(
    `  warm invoke overhead: p50 ${fmt(rt.warmInvokeP50Us)} µs, p99 ${fmt(rt.warmInvokeP99Us)} µs (trivial handler, sequential)`,
  );
  console.log(
    `  memory: ${fmt(rt.rssPerEnvironmentMb, 1)} MB RSS per warm environment; ${fmt(rt.rssWith100EnvironmentsMb)} MB RSS with 100 alive (baseline ${fmt(rt.rssBaselineMb)} MB)\n`,
  );
}

for (const [name, file, fn] of [
  ['telemetry', './telemetry.ts', 'benchTelemetry'],
  ['loadgen', './loadgen.ts', 'benchLoadgen'],
] as const) {
  if (only && only !== name) continue;
  try {
    const mod = (await import(file)) as Record<string, () => Promise<unknown>>;
    if (typeof mod[fn] !== 'function') continue;
    console.log(`${name}:`);
    results[name] = await mod[fn]();
    console.log('');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') continue;
    throw error;
  }
}

mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(new URL('results/latest.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log('full figures: bench/results/latest.json');
