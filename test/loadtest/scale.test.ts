import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeScaleReport, renderScaleReport } from '../../src/loadtest/index.ts';
import type { TimelinePoint } from '../../src/loadtest/metrics/aggregate.ts';
import { fetchStatus, parseStatus, type StatusSample } from '../../src/loadtest/scale/status.ts';
import { startServer } from './helpers.ts';

const START = 1_800_000_000_000;

function fn(alive: number, busy: number, invocations: number, coldStarts: number, throttles = 0) {
  return {
    name: 'orders',
    memoryMb: 256,
    timeoutSeconds: 10,
    reservedConcurrency: 4,
    provisionedConcurrency: 0,
    provisionedInvocations: 0,
    spilloverInvocations: invocations,
    environments: { alive, busy, idle: alive - busy },
    invocations,
    coldStarts,
    throttles,
    errors: 0,
  };
}

const idle = { ...fn(0, 0, 0, 0), name: 'health', reservedConcurrency: null, memoryMb: 128, timeoutSeconds: 3 };

function point(t: number, rps: number, p95Ms: number, avgMs = 10): TimelinePoint {
  return {
    t,
    seconds: 1,
    requests: rps,
    failed: 0,
    rps,
    avgMs,
    p50Ms: p95Ms / 2,
    p95Ms,
    p99Ms: p95Ms,
    maxMs: p95Ms * 2,
    vus: 10,
    iterations: rps,
    dropped: 0,
    checksFailed: 0,
  };
}

// Samples every 500 ms: cold starts in seconds 1 and 2, alive grows 0 → 4, throttles at 4 busy in second 4.
const samples: StatusSample[] = [
  { at: START - 100, functions: [fn(0, 0, 0, 0), idle] },
  { at: START + 500, functions: [fn(2, 2, 10, 2), idle] },
  { at: START + 1000, functions: [fn(2, 1, 40, 2), idle] },
  { at: START + 1500, functions: [fn(4, 3, 80, 4), idle] },
  { at: START + 2000, functions: [fn(4, 2, 130, 4), idle] },
  { at: START + 2500, functions: [fn(4, 2, 180, 4), idle] },
  { at: START + 3000, functions: [fn(4, 3, 230, 4), idle] },
  { at: START + 3500, functions: [fn(4, 4, 280, 4, 3), idle] },
  { at: START + 4000, functions: [fn(4, 4, 330, 4, 5), idle] },
];
const timeline = [point(1, 40, 80), point(2, 90, 60), point(3, 100, 20), point(4, 100, 22)];

