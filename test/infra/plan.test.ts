/** Pure parts of the infra: the deployment plan, naming, and the small rules the constructs rely on. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withTableNames } from '../../src/config/index.ts';
import { budgetAlerts, FORECAST_ALERT } from '../../src/infra/budget.ts';
import { certificateRegion } from '../../src/infra/domain.ts';
import { InfraError } from '../../src/infra/errors.ts';
import { healthCheckPath, planDeployment, servesHealthCheck, stackSafe } from '../../src/infra/plan.ts';
import { inlineConfig } from './helpers.ts';

const base = {
  name: 'demo',
  functions: { items: { handler: 'src/items.handler' } },
  routes: { 'GET /items': 'items' },
};
const domain = { name: 'api.example.org', hostedZoneId: 'Z0EXAMPLE12345' };

function planError(raw: Record<string, unknown>, options = {}): string {
  try {
    planDeployment(inlineConfig(raw), options);
  } catch (error) {
    assert.ok(error instanceof InfraError);
    return error.message;
  }
  assert.fail('expected an InfraError');
}

describe('planDeployment', () => {
  test('defaults: us-east-1 only, environment-agnostic account, names from the API name', () => {
    const plan = planDeployment(inlineConfig({ ...base, tables: { orders: { partitionKey: 'id' } } }));
    assert.equal(plan.prefix, 'demo');
    assert.equal(plan.primary, 'us-east-1');
    assert.equal(plan.secondary, undefined);
    assert.equal(plan.account, undefined);
    assert.deepEqual(plan.tableNames, { orders: 'orders' });
    assert.equal(plan.regionalHost, undefined);
    assert.equal(plan.edge, undefined);
  });

  test('a stage suffixes the prefix and the table names; --region replaces the primary', () => {
    const plan = planDeployment(
      inlineConfig({
        ...base,
        account: '111122223333',
        regions: { secondary: 'us-west-2' },
        tables: { orders: { partitionKey: 'id' } },
      }),
      { stage: 'prod', region: 'eu-west-1' },
    );
    assert.equal(plan.prefix, 'demo-prod');
    assert.equal(plan.primary, 'eu-west-1');
    assert.equal(plan.secondary, 'us-west-2');
    assert.equal(plan.account, '111122223333');
    assert.deepEqual(plan.tableNames, { orders: 'orders-prod' });
  });

  test('--stage never doubles a stage already in a table name (not orders-dev-prod)', () => {
    const tables = { 'orders-prod': { partitionKey: 'id' }, 'notes-dev': { partitionKey: 'id' } };
    assert.equal(
      planError({ ...base, tables }, { stage: 'prod' }),
      'tables.notes-dev: the name already ends in a stage ("-dev"), so --stage prod would deploy it as "notes-dev-prod"; name the table "notes" (gantry deploy --stage adds the stage)',
    );
    const plan = planDeployment(inlineConfig({ ...base, tables: { 'orders-prod': tables['orders-prod'] } }), {
      stage: 'prod',
    });
    assert.deepEqual(plan.tableNames, { 'orders-prod': 'orders-prod' });
  });

  test('CloudFront moves the regional APIs to origin.{name}; the WAF limit defaults to 2000', () => {
    assert.equal(planDeployment(inlineConfig({ ...base, domain })).regionalHost, 'api.example.org');
    const edge = planDeployment(inlineConfig({ ...base, domain: { ...domain, cloudFront: true } }));
    assert.equal(edge.regionalHost, 'origin.api.example.org');
    assert.deepEqual(edge.edge, { wafRateLimit: 2000, region: 'us-east-1' });
    const tuned = planDeployment(inlineConfig({ ...base, domain: { ...domain, cloudFront: { wafRateLimit: 300 } } }));
    assert.equal(tuned.edge?.wafRateLimit, 300);
  });

  test('names what is wrong: the stage, a secondary equal to the primary, a failover pair without GET /health', () => {
    assert.equal(
      planError(base, { stage: 'Prod_1' }),
      '--stage: "Prod_1" is not a valid deployment stage (expected 1 to 24 lower-case letters, digits and "-", starting with a letter, e.g. "prod")',
    );
    assert.equal(
      // The config itself refuses secondary === primary (test/config/regions.test.ts); --region can still collide.
      planError({ ...base, regions: { primary: 'eu-west-1', secondary: 'us-west-2' } }, { region: 'us-west-2' }),
      'regions.secondary: "us-west-2" is also the primary region; a failover pair needs two regions (or drop regions.secondary)',
    );
    assert.equal(
      planError({ ...base, domain, regions: { secondary: 'us-west-2' } }),
      'domain: Route 53 health checks call GET /health on each region (regions.healthCheck.path), but no route serves it; add a route such as "GET /health"',
    );
    assert.equal(
      planError({ ...base, domain, regions: { secondary: 'us-west-2', healthCheck: { path: '/status/live' } } }),
      'domain: Route 53 health checks call GET /status/live on each region (regions.healthCheck.path), but no route serves it; add a route such as "GET /status/live"',
    );
  });
});

describe('naming and small rules', () => {
  test('stack names keep to letters, digits and "-" and start with a letter', () => {
    assert.equal(stackSafe('orders_api'), 'orders-api');
    assert.equal(stackSafe('9lives'), 'api-9lives');
  });

  test('which routes answer GET /health', () => {
    const routes = (...keys: string[]) =>
      inlineConfig({ ...base, routes: Object.fromEntries(keys.map((k) => [k, 'items'])) }).routes;
    assert.equal(servesHealthCheck(routes('GET /health')), true);
    assert.equal(servesHealthCheck(routes('ANY /health')), true);
    assert.equal(servesHealthCheck(routes('GET /{name}')), true);
    assert.equal(servesHealthCheck(routes('ANY /{proxy+}')), true);
    assert.equal(servesHealthCheck(routes('$default')), true);
    assert.equal(servesHealthCheck(routes('POST /health', 'GET /healthz', 'GET /api/{proxy+}')), false);
    // A configured path (regions.healthCheck.path) of several segments.
    assert.equal(servesHealthCheck(routes('GET /status/{check}'), '/status/live'), true);
    assert.equal(servesHealthCheck(routes('GET /status/{proxy+}'), '/status/live'), true);
    assert.equal(servesHealthCheck(routes('GET /status', 'GET /health'), '/status/live'), false);
  });

  test('the health check path carries the stage on the execute-api endpoint', () => {
    assert.equal(healthCheckPath(inlineConfig(base)), '/health');
    assert.equal(healthCheckPath(inlineConfig({ ...base, stage: 'api' })), '/api/health');
    const custom = { ...base, regions: { secondary: 'us-west-2', healthCheck: { path: '/ping' } } };
    assert.equal(healthCheckPath(inlineConfig({ ...custom, stage: 'api' })), '/api/ping');
  });

  test('environment values naming a table are rewritten and reported for the grant', () => {
    assert.deepEqual(
      withTableNames({ TABLE: 'orders', A: 'ordersX', B: 'users' }, { orders: 'orders-prod', users: 'users-prod' }),
      {
        environment: { TABLE: 'orders-prod', A: 'ordersX', B: 'users-prod' },
        tables: ['orders', 'users'],
      },
    );
    assert.deepEqual(withTableNames({ A: 'toString' }, {}), { environment: { A: 'toString' }, tables: [] });
  });

  test('a forecast notification is added only when the config has none', () => {
    const actual = { percent: 50, on: 'actual' as const };
    assert.deepEqual(budgetAlerts({ monthlyUsd: 20, alerts: [actual] }), [actual, FORECAST_ALERT]);
    const own = { percent: 90, on: 'forecasted' as const };
    assert.deepEqual(budgetAlerts({ monthlyUsd: 20, alerts: [actual, own] }), [actual, own]);
  });

  test('the region of an ACM certificate ARN', () => {
    assert.equal(certificateRegion('arn:aws:acm:eu-west-1:111122223333:certificate/abc'), 'eu-west-1');
    assert.equal(certificateRegion('arn:aws:acm'), undefined);
  });
});
