/**
 * The health function Route 53 calls in each region checks that region's table replica: it may
 * describe that one table and nothing else, is told the table's name, answers without credentials
 * and is not traced.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { deploymentShape } from '../../src/cost/deployment.ts';
import { fixedResources } from '../../src/cost/model.ts';
import { inlineConfig, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

const config = inlineConfig({
  name: 'shop',
  account: '111122223333',
  functions: {
    items: { handler: 'src/items.handler', environment: { TABLE_NAME: 'orders' } },
    health: { handler: 'src/health.handler', environment: { TABLE_NAME: 'orders' }, tables: { orders: 'describe' } },
  },
  routes: { 'GET /items': 'items', 'GET /health': 'health' },
  tables: { orders: { partitionKey: 'id', indexes: { byCustomer: { partitionKey: 'customer' } } } },
  regions: { primary: 'us-east-1', secondary: 'us-west-2' },
  domain: { name: 'api.example.com', hostedZoneId: 'Z0123456789EXAMPLE', hostedZoneName: 'example.com' },
});
const s: Synthesized = synthesize(config, { bundle: false, stage: 'prod' });
after(() => s.cleanup());

function healthPolicyStatements(stack: 'primary' | 'secondary') {
  const policy = resourcesOfType(s.json(s[stack]!), 'AWS::IAM::Policy').find((p) =>
    p.id.startsWith('FunctionshealthRole'),
  );
  assert.ok(policy, 'the health function has a policy');
  return (policy.Properties!.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement;
}

function healthFunction(stack: 'primary' | 'secondary') {
  const fn = resourcesOfType(s.json(s[stack]!), 'AWS::Lambda::Function').find((f) =>
    f.id.startsWith('FunctionshealthFunction'),
  );
  assert.ok(fn);
  return fn.Properties as { Environment: { Variables: Record<string, unknown> }; TracingConfig?: unknown };
}

describe('the health function checks its region’s table', () => {
  test('in the primary: DescribeTable on the table alone (no index, no data action)', () => {
    const dynamodb = healthPolicyStatements('primary').filter((st) => JSON.stringify(st.Action).includes('dynamodb:'));
    assert.equal(dynamodb.length, 1);
    assert.equal(dynamodb[0].Action, 'dynamodb:DescribeTable');
    assert.match(JSON.stringify(dynamodb[0].Resource), /^\{"Fn::GetAtt":\["Tablesorders[0-9A-F]+","Arn"\]\}$/);
  });

  test('in the secondary: DescribeTable on its own region’s replica, by ARN', () => {
    const dynamodb = healthPolicyStatements('secondary').filter((st) =>
      JSON.stringify(st.Action).includes('dynamodb:'),
    );
    assert.deepEqual(dynamodb, [
      {
        Action: 'dynamodb:DescribeTable',
        Effect: 'Allow',
        Resource: 'arn:aws:dynamodb:us-west-2:111122223333:table/orders-prod',
      },
    ]);
  });

  test('its environment names the deployed table; other functions keep their data grants', () => {
    for (const stack of ['primary', 'secondary'] as const) {
      assert.equal(healthFunction(stack).Environment.Variables.TABLE_NAME, 'orders-prod');
    }
    s.template(s.primary).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^FunctionsitemsRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['dynamodb:PutItem', 'dynamodb:Query']) }),
        ]),
      },
    });
  });

  test('GET /health needs no credentials, is not traced, and is what Route 53 checks in each region', () => {
    for (const stack of ['primary', 'secondary'] as const) {
      s.template(s[stack]!).hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'GET /health',
        AuthorizationType: 'NONE',
      });
      assert.equal(healthFunction(stack).TracingConfig, undefined, 'Route 53’s checks would fill X-Ray');
      s.template(s[stack]!).hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: Match.objectLike({ ResourcePath: '/health', Type: 'HTTPS' }),
      });
    }
    s.template(s.primary).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TABLE_NAME: 'orders-prod' }) },
      TracingConfig: { Mode: 'Active' },
    });
  });
});

describe('gantry cost counts what this deployment creates', () => {
  test('dashboards, alarms and ColdStarts metric filters of both regions and us-east-1; the health checks', () => {
    const stacks = [s.primary, s.secondary!, s.health!];
    const count = (type: string) => stacks.reduce((n, stack) => n + resourcesOfType(s.json(stack), type).length, 0);
    const fixed = fixedResources(config);
    assert.equal(count('AWS::CloudWatch::Dashboard'), fixed.dashboards);
    assert.equal(count('AWS::CloudWatch::Alarm'), fixed.standardAlarms + fixed.highResolutionAlarms);
    assert.equal(count('AWS::Logs::MetricFilter'), fixed.customMetrics);
    assert.equal(count('AWS::Route53::HealthCheck'), deploymentShape(config).healthChecks);
    assert.deepEqual([fixed.dashboards, fixed.standardAlarms, fixed.customMetrics], [2, 4, 4]);
  });
});
