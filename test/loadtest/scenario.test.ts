import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, resolveScenario, ScenarioError } from '../../src/loadtest/index.ts';
import { formatDuration, parseDuration } from '../../src/loadtest/scenario/duration.ts';

const base = { baseUrl: 'http://127.0.0.1:3000/api' };

function problemsOf(raw: unknown): string[] {
  try {
    resolveScenario(raw, 'test.ts', base);
  } catch (error) {
    assert.ok(error instanceof ScenarioError);
    return error.problems;
  }
  assert.fail('expected a ScenarioError');
}

describe('durations', () => {
  test('parses k6 duration strings', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1.5m'), 90_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration(10), 10_000);
    assert.equal(parseDuration('10'), 10_000);
    assert.equal(parseDuration('10 s'), undefined);
    assert.equal(parseDuration('s'), undefined);
    assert.equal(parseDuration(''), undefined);
    assert.equal(parseDuration(-1), undefined);
  });

  test('formats durations as k6 prints them', () => {
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(500), '500ms');
    assert.equal(formatDuration(30_000), '30s');
    assert.equal(formatDuration(1500), '1.5s');
    assert.equal(formatDuration(3_600_000), '1h');
  });
});

describe('resolveScenario', () => {
  test('vus + duration become a constant-vus scenario named default, with the target and k6 defaults', () => {
    const plan = resolveScenario(
      { options: { vus: 5, duration: '10s' }, steps: [{ path: '/orders' }, { sleep: 1 }] },
      'test.ts',
      base,
    );
    assert.equal(plan.scenarios.length, 1);
    const [scenario] = plan.scenarios;
    assert.equal(scenario.name, 'default');
    assert.deepEqual(scenario.executor, { type: 'constant-vus', vus: 5, durationMs: 10_000 });
    assert.equal(scenario.gracefulStopMs, 30_000);
    assert.deepEqual(scenario.steps[0], {
      kind: 'request',
      index: 0,
      method: 'GET',
      url: 'http://127.0.0.1:3000/api/orders',
      path: '/orders',
      headers: { 'user-agent': 'gantry-load/0.1' },
      body: undefined,
      tags: {
        scenario: 'default',
        name: 'http://127.0.0.1:3000/api/orders',
        method: 'GET',
        url: 'http://127.0.0.1:3000/api/orders',
      },
      stepTags: {},
      checks: [],
      expectedStatuses: [[200, 399]],
      timeoutMs: 60_000,
    });
    assert.deepEqual(scenario.steps[1], { kind: 'sleep', minMs: 1000, maxMs: 1000 });
    assert.deepEqual(plan.summaryTrendStats, ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
    assert.equal(plan.durationMs, 10_000);
  });

  test('stages become ramping-vus starting at vus (default 1)', () => {
    const plan = resolveScenario(
      {
        options: {
          stages: [
            { duration: '5s', target: 10 },
            { duration: '1m', target: 0 },
          ],
        },
        steps: [{ path: '/' }],
      },
      'test.ts',
      base,
    );
    assert.deepEqual(plan.scenarios[0].executor, {
      type: 'ramping-vus',
      startVUs: 1,
      stages: [
        { durationMs: 5000, target: 10 },
        { durationMs: 60_000, target: 0 },
      ],
      gracefulRampDownMs: 30_000,
    });
    assert.equal(plan.durationMs, 65_000);
  });

  test('scenarios keep their executors, start times and own steps; JSON bodies get a content-type', () => {
    const plan = resolveScenario(
      {
        options: {
          scenarios: {
            spike: {
              executor: 'ramping-arrival-rate',
              preAllocatedVUs: 5,
              maxVUs: 50,
              startTime: '10s',
              stages: [{ duration: '20s', target: 100 }],
              tags: { phase: 'spike' },
              steps: [{ method: 'POST', path: '/orders', body: { item: 'x' }, name: 'create' }],
            },
          },
        },
      },
      'test.ts',
      base,
    );
    const [spike] = plan.scenarios;
    assert.deepEqual(spike.executor, {
      type: 'ramping-arrival-rate',
      startRate: 0,
      stages: [{ durationMs: 20_000, target: 100 }],
      timeUnitMs: 1000,
      preAllocatedVUs: 5,
      maxVUs: 50,
    });
    assert.equal(spike.startTimeMs, 10_000);
    assert.equal(plan.durationMs, 30_000);
    const step = spike.steps[0];
    assert.equal(step.kind, 'request');
    if (step.kind !== 'request') return;
    assert.equal(step.body, '{"item":"x"}');
    assert.equal(step.headers['content-type'], 'application/json');
    assert.equal(step.tags.phase, 'spike');
    assert.equal(step.tags.name, 'create');
    assert.deepEqual(step.stepTags, { name: 'create' });
  });

  test('--vus / --duration replace the executors, as k6 flags do', () => {
    const plan = resolveScenario(
      { options: { stages: [{ duration: '1m', target: 100 }] }, steps: [{ path: '/' }] },
      'test.ts',
      {
        ...base,
        vus: 3,
        duration: '5s',
      },
    );
    assert.deepEqual(plan.scenarios[0].executor, { type: 'constant-vus', vus: 3, durationMs: 5000 });
    const seedLike = resolveScenario({ options: { vus: 50, duration: '30s' }, steps: [{ path: '/' }] }, 'test.ts', {
      ...base,
      duration: '5s',
    });
    assert.deepEqual(seedLike.scenarios[0].executor, { type: 'constant-vus', vus: 50, durationMs: 5000 });
  });

  test('--vus / --duration apply to every scenario of the file, each keeping its own steps', () => {
    const plan = resolveScenario(
      {
        options: {
          scenarios: {
            browse: { executor: 'constant-vus', vus: 10, duration: '1m', steps: [{ path: '/orders' }] },
            buy: {
              executor: 'constant-arrival-rate',
              rate: 5,
              duration: '1m',
              preAllocatedVUs: 2,
              steps: [{ method: 'POST', path: '/orders' }],
            },
          },
        },
      },
      'test.ts',
      { ...base, vus: 2, duration: '3s' },
    );
    assert.deepEqual(
      plan.scenarios.map((s) => [s.name, s.executor, s.steps.map((step) => 'method' in step && step.method)]),
      [
        ['browse', { type: 'constant-vus', vus: 2, durationMs: 3000 }, ['GET']],
        ['buy', { type: 'constant-vus', vus: 2, durationMs: 3000 }, ['POST']],
      ],
    );
  });

  test('names the field and the expectation for each problem', () => {
    assert.deepEqual(problemsOf({ options: { vus: 10, duratoin: '30s' }, steps: [{ path: '/' }] }), [
      'options: unknown field "duratoin"',
    ]);
    assert.deepEqual(problemsOf({ options: { vus: 10, duration: '30 seconds' }, steps: [{ path: '/' }] }), [
      'options.duration: expected a duration like "30s", "1m30s", "500ms" or a number of seconds',
    ]);
    assert.deepEqual(
      problemsOf({ options: { scenarios: { a: { executor: 'per-vu-iterations', vus: 1 } } }, steps: [{ path: '/' }] }),
      [
        'options.scenarios.a.executor: expected executor to be one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate',
      ],
    );
    assert.deepEqual(problemsOf({ options: { vus: 1, duration: '1s' }, steps: [{ path: 'orders' }] }), [
      'steps[0].path: expected a path starting with "/"',
    ]);
    assert.deepEqual(problemsOf({ options: { vus: 1, duration: '1s' }, steps: [{ sleep: 1, path: '/' }] }), [
      'steps[0]: unknown field "path"',
    ]);
    assert.deepEqual(problemsOf({ options: { vus: 1, duration: '1s' }, steps: [{ sleep: 1 }] }), [
      'steps: expected at least one request step, e.g. { "path": "/health" }',
    ]);
    assert.deepEqual(problemsOf({ options: { vus: 1 }, steps: [{ path: '/' }] }), [
      'options: expected vus + duration, stages, or scenarios (e.g. { "vus": 10, "duration": "30s" })',
    ]);
    assert.deepEqual(
      problemsOf({
        options: {
          scenarios: {
            a: { executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 5, maxVUs: 2 },
          },
        },
        steps: [{ path: '/' }],
      }),
      ['options.scenarios.a.maxVUs: expected at least preAllocatedVUs (5), got 2'],
    );
    assert.deepEqual(problemsOf({ options: { vus: 1, duration: '1s' }, steps: [{ path: '/', url: 'http://x' }] }), [
      'steps[0]: expected exactly one of path or url',
    ]);
  });

  test('reports threshold problems with the metric and the accepted aggregations', () => {
    const problems = problemsOf({
      options: {
        vus: 1,
        duration: '1s',
        thresholds: {
          http_req_duraton: ['p(95)<200'],
          http_req_failed: ['p(95)<0.01'],
          http_req_duration: ['p95<200'],
          'vus{scenario:a}': ['value<10'],
        },
      },
      steps: [{ path: '/' }],
    });
    assert.equal(problems.length, 4);
    assert.match(
      problems[0],
      /^options\.thresholds\["http_req_duraton"\]: unknown metric "http_req_duraton" \(known: http_req_duration, /,
    );
    assert.equal(
      problems[1],
      'options.thresholds["http_req_failed"][0]: "p(95)<0.01": expected "<aggregation> <operator> <number>" with aggregation rate for http_req_failed (a rate), e.g. "rate<0.01"',
    );
    assert.equal(
      problems[2],
      'options.thresholds["http_req_duration"][0]: "p95<200": expected "<aggregation> <operator> <number>" with aggregation avg, min, med, max, p(N) for http_req_duration (a trend), e.g. "p(95)<200"',
    );
    assert.equal(problems[3], 'options.thresholds["vus{scenario:a}"]: vus has no tags to filter on');
  });
});

describe('loading scenario files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-scenario-'));

  test('a TypeScript module with export const options and export default { steps }', async () => {
    const file = join(dir, 'split.ts');
    writeFileSync(
      file,
      "export const options = { vus: 2, duration: '3s' };\nexport default { steps: [{ path: '/health' }] as const };\n",
    );
    const plan = await loadScenarioFile(file, base);
    assert.deepEqual(plan.scenarios[0].executor, { type: 'constant-vus', vus: 2, durationMs: 3000 });
  });

  test('JSON, and a JSON syntax error named as such', async () => {
    writeFileSync(
      join(dir, 'ok.json'),
      JSON.stringify({ options: { vus: 1, duration: '1s' }, steps: [{ path: '/' }] }),
    );
    const plan = await loadScenarioFile('ok.json', base, dir);
    assert.equal(plan.scenarios[0].name, 'default');
    writeFileSync(join(dir, 'bad.json'), '{ "options": ');
    await assert.rejects(loadScenarioFile('bad.json', base, dir), (error: unknown) => {
      assert.ok(error instanceof ScenarioError);
      assert.match(error.problems[0], /^is not valid JSON: /);
      return true;
    });
  });

  test('a missing file and a module that throws give a one-line problem, not a stack trace', async () => {
    await assert.rejects(loadScenarioFile('nope.ts', base, dir), (error: unknown) => {
      assert.ok(error instanceof ScenarioError);
      assert.equal(error.problems[0], `could not be loaded: file not found: ${join(dir, 'nope.ts')}`);
      return true;
    });
    writeFileSync(join(dir, 'throws.ts'), "throw new Error('boom');\nexport default {};\n");
    await assert.rejects(loadScenarioFile('throws.ts', base, dir), /throws\.ts: could not be loaded: boom/);
  });

  test("the orders example's scenarios: the seed's (50 VUs, 30 s, its thresholds and checks) and a ramping arrival rate", async () => {
    const examples = fileURLToPath(new URL('../../examples/orders/load/', import.meta.url));
    const seed = await loadScenarioFile('seed.ts', base, examples);
    assert.deepEqual(seed.scenarios[0].executor, { type: 'constant-vus', vus: 50, durationMs: 30_000 });
    assert.deepEqual(
      seed.thresholds.map((t) => `${t.key}: ${t.source}`),
      ['http_req_duration: p(95)<200', 'http_req_failed: rate<0.01'],
    );
    const post = seed.scenarios[0].steps[0];
    assert.ok(post.kind === 'request');
    assert.deepEqual(
      post.checks.map((c) => c.name),
      ['status is 201', 'duration < 200ms'],
    );
    const ramp = await loadScenarioFile('ramp.json', base, examples);
    assert.equal(ramp.scenarios[0].executor.type, 'ramping-arrival-rate');
    assert.equal(ramp.thresholds.find((t) => t.key === 'http_req_failed')?.abortOnFail, true);
  });
});
