/**
 * The console in real headless Chromium (Debian's `chromium`, driven by playwright-core): the page
 * opens, its charts fill while real traffic flows through the gateway and worker-thread Lambdas,
 * the seed's 5xx alarm turns red when errors are injected, and the route table counts the 401s and
 * 403s of a JWT-protected route. Saves test-results/dashboard.png.
 * Telemetry's clock runs on real time plus an offset the test moves forward, so the alarm's two
 * 60-second periods pass in an instant instead of two minutes.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { localToken } from '../../src/identity/index.ts';
import { FIXTURE, type Stack, startStack } from '../console/dev-stack.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../test-results/dashboard.png', import.meta.url));

describe('console dashboard in Chromium', () => {
  let offset = 0;
  let stack: Stack;
  let browser: Browser;
  let traffic: Promise<void> | undefined;
  let flowing = true;

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium is missing at ${CHROMIUM}: run \`npm test\` (scripts/setup-system.sh installs it) or \`apt-get install -y chromium\``,
    );
    // Start one second into a minute, so the alarm's periods are whole minutes of this test.
    offset = Math.ceil(Date.now() / 60_000) * 60_000 + 1000 - Date.now();
    stack = await startStack({ clock: () => Date.now() + offset, chartRangeSeconds: 300, chartPeriodSeconds: 5 });
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

  async function get(path: string): Promise<number> {
    const response = await fetch(`${stack.apiUrl}${path}`);
    await response.arrayBuffer();
    return response.status;
  }

  test('charts fill with live traffic and the 5xx alarm turns red when errors are injected', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.consoleUrl);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 15_000 });
    assert.equal(await page.textContent('#api-name'), 'dashboard-e2e');

    traffic = (async () => {
      for (let i = 0; flowing; i++) {
        await get(i % 4 === 3 ? '/health' : `/orders?id=${i}`);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();

    const points = (id: string) =>
      page.$eval(`#chart-${id}`, (el) => Number(el.getAttribute('data-points'))).catch(() => 0);
    await page.waitForFunction(
      () =>
        ['requests', 'latency', 'lambda-duration'].every(
          (id) => Number(document.querySelector(`#chart-${id}`)?.getAttribute('data-points') ?? 0) > 0,
        ),
      undefined,
      { timeout: 20_000 },
    );
    const firstPoints = await points('requests');
    assert.ok(firstPoints >= 1);
    assert.ok((await page.$$('#chart-requests canvas')).length > 0, 'uPlot drew a canvas');
    const initialState = await page.getAttribute('[data-alarm="5xx"]', 'data-state');
    assert.notEqual(initialState, 'ALARM');

    // 12 errors in each of two minutes: Sum of 5xx > 10 in 2 of 2 periods.
    for (let minute = 0; minute < 2; minute++) {
      const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => get(`/orders?id=${i}&fail=1`)));
      assert.deepEqual(new Set(statuses), new Set([500]));
      offset += 60_000;
    }
    await page.waitForSelector('[data-alarm="5xx"][data-state="ALARM"]', { timeout: 20_000 });
    const badge = await page.$eval('[data-alarm="5xx"] .badge', (el) => getComputedStyle(el).backgroundColor);
    assert.equal(badge, 'rgb(209, 50, 18)', 'the ALARM badge is red');
    await page.waitForSelector('.toast.alarm', { timeout: 5_000 });
    assert.match((await page.textContent('.toast.alarm')) ?? '', /^Alarm 5xx: (OK|INSUFFICIENT_DATA) → ALARM$/);

    // The charts keep filling: the error minutes and the traffic since are new periods.
    await page.waitForFunction(
      (before) => Number(document.querySelector('#chart-requests')?.getAttribute('data-points') ?? 0) > before,
      firstPoints,
      { timeout: 20_000 },
    );
    const errorsChart = await page.$eval('#chart-errors', (el) => Number(el.getAttribute('data-points')));
    assert.ok(errorsChart >= 2, 'the errors chart shows the 4xx and 5xx series');
    await page.waitForSelector('#logs .log.json', { timeout: 10_000 });
    assert.match((await page.textContent('#cost-projected')) ?? '', /^\$\d+\.\d{2,4}$/);
    assert.equal(await page.textContent('#routes tbody tr[data-route="GET /orders"] td:first-child'), 'GET /orders');

    // Refused writes: no token or a forged one (401), a token without orders/write (403), one accepted.
    const readOnly = await localToken({ config: FIXTURE, scopes: ['orders/read'] });
    const writer = await localToken({ config: FIXTURE, scopes: ['orders/write'] });
    const post = async (authorization?: string) => {
      const response = await fetch(`${stack.apiUrl}/orders`, {
        method: 'POST',
        headers: authorization === undefined ? {} : { authorization },
      });
      await response.arrayBuffer();
      return response.status;
    };
    const refusals = [await post(), await post('Bearer forged'), await post(), await post(`Bearer ${readOnly}`)];
    assert.deepEqual([...refusals, await post(`Bearer ${writer}`)], [401, 401, 401, 403, 200]);
    const cell = (status: string) => `#routes tbody tr[data-route="POST /orders"] td[data-status="${status}"]`;
    await page.waitForFunction(
      ([unauthorized, forbidden]) =>
        document.querySelector(unauthorized)?.textContent === '3' &&
        document.querySelector(forbidden)?.textContent === '1',
      [cell('401'), cell('403')],
      { timeout: 10_000 },
    );
    assert.equal(await page.getAttribute(cell('401'), 'class'), 'n warn');
    assert.equal(await page.textContent(`#routes tbody tr[data-route="GET /orders"] td[data-status="401"]`), '0');
    assert.deepEqual(await page.$$eval('#routes thead th', (ths) => ths.map((th) => th.textContent)), [
      'route',
      'target',
      'requests',
      '4xx',
      '401',
      '403',
      '5xx',
      'p50',
      'p95',
      'p99',
      'integration p95',
      'total',
    ]);

    await mkdir(fileURLToPath(new URL('../../test-results/', import.meta.url)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(existsSync(SCREENSHOT));
    assert.deepEqual(pageErrors, []);
    await page.close();
  });
});
