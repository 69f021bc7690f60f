import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkerRecorder } from '../../src/loadtest/engine/recorder.ts';
import { ArrivalSchedule, rampedValueAt, rampingVUsAt } from '../../src/loadtest/engine/schedule.ts';
import { RunAggregate } from '../../src/loadtest/metrics/aggregate.ts';
import { requestSteps } from '../../src/loadtest/plan.ts';
import { resolveScenario } from '../../src/loadtest/scenario/resolve.ts';
import { compare, evaluateThresholds, thresholdsToAbort } from '../../src/loadtest/thresholds/evaluate.ts';
import { parseThresholdExpression, parseThresholdKey } from '../../src/loadtest/thresholds/parse.ts';

describe('threshold syntax', () => {
  test('parses k6 expressions', () => {
    assert.deepEqual(parseThresholdExpression('http_req_duration', 'p(95)<200'), {
      ok: true,
      value: { source: 'p(95)<200', aggregation: { kind: 'percentile', percentile: 95 }, comparison: '<', value: 200 },
    });
    assert.deepEqual(parseThresholdExpression('http_req_duration', ' p(99.9) <= 1.5 '), {
      ok: true,
      value: {
        source: 'p(99.9) <= 1.5',
        aggregation: { kind: 'percentile', percentile: 99.9 },
        comparison: '<=',
        value: 1.5,
      },
    });
    assert.deepEqual(parseThresholdExpression('http_reqs', 'rate>1000'), {
      ok: true,
      value: { source: 'rate>1000', aggregation: { kind: 'rate' }, comparison: '>', value: 1000 },
    });
    assert.equal(parseThresholdExpression('checks', 'avg<1').ok, false);
    assert.equal(parseThresholdExpression('http_req_duration', 'p(101)<1').ok, false);
  });

  test('parses metric keys with tag filters', () => {
    assert.deepEqual(parseThresholdKey('http_req_duration{name:list, status:200}'), {
      ok: true,
      value: { metric: 'http_req_duration', tags: { name: 'list', status: '200' } },
    });
    assert.deepEqual(parseThresholdKey('http_req_duration{ expected_response:true }'), {
      ok: true,
      value: { metric: 'http_req_duration', tags: { expected_response: 'true' } },
    });
    assert.equal(parseThresholdKey('http_req_duration{name}').ok, false);
  });

  test('compares with every k6 operator', () => {
    assert.equal(compare(1, '<', 2), true);
    assert.equal(compare(2, '<', 2), false);
    assert.equal(compare(2, '<=', 2), true);
    assert.equal(compare(3, '>', 2), true);
    assert.equal(compare(2, '>=', 2), true);
    assert.equal(compare(2, '==', 2), true);
    assert.equal(compare(2, '===', 3), false);
    assert.equal(compare(2, '!=', 3), true);
  });
});

