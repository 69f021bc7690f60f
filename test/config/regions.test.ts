import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, resolveConfig } from '../../src/config/index.ts';

const fixture = fileURLToPath(new URL('../fixtures/basic/api.config.ts', import.meta.url));
const base = {
  name: 'demo',
  functions: { hello: { handler: 'src/hello.handler' } },
  routes: { 'GET /hello': 'hello' },
};

function problemsOf(regions: unknown, local?: unknown): string[] {
  try {
    resolveConfig({ ...base, regions, local }, fixture);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('regions', () => {
  test("defaults: Route 53's failover, 30 s interval, threshold 3, /health; locally 1 s probes and a 500 ms lag", () => {
    const config = resolveConfig({ ...base, regions: { secondary: 'us-west-2' } }, fixture);
    assert.deepEqual(config.regions, {
      primary: 'us-east-1',
      secondary: 'us-west-2',
      routing: {
        policy: 'failover',
        weights: { 'us-east-1': 1, 'us-west-2': 1 },
        latencyMs: { 'us-east-1': 0, 'us-west-2': 0 },
      },
      healthCheck: { path: '/health', intervalSeconds: 30, failureThreshold: 3 },
    });
    assert.equal(config.local.healthCheckIntervalSeconds, 1);
    assert.equal(config.local.replicationLagMs, 500);
  });

  test('latency routing, with the round trip from the clients to each region given locally (missing: 0)', () => {
    const config = resolveConfig(
      {
        ...base,
        regions: { secondary: 'us-west-2', routing: { policy: 'latency' } },
        local: { regionLatencyMs: { 'us-east-1': 80 } },
      },
      fixture,
    );
    assert.equal(config.regions.routing.policy, 'latency');
    assert.deepEqual(config.regions.routing.latencyMs, { 'us-east-1': 80, 'us-west-2': 0 });
  });

  test('weighted routing with weights per region; a missing region weighs 0', () => {
    const config = resolveConfig(
      { ...base, regions: { secondary: 'us-west-2', routing: { policy: 'weighted', weights: { 'us-east-1': 200 } } } },
      fixture,
    );
    assert.deepEqual(config.regions.routing.weights, { 'us-east-1': 200, 'us-west-2': 0 });
    assert.equal(config.regions.routing.policy, 'weighted');
  });

  const refused: [string, unknown, RegExp, unknown?][] = [
    [
      'an interval Route 53 does not allow',
      { secondary: 'us-west-2', healthCheck: { intervalSeconds: 5 } },
      /regions\.healthCheck\.intervalSeconds: expected 10 or 30/,
    ],
    [
      'a threshold above 10',
      { secondary: 'us-west-2', healthCheck: { failureThreshold: 11 } },
      /regions\.healthCheck\.failureThreshold: expected 1 to 10/,
    ],
    [
      'a path without a slash',
      { secondary: 'us-west-2', healthCheck: { path: 'health' } },
      /regions\.healthCheck\.path: expected a path starting with "\/"/,
    ],
    [
      'a weight above 255',
      { secondary: 'us-west-2', routing: { policy: 'weighted', weights: { 'us-east-1': 256 } } },
      /regions\.routing\.weights\["us-east-1"\]: expected 0 to 255/,
    ],
    [
      'weights on a failover policy',
      { secondary: 'us-west-2', routing: { weights: { 'us-east-1': 1 } } },
      /regions\.routing\.weights: only a weighted policy/,
    ],
    [
      'a weight for a region not configured',
      { secondary: 'us-west-2', routing: { policy: 'weighted', weights: { 'eu-west-1': 1 } } },
      /weights\.eu-west-1: not one of the regions \(expected us-east-1 or us-west-2\)/,
    ],
    [
      'routing without a secondary region',
      { routing: { policy: 'weighted' } },
      /regions\.routing: needs regions\.secondary/,
    ],
    [
      'the same region twice',
      { primary: 'us-west-2', secondary: 'us-west-2' },
      /regions\.secondary: "us-west-2" is the primary region too/,
    ],
    ['an unknown policy', { secondary: 'us-west-2', routing: { policy: 'geolocation' } }, /regions\.routing\.policy/],
    [
      'a local interval of 0',
      { secondary: 'us-west-2' },
      /local\.healthCheckIntervalSeconds: expected seconds above 0/,
      { healthCheckIntervalSeconds: 0 },
    ],
    [
      'round trips without latency routing',
      { secondary: 'us-west-2', routing: { policy: 'weighted' } },
      /local\.regionLatencyMs: only latency routing between two regions uses it \(regions\.routing\.policy is "weighted"\)/,
      { regionLatencyMs: { 'us-east-1': 10 } },
    ],
    [
      'a round trip for a region not configured',
      { secondary: 'us-west-2', routing: { policy: 'latency' } },
      /local\.regionLatencyMs\.eu-west-1: not one of the regions \(expected us-east-1 or us-west-2\)/,
      { regionLatencyMs: { 'eu-west-1': 10 } },
    ],
    [
      'a negative round trip',
      { secondary: 'us-west-2', routing: { policy: 'latency' } },
      /local\.regionLatencyMs\["us-west-2"\]: expected milliseconds, 0 or more/,
      { regionLatencyMs: { 'us-west-2': -5 } },
    ],
    [
      'a negative lag',
      { secondary: 'us-west-2' },
      /local\.replicationLagMs: expected 0 or more/,
      { replicationLagMs: -1 },
    ],
  ];
  for (const [name, regions, message, local] of refused) {
    test(`refuses ${name}`, () => assert.match(problemsOf(regions, local).join('\n'), message));
  }
});
