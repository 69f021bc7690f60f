/**
 * `npm run bench regions`: what the global endpoint costs. One two-region `gantry dev` (the bench
 * handler); wrk drives the global endpoint (failover routing: every request handed to us-east-1's
 * gateway) and us-east-1's own endpoint in alternating rounds, so drift on the shared VM favours
 * neither. Target: the global endpoint keeps at least 80 % of the regional endpoint's throughput.
 * Beside it, the main thread's CPU per request on each side (where both endpoints' listeners run):
 * the global endpoint's own cost, with far less noise than throughput on a shared VM. Then the
 * hand-off alone (bench/regions-handoff.ts): a gateway with an invoker that answers at once.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePortSpan, root, threadCpuSeconds } from './dev-process.ts';
import { drive, type Round } from './load.ts';
import { measureHandoff } from './regions-handoff.ts';
import { median } from './stats.ts';

const CONFIG = fileURLToPath(new URL('fixture/regions.config.ts', import.meta.url));

export async function benchRegions(rounds = 5, seconds = 5, connections = 32) {
  // Two regions take six consecutive ports from --port: find a base whose neighbours are free.
  const port = await freePortSpan(6);
  const child = spawn(
    process.execPath,
    [
      'bin/gantry.mjs',
      'dev',
      '--config',
      CONFIG,
      '--port',
      String(port),
      '--in-memory',
      '--quiet',
      '--no-watch',
      '--no-console',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  let banner = '';
  child.stdout!.on('data', (d) => {
    banner += d;
  });
  const targets = { global: `http://127.0.0.1:${port}/hello`, regional: '' };
  try {
    for (let i = 0; i < 600 && !targets.regional; i++) {
      if (child.exitCode !== null) throw new Error(`gantry dev exited with ${child.exitCode}:\n${banner}`);
      const regional = /^ {2}us-east-1\s+(http:\/\/\S+)/m.exec(banner);
      if (regional) targets.regional = `${regional[1]}/hello`;
      else await new Promise((r) => setTimeout(r, 100));
    }
    if (!targets.regional) throw new Error(`no banner within 60 s:\n${banner}`);
    type RegionRound = Round & { mainThreadUsPerRequest?: number };
    const results: Record<'global' | 'regional', RegionRound[]> = { global: [], regional: [] };
    const mainCpu = () => (process.platform === 'linux' ? threadCpuSeconds(child.pid!).get('main') : undefined);
    for (const url of Object.values(targets)) await drive(url, 2, connections);
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (['global', 'regional'] as const) : (['regional', 'global'] as const);
      for (const side of order) {
        const before = mainCpu();
        const round: RegionRound = await drive(targets[side], seconds, connections);
        const after = mainCpu();
        if (before !== undefined && after !== undefined && round.requests > 0) {
          round.mainThreadUsPerRequest = ((after - before) * 1e6) / round.requests;
        }
        results[side].push(round);
      }
    }
    const rps = (side: 'global' | 'regional') => median(results[side].map((r) => r.requestsPerSecond));
    const cpu = (side: 'global' | 'regional') => {
      const values = results[side].flatMap((r) =>
        r.mainThreadUsPerRequest === undefined ? [] : [r.mainThreadUsPerRequest],
      );
      return values.length > 0 ? median(values) : undefined;
    };
    for (const side of ['regional', 'global'] as const) {
      const r = results[side];
      const us = cpu(side);
      console.log(
        `  ${side.padEnd(9)} ${rps(side).toFixed(0).padStart(8)} req/s  p50 ${median(r.map((x) => x.p50Ms)).toFixed(2)} ms  p99 ${median(r.map((x) => x.p99Ms)).toFixed(2)} ms  main thread ${us === undefined ? '-' : `${us.toFixed(1)} µs/req`}  errors ${r.reduce((s, x) => s + x.errors, 0)}   rounds ${r.map((x) => x.requestsPerSecond.toFixed(0)).join(', ')}`,
      );
    }
    const ratio = rps('global') / rps('regional');
    console.log(`  global / regional  ${(100 * ratio).toFixed(1)} %  (target ≥ 80 %)`);
    const [global, regional] = [cpu('global'), cpu('regional')];
    if (global !== undefined && regional !== undefined) {
      console.log(`  the global endpoint's cost on the main thread: ${(global - regional).toFixed(1)} µs per request`);
    }
    child.kill('SIGTERM');
    await once(child, 'exit');
    const handoff = await measureHandoff();
    console.log(
      handoff
        ? `  the hand-off alone (one process, no worker thread): ${(handoff.globalUs - handoff.regionalUs).toFixed(1)} µs per request (global ${handoff.globalUs.toFixed(1)}, regional ${handoff.regionalUs.toFixed(1)} µs CPU; ${handoff.globalRps.toFixed(0)} vs ${handoff.regionalRps.toFixed(0)} req/s)`
        : '  the hand-off alone: not measured (needs wrk: apt-get install wrk)',
    );
    return { rounds: results, ratio, mainThreadUsPerRequest: { global, regional }, handoff };
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
}
