/**
 * The deployment's own costs in `gantry cost`: Route 53 health checks and the traffic they send,
 * X-Ray tracing, and the CloudFront + AWS WAF edge, so an idle API's bill is visible before deploy.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { costForTraffic } from '../../src/cost/index.ts';
import { fixedResources } from '../../src/cost/model.ts';
import { makeConfig } from '../telemetry/fixtures.ts';

const domain = { name: 'api.example.com', hostedZoneId: 'Z0123456789EXAMPLE' };
const failover = { regions: { primary: 'us-east-1', secondary: 'us-west-2' }, domain };
const line = (report: ReturnType<typeof costForTraffic>, service: string, item: RegExp) =>
  report.monthly.items.find((i) => i.service === service && item.test(i.item));

describe('what a deployment costs with no users', () => {
  test('a failover pair bills two HTTPS health checks and their ≈ 2.6 million requests a month', () => {
    const report = costForTraffic(makeConfig(failover), { rps: 0 });
    assert.deepEqual(line(report, 'Route 53', /health checks/), {
      service: 'Route 53',
      item: 'health checks (HTTPS, AWS endpoint)',
      quantity: 2,
      unit: 'health checks',
      usd: 3,
    });
    // 30 checks a minute per region, 730 hours: 2 × 1,314,000.
    assert.equal(report.usage.apiRequests, 2_628_000);
    assert.equal(report.usage.lambda.arm64.requests, 2_628_000);
    assert.ok(report.monthly.totalUsd > 9, `idle total $${report.monthly.totalUsd}`);
  });

  test('a single region has no health checks and no health-check traffic', () => {
    const report = costForTraffic(makeConfig({ domain }), { rps: 0 });
    assert.equal(line(report, 'Route 53', /health checks/), undefined);
    assert.equal(report.usage.apiRequests, 0);
  });

  test('the health-only function is not traced: no X-Ray traces while idle', () => {
    const report = costForTraffic(makeConfig(failover), { rps: 0 });
    assert.equal(line(report, 'X-Ray', /traces/)?.quantity, 0);
  });
});

describe('traffic-dependent deployment costs', () => {
  test('X-Ray records the first request a second and 5 % of the rest, per region', () => {
    const report = costForTraffic(makeConfig(), { rps: 21 });
    // One region, 21 requests/s all traced: 1 + 0.05 × 20 = 2 traces/s over 730 h.
    assert.equal(Math.round(line(report, 'X-Ray', /traces/)!.quantity), 2 * 730 * 3600);
  });

  test('CloudFront adds the web ACL and its 2 rules, per-request WAF and CloudFront, and the origin secret with its replica', () => {
    const report = costForTraffic(makeConfig({ ...failover, domain: { ...domain, cloudFront: true } }), { rps: 1 });
    const requests = 730 * 3600;
    assert.equal(line(report, 'AWS WAF', /web ACL/)?.usd, 5);
    assert.equal(line(report, 'AWS WAF', /rules/)?.usd, 2);
    assert.equal(line(report, 'AWS WAF', /requests/)?.quantity, requests);
    assert.equal(line(report, 'CloudFront', /HTTPS requests/)?.quantity, requests);
    // The primary is us-east-1 itself: the secret there and one replica in us-west-2.
    assert.equal(line(report, 'Secrets Manager', /origin secret/)?.quantity, 2);
  });
});

describe('what each region deploys', () => {
  const alarms = {
    '5xx': { threshold: 10, periods: 2, periodSeconds: 60 },
    burst: { namespace: 'Orders', metric: 'Rejected', threshold: 1, periodSeconds: 10 },
  };
  const functions = {
    orders: { handler: 'src/hello.handler', memoryMb: 512, architecture: 'x86_64', provisionedConcurrency: 2 },
    health: { handler: 'src/hello.handler' },
  };

  test('one region: one dashboard, its alarms, a ColdStarts metric per function, its provisioned concurrency', () => {
    const fixed = fixedResources(makeConfig({ alarms, functions }));
    assert.deepEqual(fixed, {
      dashboards: 1,
      standardAlarms: 1,
      highResolutionAlarms: 1,
      customMetrics: 2,
      provisionedGb: { x86_64: 1, arm64: 0 },
    });
  });

  test('a failover pair: each region its own dashboard, alarms, metrics and provisioned concurrency, plus an alarm per health check', () => {
    const fixed = fixedResources(makeConfig({ alarms, functions, ...failover }));
    assert.deepEqual(fixed, {
      dashboards: 2,
      // 5xx in each region, and HealthCheckStatus of each region's check in us-east-1.
      standardAlarms: 2 + 2,
      highResolutionAlarms: 2,
      customMetrics: 4,
      provisionedGb: { x86_64: 2, arm64: 0 },
    });
    const report = costForTraffic(makeConfig({ alarms, functions, ...failover }), { rps: 0 });
    assert.equal(line(report, 'CloudWatch', /^dashboards$/)?.usd, 2 * 3);
    assert.equal(line(report, 'CloudWatch', /^standard alarms$/)?.quantity, 4);
  });

  test('two regions without a domain have no health checks, so no health-check alarms', () => {
    const fixed = fixedResources(makeConfig({ alarms, functions, regions: failover.regions }));
    assert.equal(fixed.standardAlarms, 2);
    assert.equal(fixed.dashboards, 2);
  });
});
