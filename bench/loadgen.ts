/**
 * Load generator capacity: `gantry load` against wrk (or autocannon when wrk is missing), both driving the
 * same bare node:http server in its own process, in alternating short rounds so drift hits both alike.
 *
 *   node --import tsx bench/loadgen.ts
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { runLoadTest } from '../src/loadtest/index.ts';
import { median } from './stats.ts';

const CONNECTIONS = 32;
const ROUND_SECONDS = 5;
const ROUNDS = 3;

const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ message: 'hello' });
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

export interface LoadgenRound {
  tool: 'wrk' | 'autocannon' | 'gantry';
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadgenBench {
  /** Median req/s of the reference tool's rounds; null when neither wrk nor autocannon could run. */
  wrkRps: number | null;
  gantryRps: number;
  /** gantry ÷ reference; the issue asks for at least 0.8. */
  ratio: number | null;
  reference: 'wrk' | 'autocannon' | null;
  connections: number;
  roundSeconds: number;
  rounds: LoadgenRound[];
}

async function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${Number(chunk.toString().trim())}/`, stop: () => child.kill() };
}

async function hasWrk(): Promise<boolean> {
  try {
    await promisify(execFile)('wrk', ['--version']).catch((e: { stdout?: string }) => {
      // wrk --version prints its banner and exits 1.
      if (!e.stdout?.includes('wrk')) throw e;
    });
    return true;
  } catch {
    return false;
  }
}

/** wrk's "Latency 1.23ms" / "50% 512.00us" figures in ms. */
function wrkMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2] as 'us' | 'ms' | 's'];
}

async function wrkRound(url: string): Promise<LoadgenRound> {
  const { stdout } = await promisify(execFile)('wrk', [
    '-t1',
    `-c${CONNECTIONS}`,
    `-d${ROUND_SECONDS}s`,
    '--latency',
    url,
  ]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const p50 = wrkMs(/^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? '');
  const p99 = wrkMs(/^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? '');
  return { tool: 'wrk', rps, p50Ms: p50, p99Ms: p99 };
}

async function autocannonRound(url: string): Promise<LoadgenRound> {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({ url, connections: CONNECTIONS, duration: ROUND_SECONDS });
  return { tool: 'autocannon', rps: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}

async function gantryRound(url: string): Promise<LoadgenRound> {
  const result = await runLoadTest(
    { options: { vus: CONNECTIONS, duration: `${ROUND_SECONDS}s` }, steps: [{ path: '/' }] },
    { baseUrl: url.replace(/\/$/, '') },
  );
  const d = result.metrics.http_req_duration.values;
  return {
    tool: 'gantry',
    rps: result.metrics.http_reqs.values.count / (result.durationMs / 1000),
    p50Ms: d.med,
    p99Ms: d['p(99)'],
  };
}

export async function benchLoadgen(): Promise<LoadgenBench> {
  const server = await startServer();
  const reference = (await hasWrk()) ? 'wrk' : 'autocannon';
  const rounds: LoadgenRound[] = [];
  try {
    // One unmeasured warm-up for each, then alternate so a noisy spell hits both.
    await (reference === 'wrk' ? wrkRound(server.url) : autocannonRound(server.url)).catch(() => undefined);
    await gantryRound(server.url);
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push(await (reference === 'wrk' ? wrkRound(server.url) : autocannonRound(server.url)));
      rounds.push(await gantryRound(server.url));
    }
  } finally {
    server.stop();
  }
  const ref = rounds
    .filter((r) => r.tool !== 'gantry')
    .map((r) => r.rps)
    .filter(Number.isFinite);
  const wrkRps = ref.length ? median(ref) : null;
  const gantryRps = median(rounds.filter((r) => r.tool === 'gantry').map((r) => r.rps));
  const result: LoadgenBench = {
    wrkRps,
    gantryRps,
    ratio: wrkRps ? gantryRps / wrkRps : null,
    reference: wrkRps ? reference : null,
    connections: CONNECTIONS,
    roundSeconds: ROUND_SECONDS,
    rounds,
  };
  printLoadgen(result);
  return result;
}

function printLoadgen(result: LoadgenBench): void {
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');
  console.log(
    `  ${CONNECTIONS} connections, ${ROUNDS} rounds of ${ROUND_SECONDS} s each, against a bare node:http server`,
  );
  for (const r of result.rounds)
    console.log(
      `  ${r.tool.padEnd(10)} ${Math.round(r.rps).toString().padStart(7)} req/s   p50 ${fmt(r.p50Ms)} ms   p99 ${fmt(r.p99Ms)} ms`,
    );
  console.log(
    `  median: ${result.reference ?? 'reference'} ${result.wrkRps === null ? '-' : Math.round(result.wrkRps)} req/s, gantry load ${Math.round(result.gantryRps)} req/s, ratio ${result.ratio === null ? '-' : result.ratio.toFixed(2)} (target ≥ 0.80)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchLoadgen();
}
