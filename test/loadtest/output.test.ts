import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { WorkerRecorder } from '../../src/loadtest/engine/recorder.ts';
import { renderHtmlReport, renderSummary, resolveScenario, toK6Script } from '../../src/loadtest/index.ts';
import { RunAggregate } from '../../src/loadtest/metrics/aggregate.ts';
import { formatBytes } from '../../src/loadtest/output/format.ts';
import { formatProgress } from '../../src/loadtest/output/progress.ts';
import { requestSteps } from '../../src/loadtest/plan.ts';
import { buildResult } from '../../src/loadtest/result.ts';

const plan = resolveScenario(
  {
    options: {
      vus: 2,
      duration: '2s',
      thresholds: {
        http_req_duration: ['p(95)<1'],
        http_req_failed: ['rate<0.01'],
        'http_req_duration{name:list}': ['max<2'],
      },
    },
    steps: [
      {
        path: '/orders',
        name: 'list',
        checks: { 'status is 200': { status: 200 }, 'fast <script>': { maxDuration: 0.5 } },
      },
      { sleep: 0.1 },
    ],
  },
  'test.ts',
  { baseUrl: 'http://127.0.0.1:3000/api' },
);

/** Two intervals of measured samples: 0.1..1 ms, one 503 in the second. */
function result() {
  const [list] = requestSteps(plan.scenarios[0]);
  const recorder = new WorkerRecorder(plan.scenarios, false, 0);
  const agg = new RunAggregate(plan, 1, 1000);
  for (let i = 1; i <= 10; i++) {
    recorder.request(0, list, 200, i / 10, false);
    recorder.check(0, list, 0, true);
    recorder.check(0, list, 1, i / 10 < 0.5);
    recorder.iteration(0, 'completed', 100 + i / 10, 'default');
  }
  agg.add(recorder.snapshot(0, false, { elapsedMs: 1000, vus: 2, vusMax: 2, bytesReceived: 1000, bytesSent: 500 }));
  recorder.request(0, list, 503, 0.2, true);
  recorder.check(0, list, 0, false);
  recorder.check(0, list, 1, true);
  recorder.iteration(0, 'completed', 100.2, 'default');
  agg.add(
    recorder.snapshot(1, true, { elapsedMs: 2000, vus: 2, vusMax: 2, bytesReceived: 2_500_000, bytesSent: 1200 }),
  );
  agg.flush();
  return buildResult(agg, { startEpochMs: Date.UTC(2026, 10, 24, 12), durationMs: 2000 });
}

describe('end-of-run summary', () => {
  test('prints thresholds, checks and metrics in k6’s layout', () => {
    const text = renderSummary(result());
    const lines = text.split('\n');
    const at = (prefix: string) => lines.find((l) => l.trimStart().startsWith(prefix))?.trim();
    // 11 samples: rank ⌈0.95 × 11⌉ = 11, the largest, 1 ms: not below 1.
    assert.equal(at("✗ 'p(95)<1'"), "✗ 'p(95)<1' p(95)=1ms");
    assert.equal(at("✗ 'rate<0.01'"), "✗ 'rate<0.01' rate=9.09%");
    assert.equal(at("✓ 'max<2'"), "✓ 'max<2' max=1ms");
    assert.equal(at('checks_total'), 'checks_total............................: 22  11/s');
    assert.equal(at('checks_succeeded'), 'checks_succeeded........................: 68.18% 15 out of 22');
    assert.equal(at('checks_failed'), 'checks_failed...........................: 31.82% 7 out of 22');
    assert.equal(at('✗ status is 200'), '✗ status is 200');
    assert.equal(at('↳  91%'), '↳  91% — ✓ 10 / ✗ 1');
    assert.equal(at('✗ fast <script>'), '✗ fast <script>');
    assert.equal(at('↳  45%'), '↳  45% — ✓ 5 / ✗ 6');
    assert.equal(
      at('http_req_duration...'),
      'http_req_duration.......................: avg=518.18µs min=100µs med=500µs max=1ms p(90)=900µs p(95)=1ms',
    );
    assert.equal(
      at('{ expected_response:true }'),
      '{ expected_response:true }............: avg=550µs min=100µs med=500µs max=1ms p(90)=900µs p(95)=1ms',
    );
    assert.equal(at('http_req_failed.'), 'http_req_failed.........................: 9.09% 1 out of 11');
    assert.equal(at('http_reqs.'), 'http_reqs...............................: 11  5.5/s');
    assert.equal(at('iterations.'), 'iterations..............................: 11  5.5/s');
    assert.equal(at('vus_max'), 'vus_max.................................: 2  min=2 max=2');
    assert.equal(at('data_received'), 'data_received...........................: 2.5 MB 1.3 MB/s');
    assert.equal(at('statuses'), 'statuses................................: 200×10 503×1');
    assert.equal(at('data_sent'), 'data_sent...............................: 1.2 kB 600 B/s');
    assert.equal(
      at('✗ thresholds failed'),
      '✗ thresholds failed: http_req_duration: p(95)<1; http_req_failed: rate<0.01 (exit code 99)',
    );
    assert.equal(at('running'), 'running (2s), 11 complete and 0 interrupted iterations');
  });

  test('the live line', () => {
    assert.equal(
      formatProgress({
        elapsedMs: 12_000,
        plannedMs: 30_000,
        vus: 50,
        rps: 47.04,
        p95Ms: 12.345,
        requests: 564,
        failed: 3,
        iterations: 560,
        dropped: 0,
      }),
      'running 12s/30s  VUs 50  req/s 47  p95 12.35ms  errors 0.53% (3)  iterations 560',
    );
  });
});