describe('scale report', () => {
  const report = computeScaleReport(samples, timeline, START);
  const orders = report.functions.find((f) => f.name === 'orders')!;

  test('counts over the run come from the counters’ deltas', () => {
    assert.equal(report.samples, 9);
    assert.equal(report.sampleIntervalMs, 512.5);
    assert.deepEqual(
      {
        invocations: orders.invocations,
        coldStarts: orders.coldStarts,
        throttles: orders.throttles,
        errors: orders.errors,
      },
      { invocations: 330, coldStarts: 4, throttles: 5, errors: 0 },
    );
    assert.equal(orders.peakBusy, 4);
    assert.equal(orders.peakAlive, 4);
    assert.equal(orders.aliveBefore, 0);
  });

  test('time to scale runs from the first invocation to the peak of environments', () => {
    // First invocation between −0.1 s and 0.5 s (midpoint 0.2 s); 4 alive first seen at 1.5 s.
    assert.equal(orders.firstInvocationS, 0.2);
    assert.equal(orders.timeToPeakS, 1.3);
    assert.equal(orders.lastColdStartS, 1.25);
  });

  test('throttles at reservedConcurrency are recognised as such', () => {
    assert.equal(orders.throttledAtReserved, true);
    assert.equal(orders.firstThrottleS, 3.25);
  });

  test('environments still initialising count as in use when judging throttles', () => {
    // busy 1 of reservedConcurrency 4, but 3 more environments initialising (neither busy nor idle).
    const initialising = (throttles: number) => ({
      ...fn(4, 1, 10, 1, throttles),
      environments: { alive: 4, busy: 1, idle: 0 },
    });
    const quiet = { ...fn(4, 1, 10, 1, 2), environments: { alive: 4, busy: 1, idle: 3 } };
    const at = computeScaleReport(
      [
        { at: START, functions: [fn(0, 0, 0, 0)] },
        { at: START + 500, functions: [initialising(0)] },
        { at: START + 1000, functions: [initialising(2)] },
      ],
      timeline,
      START,
    );
    assert.equal(at.functions[0].throttledAtReserved, true);
    const below = computeScaleReport(
      [
        { at: START, functions: [{ ...fn(0, 0, 0, 0), environments: { alive: 4, busy: 0, idle: 4 } }] },
        { at: START + 500, functions: [quiet] },
      ],
      timeline,
      START,
    );
    assert.equal(below.functions[0].throttledAtReserved, false);
    assert.ok(
      renderScaleReport(below).includes(
        'throttles: 2, from 0.3s, with sampled concurrency below reservedConcurrency 4: the account concurrency limit, or a burst between two samples',
      ),
    );
  });

  test('cold-start impact compares the p95 of intervals with and without cold starts', () => {
    assert.deepEqual(orders.coldStartImpact, {
      intervalsWithColdStarts: 2,
      intervalsWithout: 2,
      p95WithMs: 70,
      p95WithoutMs: 21,
      maxWithMs: 160,
    });
  });

  test('the timeline follows concurrency against the load', () => {
    assert.deepEqual(
      report.timeline.map((p) => [p.t, p.demand, p.functions.orders]),
      [
        [1, 0.4, { busy: 2, alive: 2, coldStarts: 2, throttles: 0 }],
        [2, 0.9, { busy: 3, alive: 4, coldStarts: 2, throttles: 0 }],
        [3, 1, { busy: 3, alive: 4, coldStarts: 0, throttles: 0 }],
        [4, 1, { busy: 4, alive: 4, coldStarts: 0, throttles: 5 }],
      ],
    );
  });

  test('renders a text section naming each finding', () => {
    const text = renderScaleReport(report);
    assert.ok(text.includes('orders  (reservedConcurrency=4, 256 MB)'));
    assert.ok(text.includes('invocations 330  cold starts 4  throttles 5  errors 0'));
    assert.ok(text.includes('concurrency: peak 4 busy, 4 environments alive (0 before the run)'));
    assert.ok(text.includes('time to scale: 1.3s from the first invocation to 4 environments'));
    assert.ok(
      text.includes(
        'cold starts: in 2 of 4 intervals, last at 1.3s; p95 there 70ms vs 21ms elsewhere (+49ms), worst 160ms',
      ),
    );
    assert.ok(text.includes('throttles: 5, from 3.3s, at reservedConcurrency 4 (TooManyRequestsException)'));
    assert.ok(!text.includes('health'), 'functions the run did not touch are left out');
    assert.ok(!text.includes('provisioned concurrency'), 'nothing about provisioned concurrency without it');
  });

  test('with provisioned concurrency it shows provisioned against spilled-over invocations', () => {
    const provisioned = (invocations: number, onProvisioned: number, coldStarts: number) => ({
      ...fn(6, 0, invocations, coldStarts),
      reservedConcurrency: 10,
      provisionedConcurrency: 5,
      provisionedInvocations: onProvisioned,
      spilloverInvocations: invocations - onProvisioned,
    });
    const withIt = computeScaleReport(
      [
        { at: START - 100, functions: [provisioned(0, 0, 0)] },
        { at: START + 1000, functions: [provisioned(120, 100, 1)] },
      ],
      [point(1, 120, 20)],
      START,
    );
    const [orders] = withIt.functions;
    assert.deepEqual([orders.provisionedInvocations, orders.spilloverInvocations], [100, 20]);
    assert.ok(
      renderScaleReport(withIt).includes(
        'provisioned concurrency 5: 100 invocations on provisioned environments, 20 spilled over to on-demand ones (1 cold starts)',
      ),
    );
  });

  test('a console older than provisioned concurrency still parses (none)', () => {
    const { provisionedConcurrency: _p, provisionedInvocations: _i, spilloverInvocations: _s, ...old } = fn(1, 0, 1, 1);
    const [parsed] = parseStatus({ functions: [old] }) as ReturnType<typeof fn>[];
    assert.deepEqual([parsed.provisionedConcurrency, parsed.provisionedInvocations], [0, 0]);
  });
});

describe('console status', () => {
  test('parses the console’s status and names a mismatch', () => {
    assert.deepEqual(parseStatus({ functions: [fn(1, 0, 1, 1)], api: {}, routes: [], time: 1 }), [fn(1, 0, 1, 1)]);
    assert.equal(
      parseStatus({ functions: [{ name: 'x' }] }),
      'functions.0.memoryMb: Invalid input: expected number, received undefined',
    );
  });

  test('an unreachable console is an error naming the flag to fix it', async () => {
    const gone = await startServer(() => {});
    await gone.close();
    await assert.rejects(
      fetchStatus(gone.url),
      new RegExp(
        `^LoadTestError: cannot read ${gone.url}/api/status \\(ECONNREFUSED\\): --scale-report needs gantry dev's console`,
      ),
    );
  });
});
