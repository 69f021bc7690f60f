/**
 * The console of a two-region gantry dev in real headless Chromium: the Regions panel shows both
 * regions side by side, and a region taken down shows as DOWN while the other serves. A
 * single-region console never shows the panel nor asks for `/api/regions` (the custom-metrics e2e
 * test checks that no request of that page fails). Saves test-results/regions-panel.png.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { type DevProcess, startTwoRegions } from '../regions/dev-process.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../test-results/regions-panel.png', import.meta.url));

describe('the Regions panel in Chromium', () => {
  let dev: DevProcess;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: run \`npm test\` (it installs it)`);
    dev = await startTwoRegions(['--config', 'test/fixtures/regions/api.config.ts', '--in-memory']);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
    });
  });

  after(async () => {
    await browser?.close();
    await dev?.stop();
  });

  test('shows both regions, and the one taken down as DOWN while the other serves', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(dev.console);
    await page.waitForSelector('#regions:not([hidden]) .region', { timeout: 30_000 });
    const regions = await page.$$eval('#region-list .region h3', (els) => els.map((e) => e.textContent ?? ''));
    assert.deepEqual(
      regions.map((r) => r.split(' ')[0]),
      Object.keys(dev.regional),
      'one card per region, in the config’s order',
    );

    const [primary, secondary] = Object.keys(dev.regional);
    await dev.setStatus(primary, 'down');
    await page.waitForSelector(`#region-list .region[data-state="down"]`, { timeout: 30_000 });
    const states = await page.$$eval('#region-list .region', (els) =>
      els.map((e) => ({
        name: e.querySelector('h3')?.textContent?.split(' ')[0],
        state: (e as HTMLElement).dataset.state,
        text: e.querySelector('.region-state')?.textContent,
      })),
    );
    assert.deepEqual(states.find((s) => s.name === primary)?.text, 'DOWN');
    assert.equal(states.find((s) => s.name === secondary)?.state, 'healthy');
    await mkdir(fileURLToPath(new URL('../../test-results/', import.meta.url)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await dev.setStatus(primary, 'up');
    assert.deepEqual(pageErrors, []);
  });
});
