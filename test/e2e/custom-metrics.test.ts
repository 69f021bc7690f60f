/**
 * Custom metrics in the console, in real headless Chromium: a Powertools Metrics handler's EMF
 * metrics get their own charts (one per metric, a line per dimension set) after the golden signals,
 * the favicon loads, and no request of the page fails. Saves test-results/custom-metrics.png.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig } from '../../src/config/index.ts';

const SCREENSHOT = fileURLToPath(new URL('../../test-results/custom-metrics.png', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/emf-api/api.config.ts', import.meta.url));
let dev: DevServer;
let browser: Browser;

before(async () => {
  dev = await startDevServer(await loadConfig(fixture), { port: 0, dataDir: null });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
  });
});
after(async () => {
  await browser?.close();
  await dev?.close();
});

test('the console charts the functions’ EMF metrics, and every request of the page succeeds', async () => {
  for (const value of [15, 25, 40]) {
    const answer = await fetch(`${dev.url}/orders`, { method: 'POST', body: JSON.stringify({ value }) });
    assert.equal(answer.status, 201);
  }
  const page = await browser.newPage({ viewport: { width: 1300, height: 1600 } });
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(dev.consoleUrl!);
  const chart = page.locator('#chart-custom-Shop-OrdersPlaced');
  await page.waitForSelector('#chart-custom-Shop-OrdersPlaced:not([data-points="0"])');
  assert.equal(await chart.locator('figcaption').textContent(), 'Shop · OrdersPlaced');
  assert.match((await chart.textContent()) ?? '', /service=orders \(Sum\)/);
  assert.equal(await page.locator('#chart-custom-Shop-BasketValue').count(), 1);
  await mkdir(fileURLToPath(new URL('../../test-results/', import.meta.url)), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.deepEqual(failed, [], 'no 404 (the favicon included) or failed call');
});
