/**
 * `npm run demo`: the client demo, about two minutes, bounded, stopping by itself. It starts the
 * orders example in two regions, prints the console URL, then runs, each with its verdict:
 *   1. gantry chaos run orders-latency   (load on GET /orders, Lambda latency then gateway latency)
 *   2. gantry chaos run orders-errors    (10 % invocation errors on POST /orders: the hypothesis holds)
 *   3. gantry drill failover             (the primary region down as a gantry:region:outage fault,
 *                                         then back: RTO, RPO, fail-back)
 * and stops gantry dev. DEMO_PORT moves its ports (default 4500); DEMO_SCREENSHOT=FILE saves a
 * screenshot of the console mid-failover (headless Chromium at /usr/bin/chromium).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchConsoleJson, lookupInstance } from '../src/console/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = 'examples/orders/api.config.ts';
const GANTRY = join(ROOT, 'bin/gantry.mjs');
const PORT = process.env.DEMO_PORT ?? '4500';
const OUT = join(ROOT, '.gantry/demo');
/** The whole demo is bounded: past this, everything it started is stopped. */
const DEADLINE_MS = 5 * 60_000;

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const say = (s: string) => console.log(`\n${bold(`▶ ${s}`)}`);

function gantry(args: string[]): Promise<number> {
  console.log(`$ gantry ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [GANTRY, ...args, '--config', CONFIG], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function waitForDev(dev: ChildProcess): Promise<string> {
  for (let i = 0; i < 240; i++) {
    if (dev.exitCode !== null) throw new Error(`gantry dev exited (code ${dev.exitCode}) before it listened`);
    const found = await lookupInstance(join(ROOT, CONFIG));
    if (found.status === 'running' && found.instance.consoleUrl) return found.instance.consoleUrl;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('gantry dev did not start within 2 minutes');
}

/** Once a region is down, a full-page screenshot of the console. */
async function screenshotMidFailover(consoleUrl: string, file: string): Promise<void> {
  if (!existsSync('/usr/bin/chromium')) return;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
    await page.goto(consoleUrl);
    for (let i = 0; i < 120; i++) {
      const view = await fetchConsoleJson<{ regions: { status: string }[] }>(consoleUrl, '/api/regions').catch(
        () => undefined,
      );
      if (view?.regions.some((r) => r.status === 'down')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // A few snapshots so the charts show the outage.
    await new Promise((r) => setTimeout(r, 6000));
    mkdirSync(dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: true });
    console.log(`(screenshot of the console mid-failover: ${file})`);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<number> {
  mkdirSync(OUT, { recursive: true });
  say(`gantry dev: the orders example in two regions (ports from ${PORT})`);
  const dev = spawn(
    process.execPath,
    [GANTRY, 'dev', '--config', CONFIG, '--port', PORT, '--in-memory', '--no-watch', '--quiet'],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const deadline = setTimeout(() => {
    console.error(`demo: over ${DEADLINE_MS / 60_000} minutes, stopping`);
    dev.kill('SIGKILL');
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  const codes: Record<string, number> = {};
  try {
    const consoleUrl = await waitForDev(dev);
    console.log(`\n  console: ${bold(consoleUrl)}   (open it to watch the faults and the failover)`);
    // Warm environments first, so the steady state measures the API rather than its cold starts.
    const found = await lookupInstance(join(ROOT, CONFIG));
    if (found.status === 'running') {
      const api = found.instance.apiUrl;
      await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${api}/orders`).then(
            (r) => r.arrayBuffer(),
            () => {},
          ),
        ),
      );
    }

    say('1/3 latency: half the orders invocations start 400 ms late, then the gateway adds 100 ms on GET /orders');
    codes['orders-latency'] = await gantry([
      'chaos',
      'run',
      'orders-latency',
      '--seed',
      '42',
      '--report',
      join(OUT, 'orders-latency.html'),
    ]);

    say('2/3 errors: 10 % of POST /orders invocations fail after their write; the error budget absorbs it');
    codes['orders-errors'] = await gantry([
      'chaos',
      'run',
      'orders-errors',
      '--seed',
      '42',
      '--report',
      join(OUT, 'orders-errors.html'),
    ]);

    say('3/3 region outage: the primary region goes down under load (gantry:region:outage), then comes back');
    const shot = process.env.DEMO_SCREENSHOT
      ? screenshotMidFailover(consoleUrl, process.env.DEMO_SCREENSHOT)
      : undefined;
    codes['drill failover'] = await gantry([
      'drill',
      'failover',
      '--outage',
      '15s',
      '--report',
      join(OUT, 'failover.html'),
    ]);
    await shot?.catch((error: Error) => console.error(`(no screenshot: ${error.message})`));
  } finally {
    dev.kill('SIGINT');
    await new Promise((resolve) => {
      if (dev.exitCode !== null) resolve(undefined);
      else dev.once('exit', resolve);
    });
    clearTimeout(deadline);
  }
  say('verdicts');
  for (const [step, code] of Object.entries(codes)) {
    console.log(
      `  ${step.padEnd(16)} exit ${code} ${code === 0 ? '(held)' : code === 99 ? '(did not hold)' : '(could not run)'}`,
    );
  }
  console.log(`  reports: ${OUT}`);
  return Object.values(codes).some((c) => c !== 0 && c !== 99) ? 1 : 0;
}

process.exitCode = await main();
