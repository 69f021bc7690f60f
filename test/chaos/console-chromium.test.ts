/**
 * Chaos in the console, in real headless Chromium: an injected fault appears in the faults panel with
 * its hit count, its window is shaded over the charts while traffic flows, and once stopped it shows
 * as ended. Saves test-results/chaos-console.png.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { type ChaosStack, startChaosStack } from './stack.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../test-results/chaos-console.png', import.meta.url));

let stack: ChaosStack;
let browser: Browser;
let flowing = true;
let traffic: Promise<void> | undefined;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: run scripts/setup-system.sh`);
  stack = await startChaosStack();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
  });
});
after(async () => {
  flowing = false;
  await traffic;
  await browser?.close();
  await stack?.close();
});

test('an active fault is listed with its hits and shaded over the charts; stopped, it shows as ended', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(stack.consoleUrl);
  await page.waitForSelector('#connection[data-state="live"]', { timeout: 15_000 });
  assert.equal(await page.textContent('#fault-list li.empty'), 'No faults. gantry chaos inject starts one.');

  const fault = stack.chaos.inject({
    action: 'aws:lambda:invocation-error',
    target: 'echo',
    percent: 40,
    seed: 11,
    parameters: { preventExecution: true },
  });
  // Bounded: stops with the test, at most 2,000 requests.
  traffic = (async () => {
    for (let i = 0; flowing && i < 2000; i++) {
      await stack.get(i % 3 === 2 ? '/others/x' : '/echo');
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const row = `#fault-list li[data-fault="${fault.id}"]`;
  await page.waitForSelector(`${row}[data-state="active"]`, { timeout: 15_000 });
  assert.match(
    (await page.textContent(row)) ?? '',
    /aws:lambda:invocation-error on function echo · invocationPercentage=40 preventExecution=true · hit \d+ of \d+/,
  );
  await page.waitForFunction(
    () =>
      Number(document.querySelector('#chart-errors')?.getAttribute('data-points') ?? 0) > 0 &&
      Number(document.querySelector('#chart-errors')?.getAttribute('data-fault-bands') ?? 0) === 1,
    undefined,
    { timeout: 20_000 },
  );
  const badge = await page.$eval(`${row} .fault-state`, (el) => getComputedStyle(el).backgroundColor);
  assert.equal(badge, 'rgb(209, 50, 18)', 'an active fault is marked red');
  await mkdir(fileURLToPath(new URL('../../test-results/', import.meta.url)), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  stack.chaos.stop(fault.id);
  await page.waitForSelector(`${row}[data-state="ended"]`, { timeout: 15_000 });
  assert.match((await page.textContent(`${row} .fault-state`)) ?? '', /^stopped$/);
  assert.equal(await page.getAttribute('#faults', 'data-active'), '0');
  assert.deepEqual(pageErrors, []);
  await page.close();
});
