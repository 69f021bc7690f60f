/**
 * Deploy parity with gantry dev's global endpoint: the Route 53 records and health checks take the
 * routing policy, health-check path, interval and threshold from the same config.
 */
import { after, before, describe, test } from 'node:test';
import { inlineConfig, type Synthesized, synthesize } from './helpers.ts';

describe('regions.routing and regions.healthCheck in the CDK app', () => {
  let s: Synthesized;
  before(() => {
    s = synthesize(
      inlineConfig({
        name: 'weighted',
        functions: { items: { handler: 'src/items.handler' } },
        routes: { 'GET /items': 'items', 'GET /ping': 'items' },
        domain: { name: 'api.example.org', hostedZoneId: 'Z0EXAMPLE12345' },
        regions: {
          primary: 'eu-west-1',
          secondary: 'eu-central-1',
          routing: { policy: 'weighted', weights: { 'eu-west-1': 200, 'eu-central-1': 55 } },
          healthCheck: { path: '/ping', intervalSeconds: 10, failureThreshold: 2 },
        },
      }),
      { bundle: false },
    );
  });
  after(() => s.cleanup());

  test('weighted records, one per region, with its weight and its health check', () => {
    for (const [stack, weight] of [
      ['primary', 200],
      ['secondary', 55],
    ] as const) {
      const t = s.template(s[stack]!);
      t.hasResourceProperties('AWS::Route53::RecordSet', { Weight: weight, SetIdentifier: `weighted-${stack}` });
      t.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Failover: 'PRIMARY' }, 0);
      t.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: { ResourcePath: '/ping', RequestInterval: 10, FailureThreshold: 2 },
      });
    }
  });
});

describe('latency routing in the CDK app', () => {
  let s: Synthesized;
  before(() => {
    s = synthesize(
      inlineConfig({
        name: 'latency',
        functions: { items: { handler: 'src/items.handler' } },
        routes: { 'GET /items': 'items', 'GET /health': 'items' },
        domain: { name: 'api.example.org', hostedZoneId: 'Z0EXAMPLE12345' },
        regions: { primary: 'eu-west-1', secondary: 'us-east-2', routing: { policy: 'latency' } },
        // gantry dev's stand-in for where clients are: nothing of it reaches AWS.
        local: { regionLatencyMs: { 'eu-west-1': 90 } },
      }),
      { bundle: false },
    );
  });
  after(() => s.cleanup());

  test("latency records, one per region, named for the region they serve, with the region's health check", () => {
    for (const [stack, region] of [
      ['primary', 'eu-west-1'],
      ['secondary', 'us-east-2'],
    ] as const) {
      const t = s.template(s[stack]!);
      t.hasResourceProperties('AWS::Route53::RecordSet', { Region: region, SetIdentifier: `latency-${stack}` });
      t.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Failover: 'PRIMARY' }, 0);
      t.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Failover: 'SECONDARY' }, 0);
      t.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: { ResourcePath: '/health', RequestInterval: 30, FailureThreshold: 3 },
      });
    }
  });
});
