/**
 * `npm run bench`: every figure is a ratio or a side-by-side taken in this one run on this machine,
 * because absolute numbers on a shared 2-core VM drift from run to run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { compareHttp, type HttpRound, type Side } from './http.ts';
import { measureRuntime } from './runtime.ts';
import { SERVERLESS_VERSIONS } from './serverless-offline.ts';
import { median } from './stats.ts';

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function summarize(rounds: HttpRound[]) {
  const cpu = rounds.map((r) => r.mainThreadUsPerRequest).filter((us) => us !== undefined);
  const others = rounds.map((r) => r.otherThreadsUsPerRequest).filter((us) => us !== undefined);
  return {
    rps: median(rounds.map((r) => r.requestsPerSecond)),
    mainThreadUsPerRequest: cpu.length ? median(cpu) : undefined,
    otherThreadsUsPerRequest: others.length ? median(others) : undefined,
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

const LABELS: Record<Side, string> = {
  bare: 'bare node:http',
  floor: 'worker floor',
  gantry: 'gantry dev',
  gantryNoTelemetry: '… telemetry off',
  serverlessOffline: 'serverless-offline',
};
const NOTES: Partial<Record<Side, string>> = {
  floor: 'bench/floor-server.ts: two thread hops, nothing else',
  gantryNoTelemetry: 'gantry dev --no-console',
  serverlessOffline: `serverless ${SERVERLESS_VERSIONS.serverless} + serverless-offline ${SERVERLESS_VERSIONS['serverless-offline']}`,
};

if (!only || only === 'http') {
  const http = await compareHttp();
  const summary = Object.fromEntries(
    Object.entries(http.rounds).map(([side, rounds]) => [side, summarize(rounds)]),
  ) as Partial<Record<Side, ReturnType<typeof summarize>>>;
  const rps = (side: Side) => summary[side]?.rps ?? Number.NaN;
  const pct = (a: Side, b: Side) => `${(100 * (rps(a) / rps(b))).toFixed(1)} %`;
  results.http = { ...http, summary };
  console.log(`HTTP: ${http.tool}, ${http.connections} connections, ${http.seconds} s rounds, alternating`);
  console.log('                          req/s      p50 ms   p99 ms   main µs/req  other µs/req   errors');
  for (const [side, s] of Object.entries(summary) as [Side, ReturnType<typeof summarize>][]) {
    const rounds = (http.rounds[side] ?? []).map((r) => fmt(r.requestsPerSecond)).join(', ');
    const cpu = s.mainThreadUsPerRequest === undefined ? '-' : fmt(s.mainThreadUsPerRequest, 1);
    const other = s.otherThreadsUsPerRequest === undefined ? '-' : fmt(s.otherThreadsUsPerRequest, 1);
    console.log(
      `  ${LABELS[side].padEnd(18)} ${fmt(s.rps).padStart(10)}  ${fmt(s.p50, 2).padStart(9)} ${fmt(s.p99, 2).padStart(8)}  ${cpu.padStart(12)}  ${other.padStart(12)}   ${s.errors} of ${fmt(s.requests)}   rounds ${rounds}${NOTES[side] ? `   (${NOTES[side]})` : ''}`,
    );
  }
  for (const [side, why] of Object.entries(http.skipped)) console.log(`  ${LABELS[side as Side]}: not run (${why})`);
  console.log(`  gantry dev / bare          ${pct('gantry', 'bare')}  (target ≥ 50 %)`);
  console.log(`  worker floor / bare        ${pct('floor', 'bare')}  (the ceiling of any worker-thread design here)`);
  console.log(`  gantry dev / worker floor  ${pct('gantry', 'floor')}  (target ≥ 70 %)`);
  console.log(`  telemetry on / off         ${pct('gantry', 'gantryNoTelemetry')}  (target ≥ 90 %)`);
  const cpu = (side: Side) => summary[side]?.mainThreadUsPerRequest;
  const on = cpu('gantry');
  const off = cpu('gantryNoTelemetry');
  if (on !== undefined && off !== undefined) {
    console.log(
      `  telemetry's main-thread cost ${fmt(on - off, 1)} µs per request (${fmt(on, 1)} on, ${fmt(off, 1)} off: the throughput ratio's cause, with less noise)`,
    );
  }
  if (summary.serverlessOffline) console.log(`  serverless-offline / bare  ${pct('serverlessOffline', 'bare')}`);
  console.log('');
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
  ['cold-start', './cold-start.ts', 'benchColdStart'],
  ['seed', './seed.ts', 'benchSeed'],
  ['store-cost', './store-cost.ts', 'benchStoreCost'],
  ['loadgen', './loadgen.ts', 'benchLoadgen'],
  ['aws-endpoints', './aws-endpoints.ts', 'benchAwsEndpoints'],
  ['auth', './auth.ts', 'benchAuth'],
  ['arrival-rate', './arrival-rate.ts', 'benchArrivalRate'],
  ['chaos', './chaos.ts', 'benchChaos'],
  ['regions', './regions.ts', 'benchRegions'],
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
