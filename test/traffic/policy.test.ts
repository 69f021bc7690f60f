import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pick, select, validatePolicy } from '../../src/traffic/policy.ts';
import type { EndpointHealth, RoutingPolicy, TrafficEndpoint } from '../../src/traffic/types.ts';

const A: TrafficEndpoint = { id: 'us-east-1', url: 'http://a' };
const B: TrafficEndpoint = { id: 'us-west-2', url: 'http://b' };
const C: TrafficEndpoint = { id: 'eu-west-1', url: 'http://c' };

function healthOf(map: Record<string, boolean>, latency: Record<string, number> = {}) {
  return (id: string): EndpointHealth => ({ healthy: map[id] ?? true, latencyMs: latency[id] });
}

function ids(policy: RoutingPolicy, endpoints: TrafficEndpoint[], health: Record<string, boolean>) {
  const s = select(policy, endpoints, healthOf(health));
  return { serving: s.candidates.map((e) => e.id), lastResort: s.lastResort };
}

describe('Route 53 failover records', () => {
  const failover: RoutingPolicy = { type: 'failover' };
  const cases: [string, Record<string, boolean>, string, boolean][] = [
    ['primary healthy ⇒ primary', { 'us-east-1': true, 'us-west-2': true }, 'us-east-1', false],
    ['primary healthy, secondary not ⇒ primary', { 'us-east-1': true, 'us-west-2': false }, 'us-east-1', false],
    ['primary unhealthy ⇒ secondary', { 'us-east-1': false, 'us-west-2': true }, 'us-west-2', false],
    ['both unhealthy ⇒ primary', { 'us-east-1': false, 'us-west-2': false }, 'us-east-1', true],
  ];
  for (const [name, health, expected, lastResort] of cases) {
    it(name, () => assert.deepEqual(ids(failover, [A, B], health), { serving: [expected], lastResort }));
  }

  it('a secondary without a health check is served whenever the primary is unhealthy', () => {
    const unchecked = { ...B, healthCheck: false };
    assert.deepEqual(ids(failover, [A, unchecked], { 'us-east-1': false, 'us-west-2': false }).serving, ['us-west-2']);
  });

  it('an explicit order sets the priority; a fallback answers when nothing is healthy', () => {
    assert.deepEqual(ids({ type: 'failover', order: ['us-west-2'] }, [A, B], {}).serving, ['us-west-2']);
    const down = { 'us-east-1': false, 'us-west-2': false, 'eu-west-1': false };
    assert.deepEqual(ids({ type: 'failover', fallback: 'eu-west-1' }, [A, B, C], down), {
      serving: ['eu-west-1'],
      lastResort: true,
    });
  });
});

describe('Route 53 weighted records', () => {
  it('shares follow weight / Σ weights of healthy non-zero records', () => {
    const s = select({ type: 'weighted', weights: { 'us-east-1': 3, 'us-west-2': 1 } }, [A, B], healthOf({}));
    assert.equal(pick(s, 0).id, 'us-east-1');
    assert.equal(pick(s, 0.74).id, 'us-east-1');
    assert.equal(pick(s, 0.75).id, 'us-west-2');
    assert.equal(pick(s, 0.999).id, 'us-west-2');
  });

  it('all weights zero ⇒ equal shares', () => {
    const s = select({ type: 'weighted', weights: {} }, [A, B], healthOf({}));
    assert.equal(pick(s, 0.49).id, 'us-east-1');
    assert.equal(pick(s, 0.5).id, 'us-west-2');
  });

  it('a zero-weight record answers only when every non-zero record is unhealthy', () => {
    const policy: RoutingPolicy = { type: 'weighted', weights: { 'us-east-1': 10, 'us-west-2': 0 } };
    assert.deepEqual(ids(policy, [A, B], {}).serving, ['us-east-1']);
    assert.deepEqual(ids(policy, [A, B], { 'us-east-1': false }).serving, ['us-west-2']);
  });

  it('no healthy record ⇒ all are treated as healthy, by their weights', () => {
    const policy: RoutingPolicy = { type: 'weighted', weights: { 'us-east-1': 1, 'us-west-2': 1 } };
    assert.deepEqual(ids(policy, [A, B], { 'us-east-1': false, 'us-west-2': false }), {
      serving: ['us-east-1', 'us-west-2'],
      lastResort: true,
    });
  });

  it('an unhealthy record is never answered while another is healthy', () => {
    const s = select(
      { type: 'weighted', weights: { 'us-east-1': 255, 'us-west-2': 1 } },
      [A, B],
      healthOf({ 'us-east-1': false }),
    );
    for (const r of [0, 0.3, 0.99]) assert.equal(pick(s, r).id, 'us-west-2');
  });
});

describe('latency records', () => {
  it('the healthy endpoint with the lowest latency, given or measured', () => {
    const measured = select({ type: 'latency' }, [A, B], healthOf({}, { 'us-east-1': 9, 'us-west-2': 3 }));
    assert.equal(pick(measured, 0).id, 'us-west-2');
    const given = select({ type: 'latency', latencyMs: { 'us-east-1': 1 } }, [A, B], healthOf({}, { 'us-west-2': 3 }));
    assert.equal(pick(given, 0).id, 'us-east-1');
    const unhealthy = select({ type: 'latency' }, [A, B], healthOf({ 'us-west-2': false }, { 'us-west-2': 1 }));
    assert.equal(pick(unhealthy, 0).id, 'us-east-1');
  });
});

describe('policy validation', () => {
  const cases: [RoutingPolicy, TrafficEndpoint[], RegExp][] = [
    [
      { type: 'weighted', weights: { 'us-east-1': 256 } },
      [A, B],
      /weights\.us-east-1: expected an integer from 0 to 255.*got 256/,
    ],
    [{ type: 'weighted', weights: { 'us-east-1': 1.5 } }, [A, B], /got 1\.5/],
    [{ type: 'weighted', weights: { nowhere: 1 } }, [A, B], /unknown endpoint "nowhere"/],
    [{ type: 'failover', order: ['x'] }, [A, B], /failover order: unknown endpoint "x"/],
    [{ type: 'failover', fallback: 'x' }, [A, B], /fallback: unknown endpoint "x"/],
    [{ type: 'latency', latencyMs: { 'us-east-1': -1 } }, [A, B], /latencyMs\.us-east-1/],
    [{ type: 'failover' }, [A, A], /unique/],
    [{ type: 'failover' }, [], /at least one endpoint/],
    [{ type: 'geo' } as unknown as RoutingPolicy, [A], /unknown routing policy "geo"/],
  ];
  for (const [policy, endpoints, message] of cases) {
    it(`refuses ${JSON.stringify(policy)}`, () => assert.match(validatePolicy(policy, endpoints) ?? '', message));
  }
  it('accepts a valid policy', () =>
    assert.equal(validatePolicy({ type: 'weighted', weights: { 'us-east-1': 255 } }, [A, B]), undefined));
});
