import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig } from '../../src/config/index.ts';
import { localTarget, runLoadTest } from '../../src/loadtest/index.ts';

// The orders example under a real `gantry dev` (gateway, Lambda environments on worker threads, store).
let dev: DevServer;
before(async () => {
  const config = await loadConfig(fileURLToPath(new URL('../../examples/orders/api.config.ts', import.meta.url)));
  dev = await startDevServer(config, { port: 0, storePort: 0, dataDir: null, watch: false });
});
after(() => dev?.close());

describe('gantry load against gantry dev', () => {
  test('the local target resolved from the config is where gantry dev serves the stage', () => {
    assert.equal(localTarget(dev.config, dev.port).baseUrl, dev.url);
  });

  test('a threshold that must pass passes (exit code 0)', async () => {
    // Two VUs that think 20 ms: at most 2 environments, and under the example stage's throttle
    // (rateLimit 500/s; VUs that never pause would be answered 429).
    const result = await runLoadTest(
      {
        options: {
          vus: 2,
          duration: '2s',
          thresholds: { http_req_failed: ['rate<0.01'], checks: ['rate==1'], 'http_reqs{name:health}': ['count>0'] },
        },
        steps: [
          {
            path: '/health',
            name: 'health',
            checks: { 'status is 200': { status: 200 }, 'stage is api': { bodyIncludes: '"stage":"api"' } },
          },
          { sleep: 0.02 },
        ],
      },
      { baseUrl: localTarget(dev.config, dev.port).baseUrl, workers: 1 },
    );
    const count = result.metrics.http_reqs.values.count;
    assert.deepEqual(result.statuses, { 200: count });
    assert.deepEqual(result.checks, [
      { name: 'status is 200', passes: count, fails: 0 },
      { name: 'stage is api', passes: count, fails: 0 },
    ]);
    assert.deepEqual(
      result.thresholds.map((t) => t.ok),
      [true, true, true],
    );
    assert.equal(result.exitCode, 0);
  });

  test('a threshold that must fail exits 99: the handler answers 404 for an unknown order', async () => {
    const result = await runLoadTest(
      {
        options: { vus: 2, duration: '1s', thresholds: { http_req_failed: ['rate<0.01'] } },
        steps: [{ path: '/orders/does-not-exist', checks: { 'status is 404': { status: 404 } } }, { sleep: 0.02 }],
      },
      { baseUrl: dev.url, workers: 1 },
    );
    const count = result.metrics.http_reqs.values.count;
    assert.deepEqual(result.statuses, { 404: count });
    assert.equal(result.thresholds[0].actual, 1);
    assert.deepEqual(result.checks, [{ name: 'status is 404', passes: count, fails: 0 }]);
    assert.equal(result.exitCode, 99);
  });
});
