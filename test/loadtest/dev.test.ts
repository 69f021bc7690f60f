import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig } from '../../src/config/index.ts';
import { localTarget, runLoadTest } from '../../src/loadtest/index.ts';
import { assertClose, nearestRank } from './helpers.ts';

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

describe('arrival rates and percentiles against gantry dev', () => {
  // The rate itself is a figure of `npm run bench arrival-rate`; here, counts.
  test('constant-arrival-rate against gantry dev: rate × duration iterations, each started or dropped', async () => {
    // 50/s is well under the example stage's throttle (500/s); enough VUs to ride out cold starts.
    const result = await runLoadTest(
      {
        options: {
          scenarios: {
            steady: {
              executor: 'constant-arrival-rate',
              rate: 50,
              duration: '2s',
              preAllocatedVUs: 5,
              maxVUs: 30,
            },
          },
        },
        // Not /health: the example's checks its table within 1 s (Route 53's budget), so up to 30
        // environments starting at once on a loaded machine could answer 503; GET /orders answers
        // 200 however slow, and this test counts iterations.
        steps: [{ path: '/orders' }],
      },
      { baseUrl: localTarget(dev.config, dev.port).baseUrl, workers: 1 },
    );
    const started = result.metrics.iterations.values.count;
    assert.equal(started + result.scenarios[0].dropped, 100, '50/s × 2 s, each started or dropped');
    assert.ok(started > 0);
    assert.deepEqual(result.statuses, { 200: started });
  });

  test('summary percentiles equal a brute-force computation over every sample gantry dev answered', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gantry-load-')), 'samples.json');
    const result = await runLoadTest(
      { options: { vus: 3, duration: '1s' }, steps: [{ path: '/orders' }, { sleep: 0.005 }] },
      { baseUrl: localTarget(dev.config, dev.port).baseUrl, workers: 1, jsonOut: file },
    );
    const durations = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((l) => l.type === 'Point' && l.metric === 'http_req_duration')
      .map((l) => l.data.value as number)
      .sort((a, b) => a - b);
    const v = result.metrics.http_req_duration.values;
    assert.equal(durations.length, result.metrics.http_reqs.values.count);
    assert.ok(durations.length > 20, `${durations.length} samples`);
    assert.equal(v.min, durations[0]);
    assert.equal(v.max, durations.at(-1));
    for (const [stat, p] of [
      ['med', 50],
      ['p(90)', 90],
      ['p(95)', 95],
    ] as const) {
      assertClose(v[stat], nearestRank(durations, p), stat);
    }
  });
});

describe('dropped iterations against gantry dev', () => {
  // A 150 ms function capped at 3 concurrent executions.
  let slowDev: DevServer;
  before(async () => {
    const config = await loadConfig(fileURLToPath(new URL('./fixtures/scale-api/api.config.ts', import.meta.url)));
    slowDev = await startDevServer(config, { port: 0, storePort: 0, dataDir: null, watch: false, consolePort: false });
  });
  after(() => slowDev?.close());

  test('counts dropped iterations when the function is slower than the rate', async () => {
    // 2 VUs, each busy ≥ 150 ms per iteration: at most 2 × (1000/150 + 1) = 15 can start in 1 s, of 60.
    const result = await runLoadTest(
      {
        options: {
          scenarios: {
            flood: { executor: 'constant-arrival-rate', rate: 60, duration: '1s', preAllocatedVUs: 2, maxVUs: 2 },
          },
          thresholds: { dropped_iterations: ['count==0'] },
        },
        steps: [{ path: '/slow' }],
      },
      { baseUrl: slowDev.url, workers: 1 },
    );
    const { completed, interrupted, dropped } = result.scenarios[0];
    assert.equal(completed + interrupted + dropped, 60, 'every scheduled iteration is accounted for');
    assert.ok(completed <= 15, `completed ${completed} ≤ 15`);
    assert.ok(dropped >= 45, `dropped ${dropped} ≥ 45`);
    assert.equal(result.metrics.dropped_iterations.values.count, dropped);
    assert.equal(result.exitCode, 99);
  });
});
