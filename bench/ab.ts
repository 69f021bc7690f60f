/**
 * Two builds of the request path side by side in one process, for an A/B of a change:
 *
 *   git worktree add --detach /tmp/base main      # the build to compare against (node_modules: a symlink)
 *   node --import tsx bench/ab.ts /tmp/base .      # [bursts per side, default 16] [seconds per burst, default 2] [path, default /hello]
 *
 * Each checkout's own gateway, runtime and telemetry serve this script's bench/fixture/api.config.ts
 * (the fixture is not what is compared, and an older checkout may lack a route) on a port of their
 * own; `/hello` is a trivial handler, `/logged` the same with one log line per request; wrk bursts alternate between them (the order flips every burst), and the CPU time each
 * burst costs is read per thread from /proc: the main thread (shared, so counted for the side being
 * driven), each side's own threads (its execution environments, started during its warm-up) and the
 * helpers both share (V8's and libuv's). On a 2-core VM shared with other jobs, two processes run one
 * after the other drift apart by more than a small change is worth; bursts this short in one process
 * see the same machine, so an A/A run agrees within about 5 %.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './dev-process.ts';
import { drive } from './load.ts';
import { median } from './stats.ts';

interface Side {
  label: string;
  dir: string;
  url: string;
  close(): Promise<void>;
  /** Threads this side started (its execution environments' workers). */
  own: Set<string>;
  requests: number;
  errors: number;
  rates: number[];
  cpu: { main: number; own: number; shared: number };
}

/** CPU seconds of every thread of this process, by thread id. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime, in clock ticks (100 per second on Linux).
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

async function serve(dir: string, port: number): Promise<() => Promise<void>> {
  const { loadConfig } = await import(`${dir}/src/config/index.ts`);
  const { createTelemetry } = await import(`${dir}/src/telemetry/index.ts`);
  const { createRuntime } = await import(`${dir}/src/runtime/index.ts`);
  const { createGateway } = await import(`${dir}/src/gateway/index.ts`);
  const { observe } = await import(`${dir}/src/cli/dev-observers.ts`);
  const config = await loadConfig(fileURLToPath(new URL('./fixture/api.config.ts', import.meta.url)));
  const telemetry = createTelemetry(config);
  const buildDir = join(tmpdir(), `gantry-ab-${process.pid}-${port}`);
  const runtime = createRuntime(config, { observer: observe(telemetry, {}), buildDir });
  await runtime.start();
  const gateway = createGateway({ config, invoker: runtime, recorder: telemetry, accountThrottle: false });
  await gateway.listen(port);
  return async () => {
    await gateway.close();
    await runtime.stop();
    telemetry.close();
    rmSync(buildDir, { recursive: true, force: true });
  };
}

const [dirA, dirB, burstsArg = '16', secondsArg = '2', path = '/hello'] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node --import tsx bench/ab.ts <checkout A> <checkout B> [bursts] [seconds] [path]');
  process.exit(2);
}
const connections = 32;
const sides: Side[] = [];
for (const [label, dir] of [
  ['A', resolve(dirA)],
  ['B', resolve(dirB)],
]) {
  const before = new Set(threadCpu().keys());
  const port = await freePort();
  const close = await serve(dir, port);
  const url = `http://127.0.0.1:${port}${path}`;
  // One environment per connection, started a few at a time, then warm JIT and pools.
  for (const c of [1, 8, 16]) await drive(url, 1, c);
  await drive(url, 4, connections);
  const own = new Set([...threadCpu().keys()].filter((tid) => !before.has(tid)));
  const cpu = { main: 0, own: 0, shared: 0 };
  sides.push({ label, dir, url, close, own, requests: 0, errors: 0, rates: [], cpu });
}

const seconds = Number(secondsArg);
for (let i = 0; i < Number(burstsArg); i++) {
  for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
    const before = threadCpu();
    const round = await drive(side.url, seconds, connections);
    for (const [tid, after] of threadCpu()) {
      const spent = after - (before.get(tid) ?? 0);
      if (tid === String(process.pid)) side.cpu.main += spent;
      else if (side.own.has(tid)) side.cpu.own += spent;
      else if (!sides.some((other) => other !== side && other.own.has(tid))) side.cpu.shared += spent;
    }
    side.requests += round.requests;
    side.errors += round.errors;
    side.rates.push(round.requestsPerSecond);
  }
}

const us = (seconds: number, side: Side) => ((seconds * 1e6) / side.requests).toFixed(1);
for (const side of sides) {
  const { main, own, shared } = side.cpu;
  console.log(
    `${side.label} ${side.dir}: median ${median(side.rates).toFixed(0)} req/s, ${side.requests} requests, ${side.errors} errors; ` +
      `CPU per request: main thread ${us(main, side)} µs, its environments ${us(own, side)} µs, shared helpers ${us(shared, side)} µs, total ${us(main + own + shared, side)} µs`,
  );
}
for (const side of sides) await side.close();
process.exit(0);