describe('HTML report', () => {
  test('is one self-contained file with latency-over-time and histogram plots', () => {
    const html = renderHtmlReport(result(), { title: 'seed', target: 'http://127.0.0.1:3000/api' });
    assert.match(html, /^<!doctype html>/);
    assert.ok(!/<script|<link|src=|@import|url\(/i.test(html), 'nothing loaded from elsewhere');
    const external = html
      .match(/https?:\/\/[^\s"'<]+/g)
      ?.filter((u) => u !== 'http://www.w3.org/2000/svg' && !u.startsWith('http://127.0.0.1:3000'));
    assert.deepEqual(external, []);
    const p95 = /<polyline [^>]*points="([^"]+)" data-series="p95"\/>/.exec(html);
    assert.ok(p95, 'a p95 line');
    assert.equal(p95[1].split(' ').length, 2, 'one point per interval');
    assert.equal((html.match(/class="bar"/g) ?? []).length, 40, 'histogram bins');
    assert.ok(html.includes('fast &lt;script&gt;'), 'check names are escaped');
    assert.ok(html.includes('✗ thresholds failed (exit code 99)'));
    assert.ok(html.includes('<td>http_req_failed</td><td>rate&lt;0.01</td><td class="n">rate=9.09%</td>'));
  });
});

describe('k6 script export', () => {
  test('writes the equivalent k6 script, which parses as JavaScript', () => {
    const scenario = resolveScenario(
      {
        options: {
          scenarios: {
            browse: { executor: 'constant-vus', vus: 50, duration: '30s' },
            spike: {
              executor: 'ramping-arrival-rate',
              startRate: 10,
              preAllocatedVUs: 10,
              maxVUs: 100,
              startTime: '30s',
              stages: [{ duration: '1m', target: 200 }],
              steps: [
                {
                  method: 'POST',
                  path: '/orders/{{vu}}-{{iter}}',
                  // biome-ignore lint/suspicious/noTemplateCurlyInString: k6 script text, or a body that must be escaped in it
                  body: { note: 'a `quoted` ${x}' },
                  expectedStatuses: [201, { min: 400, max: 404 }],
                },
              ],
            },
          },
          thresholds: {
            http_req_duration: ['p(95)<200'],
            http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }],
          },
        },
        steps: [
          {
            path: '/orders',
            name: 'list',
            tags: { kind: 'read' },
            checks: {
              'status is 200': { status: 200 },
              fast: { maxDuration: 200 },
              'has orders': { bodyIncludes: 'orders', bodyMatches: '^\\{' },
            },
          },
          { sleep: [0.5, 1.5] },
        ],
      },
      'test.ts',
      { baseUrl: 'http://127.0.0.1:3000/api' },
    );
    const script = toK6Script(scenario, { baseUrl: 'http://127.0.0.1:3000/api', source: 'test.ts' });
    assert.ok(script.includes('const BASE_URL = __ENV.BASE_URL || "http://127.0.0.1:3000/api";'));
    assert.ok(script.includes('"executor": "ramping-arrival-rate"'));
    assert.ok(script.includes('"exec": "scenario_spike"'));
    assert.ok(script.includes('"startTime": "30s"'));
    assert.ok(
      script.includes('"threshold": "rate<0.01",\n        "abortOnFail": true,\n        "delayAbortEval": "10s"'),
    );
    assert.ok(
      script.includes(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: k6 script text, or a body that must be escaped in it
        'const res = http.request("GET", `${BASE_URL}/orders`, null, { tags: {"name":"list","kind":"read"} });',
      ),
    );
    assert.ok(script.includes('"status is 200": (r) => r.status === 200,'));
    assert.ok(script.includes('"fast": (r) => r.timings.duration < 200,'));
    assert.ok(
      script.includes(
        '"has orders": (r) => String(r.body).includes("orders") && new RegExp("^\\\\{").test(String(r.body)),',
      ),
    );
    assert.ok(script.includes('sleep(0.5 + Math.random() * 1);'));
    assert.ok(
      script.includes(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: k6 script text, or a body that must be escaped in it
        'http.request("POST", `${BASE_URL}/orders/${__VU}-${__ITER}`, `{"note":"a \\`quoted\\` \\${x}"}`, { headers: {"content-type":"application/json"}, responseCallback: http.expectedStatuses(201, { min: 400, max: 404 }) });',
      ),
    );
    const file = join(mkdtempSync(join(tmpdir(), 'gantry-k6-')), 'k6.mjs');
    writeFileSync(file, script);
    // Syntax only (k6's modules do not exist here): node --check parses the module without running it.
    execFileSync(process.execPath, ['--check', file]);
  });
});

describe('data rates', () => {
  test('bytes per second below 1 kB print whole, as k6 does (not 717.0231968512111 B/s)', () => {
    assert.equal(formatBytes(717.0231968512111), '717 B');
    assert.equal(formatBytes(2.25), '2.3 B');
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(58_612), '58.6 kB');
  });
});
