/** gantry dev vs a bare node:http server, side by side in one run, each in its own process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { drive, type Round } from './load.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not answer 200 within 30 s:\n${output()}`);
}

async function startProcess(args: string[], url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => {
    text += d;
  });
  child.stderr?.on('data', (d) => {
    text += d;
  });
  await waitFor(url, child, () => text);
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export interface HttpComparison {
  tool: Round['tool'];
  connections: number;
  seconds: number;
  bare: Round[];
  /** The thinnest worker-thread server (bench/floor-server.ts): the ceiling of this design here. */
  floor: Round[];
  gantry: Round[];
  /** `gantry dev --no-console`: the same path with telemetry off. */
  gantryNoTelemetry: Round[];
}

export async function compareHttp(rounds = 3, seconds = 5, connections = 32): Promise<HttpComparison> {
  const barePort = await freePort();
  const floorPort = await freePort();
  const gantryPort = await freePort();
  const quietPort = await freePort();
  const urls = {
    bare: `http://127.0.0.1:${barePort}/hello`,
    floor: `http://127.0.0.1:${floorPort}/hello`,
    gantry: `http://127.0.0.1:${gantryPort}/hello`,
    gantryNoTelemetry: `http://127.0.0.1:${quietPort}/hello`,
  };
  const dev = (port: number, ...extra: string[]) => [
    'bin/gantry.mjs',
    'dev',
    '--config',
    'bench/fixture/api.config.ts',
    '--port',
    String(port),
    '--store-port',
    '0',
    '--in-memory',
    '--quiet',
    '--no-watch',
    ...extra,
  ];
  const bare = await startProcess(['--import', 'tsx', 'bench/bare-server.ts', String(barePort)], urls.bare);
  const floor = await startProcess(['--import', 'tsx', 'bench/floor-server.ts', String(floorPort)], urls.floor);
  const gantry = await startProcess(dev(gantryPort), urls.gantry);
  const gantryNoTelemetry = await startProcess(dev(quietPort, '--no-console'), urls.gantryNoTelemetry);
  try {
    // Warm both (JIT, connection pools, one environment per connection) before measuring.
    for (const url of Object.values(urls)) await drive(url, 2, connections);
    const result: HttpComparison = {
      tool: 'wrk',
      connections,
      seconds,
      bare: [],
      floor: [],
      gantry: [],
      gantryNoTelemetry: [],
    };
    const sides = ['bare', 'floor', 'gantry', 'gantryNoTelemetry'] as const;
    for (let i = 0; i < rounds; i++) {
      // Alternate the order so drift on this shared 2-core VM does not favour one side.
      const order = i % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const round = await drive(urls[side], seconds, connections);
        result.tool = round.tool;
        result[side].push(round);
      }
    }
    return result;
  } finally {
    await Promise.all([stop(bare), stop(floor), stop(gantry), stop(gantryNoTelemetry)]);
  }
}
