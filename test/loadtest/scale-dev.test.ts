// --scale-report against a real gantry dev: the console's /api/status sampled during the run.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig } from '../../src/config/index.ts';
import { resolveScenario, runSession } from '../../src/loadtest/index.ts';

let dev: DevServer;
before(async () => {
  const config = await loadConfig(fileURLToPath(new URL('./fixtures/scale-api/api.config.ts', import.meta.url)));
  dev = await startDevServer(config, { port: 0, dataDir: null, watch: false });
});
after(() => dev?.close());

test('the scale report shows concurrency capped at reservedConcurrency, its cold starts and throttles', async () => {
  assert.ok(dev.consoleUrl, 'gantry dev runs its console');
  // 6 VUs without think time on a 150 ms function capped at 3: three environments, the rest throttled.
  const plan = resolveScenario({ options: { vus: 6, duration: '2s' }, steps: [{ path: '/slow' }] }, 'scale.json', {
    baseUrl: dev.url,
  });
  const { result, scale } = await runSession({
    plan,
    target: { baseUrl: dev.url, consoleUrl: dev.consoleUrl },
    label: 'scale',
    scaleReport: true,
    quiet: true,
    workers: 1,
    stdout: new PassThrough(),
  });
  assert.ok(scale, 'a scale report was computed');
  const slow = scale.functions.find((f) => f.name === 'slow');
  assert.ok(slow, `report covers the function: ${JSON.stringify(scale.functions)}`);
  assert.equal(slow.reservedConcurrency, 3);
  assert.equal(slow.coldStarts, 3, 'one cold start per environment');
  assert.equal(slow.peakAlive, 3, 'never more environments than the reserved concurrency');
  assert.ok(slow.peakBusy <= 3);
  assert.ok(slow.throttles > 0, 'requests beyond the cap were throttled');
  assert.equal(slow.throttledAtReserved, true);
  // Every answered 200 is one invocation; every throttle is a 500 from API Gateway.
  assert.equal(slow.invocations, result.statuses[200]);
  assert.equal(slow.throttles, result.statuses[500]);
  assert.ok(scale.samples >= 3, `sampled the console during the run (${scale.samples} samples)`);
});
