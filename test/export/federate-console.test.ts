/**
 * `gantry federate`'s console: the router of src/traffic over two endpoints (plain HTTP servers
 * standing in for two clouds, one failing its health check), the entry point in front, and the
 * console page the command serves. The JSON answer is read over real HTTP, the page in real headless
 * Chromium; every wait is on a router event or a selector, never on time. Saves
 * test-results/federate-console.png.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { request } from 'undici';
import { federationConsoleView } from '../../src/cli/federation-view.ts';
import { createFederationConsole, type FederationConsole, type FederationView } from '../../src/console/index.ts';
import { createGlobalEndpoint, EndpointRouter, type GlobalEndpoint } from '../../src/traffic/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../test-results/federate-console.png', import.meta.url));

/** A stand-in for one cloud's deployment: /health answers `healthStatus`, anything else names the cloud. */
async function cloud(name: string, healthStatus: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/health') res.writeHead(healthStatus).end(healthStatus === 200 ? 'ok' : 'down');
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let clouds: Awaited<ReturnType<typeof cloud>>[];
let router: EndpointRouter;
let entry: GlobalEndpoint;
let entryUrl: string;
let page: FederationConsole;
let pageUrl: string;
let browser: Browser | undefined;
const events: string[] = [];

before(async () => {
  clouds = [await cloud('aws', 503), await cloud('azure', 200)];
  router = new EndpointRouter({
    endpoints: [
      { id: 'aws-us-east-1', url: clouds[0].url },
      { id: 'azure-westeurope', url: clouds[1].url },
    ],
    policy: { type: 'failover', order: ['aws-us-east-1', 'azure-westeurope'] },
    healthCheck: { path: '/health', intervalMs: 20, timeoutMs: 2_000, failureThreshold: 2 },
  });
  entry = createGlobalEndpoint({ router, unreachable: { status: 502 } });
  const address = await entry.listen(0, '127.0.0.1');
  entryUrl = `http://127.0.0.1:${address.port}`;
  page = createFederationConsole(() => federationConsoleView(router, entryUrl, events));
  pageUrl = (await page.listen(0)).url;
  const failedOver = new Promise<void>((resolve) =>
    router.onServingChange((c) => {
      events.push(`serving ${c.serving.join(', ')}`);
      if (c.serving[0] === 'azure-westeurope') resolve();
    }),
  );
  router.start();
  await failedOver;
  for (let i = 0; i < 3; i++) {
    const res = await request(`${entryUrl}/whoami`);
    assert.equal(await res.body.text(), 'azure');
  }
});

after(async () => {
  await browser?.close();
  await page?.close();
  await router?.stop();
  await entry?.close();
  for (const c of clouds ?? []) c.server.close();
});

test('GET /api/federation answers the policy, what is served, each endpoint’s health, share and last probe', async () => {
  const res = await request(`${pageUrl}/api/federation`);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const view = (await res.body.json()) as FederationView;
  assert.equal(view.url, entryUrl);
  assert.equal(view.policy, 'failover');
  assert.deepEqual(view.serving, ['azure-westeurope']);
  assert.equal(view.lastResort, false);
  assert.deepEqual(view.healthCheck, { path: '/health', intervalMs: 20, timeoutMs: 2_000, failureThreshold: 2 });
  const [aws, azure] = view.endpoints;
  assert.deepEqual([aws.id, aws.healthy, aws.serving, aws.answered, aws.share], ['aws-us-east-1', false, false, 0, 0]);
  assert.equal(aws.lastProbe?.ok, false);
  assert.equal(aws.lastProbe?.status, 503);
  assert.ok((aws.probes ?? 0) >= 2, `two failed probes flip an endpoint with failureThreshold 2, saw ${aws.probes}`);
  assert.deepEqual(
    [azure.id, azure.healthy, azure.serving, azure.answered, azure.share],
    ['azure-westeurope', true, true, 3, 1],
  );
  assert.equal(azure.lastProbe?.status, 200);
  assert.ok(view.events.includes('serving azure-westeurope'));
});

test('the console is read-only and names its API on an unknown path', async () => {
  const post = await request(`${pageUrl}/api/federation`, { method: 'POST', body: '{}' });
  assert.equal(post.statusCode, 405);
  await post.body.dump();
  const missing = await request(`${pageUrl}/nothing-here`);
  assert.equal(missing.statusCode, 404);
  assert.match(((await missing.body.json()) as { message: string }).message, /\/api\/federation/);
});

test('the page shows each endpoint, its health, the one serving and its last probe, in Chromium', async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: run scripts/setup-system.sh`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
  });
  const tab = await browser.newPage({ viewport: { width: 1300, height: 700 } });
  const pageErrors: string[] = [];
  tab.on('pageerror', (error) => pageErrors.push(error.message));
  await tab.goto(`${pageUrl}/`);
  await tab.waitForSelector('#connection[data-state="live"]', { timeout: 15_000 });
  await tab.waitForSelector('tr[data-endpoint="azure-westeurope"]');
  const rows = await tab.$$eval('#endpoints tr', (trs) =>
    trs.map((tr) => [
      tr.getAttribute('data-endpoint') ?? '',
      ...[...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
    ]),
  );
  assert.deepEqual(
    rows.map((r) => r.slice(0, 6)),
    [
      ['aws-us-east-1', 'aws-us-east-1', 'UNHEALTHY', '', '0', '–'],
      ['azure-westeurope', 'azure-westeurope', 'healthy', '◀ serving', '3', '100.0 %'],
    ],
  );
  assert.equal(rows[0][8], 'FAIL · HTTP 503');
  assert.match(rows[1][8], /pass · HTTP 200/);
  assert.match((await tab.textContent('#policy')) ?? '', /steering failover · serving azure-westeurope/);
  assert.equal(await tab.isHidden('#last-resort'), true);
  await mkdir(fileURLToPath(new URL('../../test-results/', import.meta.url)), { recursive: true });
  await tab.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('gantry federate serves the page on --console-port and names it at startup; SIGINT stops both', async () => {
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../../bin/gantry.mjs', import.meta.url)),
      'federate',
      '--config',
      fileURLToPath(new URL('./fixtures/federation/api.config.ts', import.meta.url)),
      '--port',
      '0',
      '--console-port',
      '0',
      '--no-live',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit');
  try {
    let consoleUrl: string | undefined;
    for await (const line of createInterface({ input: child.stdout })) {
      consoleUrl = /; console (http:\/\/127\.0\.0\.1:\d+)\/$/.exec(line)?.[1];
      if (consoleUrl) break;
    }
    assert.ok(consoleUrl, 'the startup line names the console page');
    const view = (await (await request(`${consoleUrl}/api/federation`)).body.json()) as FederationView;
    assert.equal(view.policy, 'failover');
    assert.deepEqual(
      view.endpoints.map((e) => [e.id, e.url]),
      [
        ['aws', 'http://127.0.0.1:4600'],
        ['azure', 'http://127.0.0.1:4610'],
        ['gcp', 'http://127.0.0.1:4620'],
      ],
    );
    const html = await request(`${consoleUrl}/`);
    assert.match(await html.body.text(), /<script type="module" src="\/assets\/federation.js">/);
    child.kill('SIGINT');
    const [code] = await exited;
    assert.equal(code, 0);
  } finally {
    child.kill('SIGKILL');
  }
});
