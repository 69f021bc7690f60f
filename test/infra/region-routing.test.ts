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
