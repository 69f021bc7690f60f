/** A `gantry dev` child process for the bench parts that drive the example: start, stop, CPU per thread. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/**
 * A port P with P..P+`span`-1 all free now: `gantry dev` derives its console (P+1) and, with two
 * regions, its regional endpoints and stores from P, so one free port alone can collide.
 */
export async function freePortSpan(span: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    if (base + span > 65_535) continue;
    const held: ReturnType<typeof createServer>[] = [];
    let free = true;
    for (let port = base; port < base + span && free; port++) {
      const server = createServer();
      free = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (free) held.push(server);
    }
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    if (free) return base;
  }
  throw new Error('no span of free ports found on 127.0.0.1');
}

interface DevProcess {
  child: ChildProcess;
  port: number;
  /** The API's base URL, stage included. */
  api: string;
  console: string;
  output(): string;
}

/**
 * Starts `gantry dev` on `config` and resolves once its console and its API answer; the API probe
 * matches no route, so no request has reached a function. A span found free can be taken before
 * gantry dev binds it (the span is released first, and a region's ports are bound after its
 * environments start): gantry dev then exits saying so, and another span is tried, twice at most.
 */
async function startDev(config: string, extraArgs: string[]): Promise<DevProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevOnce(config, extraArgs);
    } catch (error) {
      if (attempt === 3 || !(error instanceof PortTaken)) throw error;
    }
  }
}

class PortTaken extends Error {}

/** The example's stage, the one every part drives. */
const STAGE = 'api';

async function startDevOnce(config: string, extraArgs: string[]): Promise<DevProcess> {
  const port = await freePortSpan(6);
  const args = ['bin/gantry.mjs', 'dev', '--config', config, '--port', String(port)];
  args.push('--console-port', String(port + 1), '--store-port', '0', '--quiet', '--no-watch', ...extraArgs);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => (text += d));
  child.stderr?.on('data', (d) => (text += d));
  const consoleUrl = `http://127.0.0.1:${port + 1}`;
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) {
      const Failure = /already in use/.test(text) ? PortTaken : Error;
      throw new Failure(`gantry dev exited (${child.exitCode}):\n${text}`);
    }
    const answers = (url: string) =>
      fetch(url).then(
        (r) => r.status < 500,
        () => false,
      );
    const ok =
      (await answers(`${consoleUrl}/api/status`)) &&
      (await answers(`http://127.0.0.1:${port}/${STAGE}/__gantry-bench-ready`));
    if (ok) return { child, port, api: `http://127.0.0.1:${port}/${STAGE}`, console: consoleUrl, output: () => text };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`gantry dev did not start within 120 s:\n${text}`);
}

/**
 * Runs `work` against a `gantry dev` started on `config` (startDev), then stops it. When `work` fails,
 * the error says whether gantry dev was still running and what it printed: a request refused in the
 * middle of a part says nothing of why on its own (one storm of a full bench met ECONNREFUSED from a
 * gantry dev that had answered its readiness probes; nothing else was left to tell why).
 */
export async function withDev<T>(
  config: string,
  extraArgs: string[],
  work: (dev: DevProcess) => Promise<T>,
): Promise<T> {
  const dev = await startDev(config, extraArgs);
  try {
    return await work(dev);
  } catch (error) {
    // A gantry dev that has just died is seen to have exited only once its end is reaped: wait a moment.
    if (dev.child.exitCode === null && dev.child.signalCode === null)
      await Promise.race([once(dev.child, 'exit'), new Promise((r) => setTimeout(r, 1000))]);
    throw new Error(`${withCause(error)}\n${devState(dev)}`, { cause: error });
  } finally {
    await stopDev(dev);
  }
}

/** fetch's own message is "fetch failed": what failed (ECONNREFUSED, a reset) is in its cause. */
function withCause(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? String(error) : `${String(error)} (${String(cause)})`;
}

function devState(dev: DevProcess): string {
  return `gantry dev ${lifeOf(dev.child)}; its output:\n${dev.output() || '(none)'}`;
}

function lifeOf({ exitCode, signalCode }: ChildProcess): string {
  if (exitCode !== null) return `had exited with code ${exitCode}`;
  if (signalCode !== null) return `was ended by ${signalCode}`;
  return 'was still running';
}

async function stopDev(dev: DevProcess): Promise<void> {
  const { child } = dev;
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

let ticks: number | undefined;
function ticksPerSecond(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}

/** CPU seconds used by each thread of `pid` (Linux /proc), keyed by thread name; the main thread is `main`. */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
      const name = tid === String(pid) ? 'main' : `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}#${tid}`;
      out.set(name, seconds);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** A token the example's JWT authorizer accepts for POST /orders (`gantry token`, the local issuer). */
export function exampleToken(config = 'examples/orders/api.config.ts'): string {
  return execFileSync(process.execPath, ['bin/gantry.mjs', 'token', '--config', config, '--scope', 'orders/write'], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
}
