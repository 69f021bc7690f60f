/** Shared set-up for the runtime tests: configs without an api.config.ts, an observer that records, a gate. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ResolvedConfig, resolveConfig } from '../../src/config/index.ts';
import type { FunctionLogEvent, InvocationReport, RuntimeObserver } from '../../src/runtime/index.ts';

export const fixtureDir = fileURLToPath(new URL('../fixtures/runtime/', import.meta.url));

/** A resolved config whose handlers live under `dir` (default: the runtime fixtures). */
export function configFor(
  functions: Record<string, Record<string, unknown>>,
  extra: Record<string, unknown> = {},
  dir = fixtureDir,
): ResolvedConfig {
  const first = Object.keys(functions)[0];
  return resolveConfig(
    { name: 'runtime-tests', functions, routes: { 'GET /': first }, ...extra },
    join(dir, 'api.config.ts'),
  );
}

/** A build folder inside the fixture folder, one per test file so files running in parallel never share one. */
export function tempBuildDir(): { dir: string; remove(): void } {
  mkdirSync(join(fixtureDir, '.gantry'), { recursive: true });
  const dir = mkdtempSync(join(fixtureDir, '.gantry', 'build-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Recorder {
  observer: RuntimeObserver;
  logs: FunctionLogEvent[];
  reports: InvocationReport[];
  throttles: [string, string][];
  changes: [string, number, number][];
  reloads: [string, Error | undefined][];
  /** Functions whose handler answered through the callback, once per environment. */
  callbacks: string[];
  linesOf(requestId: string): FunctionLogEvent[];
}

export function recorder(): Recorder {
  const r: Recorder = {
    logs: [],
    reports: [],
    throttles: [],
    changes: [],
    reloads: [],
    callbacks: [],
    observer: {
      onLog: (e) => r.logs.push(e),
      onInvocation: (report) => r.reports.push(report),
      onThrottle: (name, reason) => r.throttles.push([name, reason]),
      onEnvironmentChange: (name, alive, busy) => r.changes.push([name, alive, busy]),
      onReload: (name, error) => r.reloads.push([name, error]),
      onCallbackUsed: (name) => r.callbacks.push(name),
    },
    linesOf: (requestId) => r.logs.filter((e) => e.requestId === requestId),
  };
  return r;
}

/** Polls `check` every 20 ms until it returns true; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An HTTP server on loopback that holds every request until `open()`: handlers wait on it. */
export async function gate(): Promise<{ url: string; arrived(): number; open(): void; close(): Promise<void> }> {
  const held: ServerResponse[] = [];
  let opened = false;
  let arrived = 0;
  const server = createServer((_req, res) => {
    arrived++;
    if (opened) res.end('open');
    else held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    arrived: () => arrived,
    open() {
      opened = true;
      for (const res of held.splice(0)) res.end('open');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
