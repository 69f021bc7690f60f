/**
 * A real two-region `gantry dev` process for the region tests, and small clients for its global
 * endpoint, regional endpoints and console.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { RegionEvent, RegionsView } from '../../src/console/index.ts';
import { env, root, spawnGantry } from '../cli/spawn.ts';

// The same process environment as the CLI tests': the region tests' callers import them from here.
export { env, root };

export interface DevProcess {
  child: ChildProcess;
  /** The global endpoint. */
  url: string;
  regional: Record<string, string>;
  console: string;
  output(): string;
  view(): Promise<RegionsView>;
  events(): Promise<RegionEvent[]>;
  setStatus(region: string, status: 'up' | 'down'): Promise<RegionsView>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `quiet: false` prints the function logs (the tests that read them); `watch: true` hot-reloads edits. */
export async function startTwoRegions(args: string[] = [], { quiet = true, watch = false } = {}): Promise<DevProcess> {
  const flags = ['dev', '--port', '0', ...(watch ? [] : ['--no-watch']), ...(quiet ? ['--quiet'] : []), ...args];
  const { child, output } = spawnGantry(flags);
  for (let i = 0; i < 900; i++) {
    const text = output();
    const api = /^ {2}API\s+(http:\/\/\S+)/m.exec(text);
    const consoleUrl = /^ {2}console\s+(http:\/\/\S+)/m.exec(text);
    if (api && consoleUrl) {
      const regional = Object.fromEntries(
        [...text.matchAll(/^ {2}(us-[a-z]+-\d)\s+(http:\/\/\S+)\s+store/gm)].map((m) => [m[1], m[2]]),
      );
      const base = consoleUrl[1];
      const json = async <T>(path: string, init?: RequestInit): Promise<T> => {
        const response = await fetch(base + path, init);
        const body = await response.json();
        if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
        return body as T;
      };
      return {
        child,
        url: api[1],
        regional,
        console: base,
        output,
        view: () => json<RegionsView>('/api/regions'),
        events: () => json<RegionEvent[]>('/api/regions/events'),
        setStatus: (region, status) =>
          json<RegionsView>(`/api/regions/${region}/${status}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          }),
        async stop(signal = 'SIGTERM') {
          if (child.exitCode !== null) return child.exitCode;
          child.kill(signal);
          const [code] = await once(child, 'exit');
          return code as number | null;
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`gantry dev exited ${child.exitCode}:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`no banner within 90 s:\n${output()}`);
}

/** Polls `check` until it returns a value (bounded: rejects after `timeoutMs`). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

export async function whoami(url: string): Promise<string> {
  const response = await fetch(`${url}/whoami`);
  return ((await response.json()) as { region: string }).region;
}

export async function put(url: string, id: string, value: string): Promise<void> {
  const response = await fetch(`${url}/items/${id}`, { method: 'PUT', body: value });
  if (response.status !== 200) throw new Error(`PUT ${id}: ${response.status} ${await response.text()}`);
}

export async function read(url: string, id: string): Promise<{ value: string; writtenIn: string } | undefined> {
  const response = await fetch(`${url}/items/${id}`);
  if (response.status === 404) return undefined;
  return (await response.json()) as { value: string; writtenIn: string };
}

/**
 * `gantry drill failover` against `dev` (a real process, bounded at 150 s), with the regions tests'
 * drill scenario and a 1 s outage unless `args` say otherwise.
 */
export async function runDrill(
  dev: DevProcess,
  config: string,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const flags = ['--config', config, '--scenario', 'test/fixtures/regions/drill.json'];
  flags.push('--console-port', new URL(dev.console).port, '--outage', '1s', ...args);
  const child = spawn(process.execPath, ['bin/gantry.mjs', 'drill', 'failover', ...flags], { cwd: root, env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return { code: code as number, out, err };
}