describe('threshold evaluation on measured samples', () => {
  // Two steps; "list" answers 200 in 0.1..1 ms, "create" 201 ten times and 500 once, in 0.05 ms. Latencies
  // under 2.048 ms are exact in the HDR histogram (1 µs resolution), so this tests the threshold logic alone.
  const plan = resolveScenario(
    {
      options: {
        vus: 1,
        duration: '10s',
        thresholds: {
          http_req_duration: ['p(95)<2', 'avg<0.5'],
          'http_req_duration{name:list}': ['max<=1', 'med>0.5'],
          http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '5s' }],
          'http_req_failed{name:list}': ['rate==0'],
          http_reqs: ['count==21', 'rate>2'],
          checks: ['rate>0.9'],
          iterations: ['count==10'],
          dropped_iterations: ['count==0'],
          'iteration_duration{scenario:default}': ['min>=0'],
        },
      },
      steps: [
        { path: '/orders', name: 'list' },
        { method: 'POST', path: '/orders', name: 'create', checks: { created: { status: 201 } } },
      ],
    },
    'test.ts',
    { baseUrl: 'http://127.0.0.1:3000' },
  );
  const [list, create] = requestSteps(plan.scenarios[0]);
  const recorder = new WorkerRecorder(plan.scenarios, false, 0);
  for (let i = 1; i <= 10; i++) recorder.request(0, list, 200, i / 10, false);
  for (let i = 0; i < 10; i++) {
    recorder.request(0, create, 201, 0.05, false);
    recorder.check(0, create, 0, true);
    recorder.iteration(0, 'completed', 20, 'default');
  }
  recorder.request(0, create, 500, 0.05, true);
  recorder.check(0, create, 0, false);
  const agg = new RunAggregate(plan, 1, 1000);
  agg.add(recorder.snapshot(0, true, { elapsedMs: 5000, vus: 1, vusMax: 1, bytesReceived: 0, bytesSent: 0 }));

  test('judges each threshold on the right samples', () => {
    const outcomes = evaluateThresholds(plan.thresholds, agg, 5000).map((o) => [
      `${o.threshold.key}: ${o.threshold.source}`,
      o.ok,
      o.actual,
    ]);
    assert.deepEqual(outcomes, [
      // 21 samples: rank ⌈0.95 × 21⌉ = 20 is 0.9 ms.
      ['http_req_duration: p(95)<2', true, 0.9],
      ['http_req_duration: avg<0.5', true, (0.1 + 0.2 + 0.3 + 0.4 + 0.5 + 0.6 + 0.7 + 0.8 + 0.9 + 1 + 11 * 0.05) / 21],
      ['http_req_duration{name:list}: max<=1', true, 1],
      ['http_req_duration{name:list}: med>0.5', false, 0.5],
      ['http_req_failed: rate<0.01', false, 1 / 21],
      ['http_req_failed{name:list}: rate==0', true, 0],
      ['http_reqs: count==21', true, 21],
      ['http_reqs: rate>2', true, 21 / 5],
      ['checks: rate>0.9', true, 10 / 11],
      ['iterations: count==10', true, 10],
      ['dropped_iterations: count==0', true, 0],
      ['iteration_duration{scenario:default}: min>=0', true, 20],
    ]);
  });

  test('abortOnFail waits for delayAbortEval', () => {
    assert.deepEqual(thresholdsToAbort(plan.thresholds, agg, 4999), []);
    assert.deepEqual(
      thresholdsToAbort(plan.thresholds, agg, 5000).map((o) => o.threshold.source),
      ['rate<0.01'],
    );
  });
});

describe('schedules', () => {
  test('ramped values interpolate between stage targets', () => {
    const stages = [
      { durationMs: 1000, target: 10 },
      { durationMs: 1000, target: 10 },
      { durationMs: 2000, target: 0 },
    ];
    assert.equal(rampedValueAt(0, stages, 0), 0);
    assert.equal(rampedValueAt(0, stages, 500), 5);
    assert.equal(rampedValueAt(0, stages, 1500), 10);
    assert.equal(rampedValueAt(0, stages, 3000), 5);
    assert.equal(rampedValueAt(0, stages, 9999), 0);
    assert.equal(rampingVUsAt({ type: 'ramping-vus', startVUs: 0, stages, gracefulRampDownMs: 0 }, 990), 9);
  });

  test('constant arrival rate: iteration k starts at k / rate', () => {
    const s = new ArrivalSchedule({
      type: 'constant-arrival-rate',
      rate: 50,
      timeUnitMs: 1000,
      durationMs: 2000,
      preAllocatedVUs: 1,
      maxVUs: 1,
    });
    assert.equal(s.total, 100);
    assert.equal(s.startOf(0), 0);
    assert.equal(s.startOf(1), 20);
    assert.equal(s.startOf(99), 1980);
    assert.equal(s.startOf(100), undefined);
  });

  test('ramping arrival rate: starts follow the integral of a linear ramp', () => {
    // 0 → 100/s over 10 s: N(t) = t² / 200000 (t in ms), so iteration k starts at √(200000·k).
    const s = new ArrivalSchedule({
      type: 'ramping-arrival-rate',
      startRate: 0,
      timeUnitMs: 1000,
      stages: [
        { durationMs: 10_000, target: 100 },
        { durationMs: 5000, target: 100 },
        { durationMs: 0, target: 7 },
        { durationMs: 2000, target: 0 },
      ],
      preAllocatedVUs: 1,
      maxVUs: 1,
    });
    assert.equal(s.total, 500 + 500 + 7);
    for (const k of [1, 50, 200, 499]) assert.ok(Math.abs(s.startOf(k)! - Math.sqrt(200_000 * k)) < 1e-6, `k=${k}`);
    assert.equal(s.startOf(500), 10_000);
    assert.equal(s.startOf(750), 12_500);
    // The last stage ramps 7/s → 0 over 2 s: 7 iterations; the first starts at 15 s.
    assert.equal(s.startOf(1000), 15_000);
    assert.ok(s.startOf(1006)! < 17_000);
    assert.equal(s.startOf(1007), undefined);
  });
});
