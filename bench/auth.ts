/**
 * `npm run bench auth`: what authorizers cost on the request path. One `gantry dev` (the bench
 * fixture) serves the same trivial handler open, behind a JWT authorizer (a token of the local issuer,
 * so the key cache is warm and the token itself is verified once, then served from the verified-token
 * cache) and behind a Lambda authorizer with its result cache on; wrk drives the three routes in
 * alternating rounds, so drift on the shared VM favours none. Reported as ratios to the open route.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/index.ts';
import { loadIssuerKey, mintToken } from '../src/identity/index.ts';
import { freePort } from './dev-process.ts';
import { drive, type Round } from './load.ts';
import { median } from './stats.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = fileURLToPath(new URL('fixture/api.config.ts', import.meta.url));

type Path = 'open' | 'jwt' | 'lambda';

async function startDev(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      'bin/gantry.mjs',
      'dev',
      '--config',
      CONFIG,
      '--port',
      String(port),
      '--store-port',
      '0',
      '--in-memory',
      '--quiet',
      '--no-watch',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`gantry dev exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/hello`)).status === 200) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('gantry dev did not answer within 30 s');
}

export async function benchAuth(rounds = 5, seconds = 5, connections = 32) {
  const config = await loadConfig(CONFIG);
  const token = await mintToken(config, await loadIssuerKey(config.dir), {
    authorizer: 'users',
    expiresInSeconds: 3600,
  });
  const port = await freePort();
  const child = await startDev(port);
  const base = `http://127.0.0.1:${port}`;
  const targets: Record<Path, { url: string; headers: Record<string, string> }> = {
    open: { url: `${base}/hello`, headers: {} },
    jwt: { url: `${base}/hello/jwt`, headers: { authorization: `Bearer ${token}` } },
    lambda: { url: `${base}/hello/lambda`, headers: { authorization: 'Bearer bench-key' } },
  };
  const results: Record<Path, Round[]> = { open: [], jwt: [], lambda: [] };
  try {
    for (const { url, headers } of Object.values(targets)) await drive(url, 2, connections, headers);
    const order = Object.keys(targets) as Path[];
    for (let i = 0; i < rounds; i++) {
      for (const path of i % 2 === 0 ? order : [...order].reverse()) {
        results[path].push(await drive(targets[path].url, seconds, connections, targets[path].headers));
      }
    }
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  const rps = (path: Path) => median(results[path].map((r) => r.requestsPerSecond));
  const summary = Object.fromEntries(
    (Object.keys(results) as Path[]).map((path) => [
      path,
      {
        rps: rps(path),
        p50Ms: median(results[path].map((r) => r.p50Ms)),
        p99Ms: median(results[path].map((r) => r.p99Ms)),
        errors: results[path].reduce((sum, r) => sum + r.errors, 0),
      },
    ]),
  );
  for (const [path, s] of Object.entries(summary)) {
    console.log(
      `  ${path.padEnd(7)} ${s.rps.toFixed(0).padStart(8)} req/s  p50 ${s.p50Ms.toFixed(2)} ms  p99 ${s.p99Ms.toFixed(2)} ms  errors ${s.errors}   rounds ${results[path as Path].map((r) => r.requestsPerSecond.toFixed(0)).join(', ')}`,
    );
  }
  const jwtRatio = rps('jwt') / rps('open');
  const lambdaRatio = rps('lambda') / rps('open');
  console.log(`  JWT / open     ${(100 * jwtRatio).toFixed(1)} %  (target ≥ 85 %, warm key cache)`);
  console.log(`  Lambda / open  ${(100 * lambdaRatio).toFixed(1)} %  (result cache on, resultTtlSeconds 300)`);
  return { rounds: results, summary, jwtRatio, lambdaRatio };
}
