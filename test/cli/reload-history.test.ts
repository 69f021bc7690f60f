/**
 * Saving api.config.ts under a running gantry dev swaps what changed and keeps what was seen: the
 * request counts and alarm state the console showed, the logs, and the routes' token buckets.
 * In-process (the CLI's own composition and config watcher) so the telemetry clock is the test's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { configDigest, watchConfig } from '../../src/cli/config-reload.ts';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig } from '../../src/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'gantry-reload-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 11, 7, 1, 0, 0);

function configWith(routes: string): string {
  // GET /a: burst 5 and no refill, so the bucket's count is exact whatever the time.
  return `export default {
  name: 'reloaded',
  functions: { a: { handler: 'h.handler' } },
  routes: { 'GET /a': { function: 'a', throttle: { rateLimit: 0, burstLimit: 5 } }, ${routes} },
  alarms: { busy: { metric: 'Count', threshold: 2, periodSeconds: 10 } },
};\n`;
}

test('an edited config keeps request counts, alarm state, logs and token buckets', async () => {
  writeFileSync(
    join(dir, 'h.mjs'),
    'export const handler = async (event) => ({ statusCode: 200, body: event.routeKey });\n',
  );
  const file = join(dir, 'api.config.mjs');
  writeFileSync(file, configWith(''));
  let now = T0;
  const clock = () => now;
  const digest = configDigest(file);
  const dev: DevServer = await startDevServer(await loadConfig(file), {
    port: 0,
    dataDir: null,
    telemetry: { clock, tickIntervalMs: false },
  });
  const reloaded: ((server: DevServer) => void)[] = [];
  const rejected: string[] = [];
  const watcher = watchConfig({
    file,
    loadedDigest: digest,
    server: dev,
    onReload: (server) => reloaded.shift()?.(server),
    onRejected: (message) => rejected.push(message),
    onProblem: (message) => rejected.push(message),
  });
  const get = async (path: string) => {
    const response = await fetch(`${dev.url}${path}`);
    return { status: response.status, body: await response.text() };
  };
  const consoleJson = async (path: string) => (await fetch(`${dev.consoleUrl}${path}`)).json();
  try {
    for (let i = 0; i < 3; i++) assert.deepEqual(await get('/a'), { status: 200, body: 'GET /a' });
    now = T0 + 10_000;
    dev.telemetry!.tick();
    const before = {
      status: await consoleJson('/api/status'),
      routes: await consoleJson('/api/routes?window=600'),
      alarms: await consoleJson('/api/alarms'),
    };
    assert.equal(before.status.functions.find((f: { name: string }) => f.name === 'a').invocations, 3);
    assert.equal(before.routes.find((r: { routeKey: string }) => r.routeKey === 'GET /a').totalRequests, 3);
    const busy = before.alarms.alarms.find((a: { alarmName: string }) => a.alarmName === 'busy');
    assert.equal(busy.state, 'ALARM');
    const logLines = dev.telemetry!.logs.query({ limit: 1000 }).length;

    const swapped = new Promise<DevServer>((resolve) => reloaded.push(resolve));
    writeFileSync(file, configWith("'GET /b': 'a'"));
    const server = await swapped;
    assert.deepEqual(rejected, []);
    assert.equal(server, dev, 'the same server, reconfigured');
    assert.deepEqual(await get('/b'), { status: 200, body: 'GET /b' }, 'the new route answers on the same port');

    const after = {
      status: await consoleJson('/api/status'),
      routes: await consoleJson('/api/routes?window=600'),
      alarms: await consoleJson('/api/alarms'),
    };
    assert.equal(after.status.functions.find((f: { name: string }) => f.name === 'a').invocations, 4);
    assert.equal(after.routes.find((r: { routeKey: string }) => r.routeKey === 'GET /a').totalRequests, 3);
    assert.equal(after.routes.find((r: { routeKey: string }) => r.routeKey === 'GET /b').totalRequests, 1);
    const busyAfter = after.alarms.alarms.find((a: { alarmName: string }) => a.alarmName === 'busy');
    assert.equal(busyAfter.state, 'ALARM');
    assert.equal(busyAfter.stateUpdatedTimestamp, busy.stateUpdatedTimestamp);
    assert.deepEqual(after.alarms.history, before.alarms.history);
    assert.ok(dev.telemetry!.logs.query({ limit: 1000 }).length > logLines, 'the log store kept its lines');

    // GET /a's bucket (burst 5, no refill) kept its tokens: 3 were taken before the edit.
    assert.equal((await get('/a')).status, 200);
    assert.equal((await get('/a')).status, 200);
    assert.equal((await get('/a')).status, 429);
  } finally {
    await watcher.close();
    await dev.close();
  }
});
