/**
 * `npm run bench chaos`: what chaos costs the request path. Three sides of `gantry dev` on the bench
 * fixture, in alternating rounds: the fault registry not attached (chaos compiled out: the layers'
 * fault slots can never be filled), attached with no fault (what every user runs: each layer checks
 * one `undefined` slot per request), and a fault active on another function and route (each request
 * asks the registry and is not hit). Plus the registry's own cost per question, in ns.
 *
 *   node --import tsx bench/chaos.ts            (BENCH_SMOKE=1: one short round per side)
 */
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { startDevServer } from '../src/cli/dev-server.ts';
import { loadConfig } from '../src/config/index.ts';
import { median } from './stats.ts';

const FIXTURE = new URL('./fixture/api.config.ts', import.meta.url);
const smoke = process.env.BENCH_SMOKE === '1';
const ROUNDS = smoke ? 1 : 3;
const SECONDS = smoke ? 1 : 5;
const CONNECTIONS = 32;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

type Side = 'compiledOut' | 'idle' | 'elsewhere';
const LABELS: Record<Side, string> = {
  compiledOut: 'registry not attached',
  idle: 'attached, no fault',
  elsewhere: 'fault on another target',
};

async function round(url: string): Promise<{ rps: number; p99: number; errors: number }> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

export async function benchChaos() {
  // The servers run in this process, and their store builds an AWS SDK client: its Node-22 notice
  // would land in the figures' output (the other parts pass the same variable to their children).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const config = await loadConfig(fileURLToPathSafe(FIXTURE));
  const servers = {
    compiledOut: await startDevServer(config, {
      port: 0,
      consolePort: false,
      dataDir: null,
      chaos: false,
      telemetry: false,
    }),
    idle: await startDevServer(config, { port: 0, consolePort: false, dataDir: null, telemetry: false }),
    elsewhere: await startDevServer(config, { port: 0, consolePort: false, dataDir: null, telemetry: false }),
  };
  // Faults the measured route never meets, so the answerers run on every request and miss.
  servers.elsewhere.chaos.inject({ action: 'aws:lambda:invocation-add-delay', target: 'wait', duration: '1h' });
  servers.elsewhere.chaos.inject({
    action: 'gantry:apigateway:route-add-delay',
    target: 'GET /hello/jwt',
    duration: '1h',
  });
  const rounds: Record<Side, { rps: number; p99: number; errors: number }[]> = {
    compiledOut: [],
    idle: [],
    elsewhere: [],
  };
  try {
    for (const side of Object.keys(servers) as Side[]) await round(`${servers[side].url}/hello`); // warm-up
    for (let i = 0; i < ROUNDS; i++) {
      for (const side of Object.keys(servers) as Side[]) rounds[side].push(await round(`${servers[side].url}/hello`));
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  }
  const summary = Object.fromEntries(
    (Object.keys(rounds) as Side[]).map((side) => [
      side,
      {
        rps: median(rounds[side].map((r) => r.rps)),
        p99Ms: median(rounds[side].map((r) => r.p99)),
        errors: rounds[side].reduce((n, r) => n + r.errors, 0),
      },
    ]),
  ) as Record<Side, { rps: number; p99Ms: number; errors: number }>;

  // The registry's answer to one invocation it does not hit, and to one it hits at 50 %.
  const registry = servers.elsewhere.chaos;
  const ns = (calls: number, body: () => void) => {
    for (let i = 0; i < 10_000; i++) body();
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) body();
    return Number(process.hrtime.bigint() - start) / calls;
  };
  const missNs = ns(200_000, () => registry.runtimeAnswers.invocation('hello'));

  console.log(
    `  chaos on the request path: autocannon, ${CONNECTIONS} connections, ${SECONDS} s rounds × ${ROUNDS}, alternating`,
  );
  for (const side of Object.keys(summary) as Side[]) {
    const s = summary[side];
    console.log(
      `    ${LABELS[side].padEnd(26)} ${fmt(s.rps).padStart(8)} req/s   p99 ${fmt(s.p99Ms, 1)} ms   ${s.errors} errors`,
    );
  }
  const ratio = (a: Side, b: Side) => `${(100 * (summary[a].rps / summary[b].rps)).toFixed(1)} %`;
  console.log(
    `    attached, no fault / not attached     ${ratio('idle', 'compiledOut')}  (target ≈ 100 %: one undefined check per layer)`,
  );
  console.log(`    fault elsewhere / not attached        ${ratio('elsewhere', 'compiledOut')}`);
  console.log(`    registry miss: ${fmt(missNs, 0)} ns per invocation asked`);
  return { rounds, summary, registryMissNs: missNs, smoke };
}

function fileURLToPathSafe(url: URL): string {
  return decodeURIComponent(url.pathname);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchChaos();
