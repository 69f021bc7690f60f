/** gantry dev vs a bare node:http server, side by side in one run, each in its own process. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from './dev-process.ts';
import { drive, type Round } from './load.ts';
import { prepareServerlessOffline } from './serverless-offline.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

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

/** Starts a server process and resolves once `url` answers 200 (it is stopped if it never does). */
export async function startProcess(
  args: string[],
  url: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? root,
    env: options.env ?? { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => {
    text += d;
  });
  child.stderr?.on('data', (d) => {
    text += d;
  });
  try {
    await waitFor(url, child, () => text);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export type Side = 'bare' | 'floor' | 'gantry' | 'gantryNoTelemetry' | 'serverlessOffline';

/** A round plus what the server's main thread spent per request, where Linux's /proc tells. */
export interface HttpRound extends Round {
  /** CPU time (user + system) of the server's main thread during the round, per request, in µs. */
  mainThreadUsPerRequest?: number;
  /**
   * The same for all its other threads together: the execution environments' workers (the floor's echo
   * workers) and V8's and libuv's helpers (concurrent GC, compilation). On 2 shared cores this counts as
   * much as the main thread's: both threads of a request, and the load generator, share them.
   */
  otherThreadsUsPerRequest?: number;
}

let clockTicks: number | undefined;
/** Clock ticks per second, the unit of /proc's CPU times. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Reads utime + stime from a /proc stat line (the fields after the command name, which may hold spaces). */
function cpuOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
}

/**
 * CPU seconds the process's main thread has used (its task has the process's id) and the whole
 * process has used (every thread), or undefined off Linux. Throughput on a shared 2-core VM swings by
 * ±20 %; CPU per request on the threads every request crosses swings far less, and says where a
 * difference comes from.
 */
function cpuSeconds(pid: number | undefined): { main: number; all: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    return {
      main: cpuOfStat(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')),
      all: cpuOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8')),
    };
  } catch {
    return undefined;
  }
}

export interface HttpComparison {
  tool: Round['tool'];
  connections: number;
  seconds: number;
  /** Rounds per side. `floor`: the thinnest worker-thread server (bench/floor-server.ts), the ceiling of
   * this design here; `gantryNoTelemetry`: `gantry dev --no-console`; `serverlessOffline`: absent when it
   * could not run (see `skipped`). */
  rounds: Partial<Record<Side, HttpRound[]>>;
  skipped: Partial<Record<Side, string>>;
}

export async function compareHttp(rounds = 5, seconds = 5, connections = 32): Promise<HttpComparison> {
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
  const starters: Record<Side, (port: number, url: string) => Promise<ChildProcess>> = {
    bare: (port, url) => startProcess(['--import', 'tsx', 'bench/bare-server.ts', String(port)], url),
    floor: (port, url) => startProcess(['--import', 'tsx', 'bench/floor-server.ts', String(port)], url),
    gantry: (port, url) => startProcess(dev(port), url),
    gantryNoTelemetry: (port, url) => startProcess(dev(port, '--no-console'), url),
    serverlessOffline: async (port, url) => {
      const prepared = await prepareServerlessOffline(port);
      if ('error' in prepared) throw new Error(prepared.error);
      return startProcess(prepared.args, url, prepared);
    },
  };
  const result: HttpComparison = { tool: 'wrk', connections, seconds, rounds: {}, skipped: {} };
  const running = new Map<Side, { child: ChildProcess; url: string }>();
  try {
    for (const side of Object.keys(starters) as Side[]) {
      // serverless-offline listens on two ports (HTTP and its Lambda API): keep both free.
      const port = side === 'serverlessOffline' ? await freePortPair() : await freePort();
      const url = `http://127.0.0.1:${port}/hello`;
      try {
        running.set(side, { child: await starters[side](port, url), url });
      } catch (error) {
        if (side !== 'serverlessOffline') throw error;
        result.skipped[side] = (error as Error).message.split('\n')[0];
      }
    }
    // Warm every side (JIT, connection pools, one environment per connection) before measuring.
    for (const { url } of running.values()) await drive(url, 2, connections);
    const sides = [...running.keys()];
    for (let i = 0; i < rounds; i++) {
      // Alternate the order so drift on this shared 2-core VM does not favour one side.
      for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
        const { child, url } = running.get(side)!;
        const cpuBefore = cpuSeconds(child.pid);
        const round: HttpRound = await drive(url, seconds, connections);
        const cpuAfter = cpuSeconds(child.pid);
        if (cpuBefore !== undefined && cpuAfter !== undefined && round.requests > 0) {
          const main = cpuAfter.main - cpuBefore.main;
          round.mainThreadUsPerRequest = (main * 1e6) / round.requests;
          round.otherThreadsUsPerRequest = ((cpuAfter.all - cpuBefore.all - main) * 1e6) / round.requests;
        }
        result.tool = round.tool;
        const sideRounds = result.rounds[side] ?? [];
        sideRounds.push(round);
        result.rounds[side] = sideRounds;
      }
    }
    return result;
  } finally {
    await Promise.all([...running.values()].map(({ child }) => stop(child)));
  }
}

async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port + 1, '127.0.0.1', () => resolve(true));
    });
    server.close();
    if (free) return port;
  }
}
