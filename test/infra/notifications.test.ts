/**
 * Alarms and budgets that actually notify: the topic policy lets CloudWatch and AWS Budgets publish
 * (a topic policy replaces SNS's default, so nothing else may), scoped to this account and to this
 * deployment's alarms and budget; the failover pair's Route 53 health checks are alarmed in us-east-1.
 * Two configs, synthesized once each without bundling.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { inlineConfig, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

const base = {
  name: 'shop',
  account: '111122223333',
  functions: { items: { handler: 'src/items.handler' }, health: { handler: 'src/health.handler' } },
  routes: { 'GET /items': 'items', 'GET /health': 'health' },
  budget: { email: 'ops@example.com' },
  regions: { primary: 'eu-west-1', secondary: 'eu-central-1' },
  domain: { name: 'api.shop.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
};

let pair: Synthesized;
let edge: Synthesized;
before(() => {
  pair = synthesize(inlineConfig(base), { bundle: false });
  edge = synthesize(inlineConfig({ ...base, domain: { ...base.domain, cloudFront: true } }), { bundle: false });
});
after(() => {
  pair?.cleanup();
  edge?.cleanup();
});

const publishBy = (service: string, sourceArn: unknown) =>
  Match.objectLike({
    Effect: 'Allow',
    Action: 'sns:Publish',
    Principal: { Service: service },
    Condition: {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': sourceArn },
    },
  });

/** With the region known, ARNs are literal (the `enablePartitionLiterals` flag, feature-flags.ts). */
const arn = (rest: string) => `arn:aws${rest}`;

describe('the alarm topic accepts what must publish to it', () => {
  test('CloudWatch may publish, only for this account and the alarms named for this stack', () => {
    pair.template(pair.primary).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          publishBy('cloudwatch.amazonaws.com', arn(':cloudwatch:eu-west-1:111122223333:alarm:shop-eu-west-1-*')),
        ]),
      },
    });
    pair.template(pair.secondary!).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          publishBy('cloudwatch.amazonaws.com', arn(':cloudwatch:eu-central-1:111122223333:alarm:shop-eu-central-1-*')),
        ]),
      },
    });
  });

  test('every alarm of a region is named under the prefix its topic policy allows', () => {
    for (const stack of [pair.primary, pair.secondary!]) {
      const names = resourcesOfType(pair.json(stack), 'AWS::CloudWatch::Alarm').map((a) => a.Properties!.AlarmName);
      assert.ok(names.length > 0);
      for (const name of names) assert.match(String(name), new RegExp(`^${stack.stackName}-`));
    }
  });

  test('AWS Budgets may publish the budget’s notifications even when an e-mail is configured', () => {
    const t = pair.template(pair.primary);
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          publishBy('budgets.amazonaws.com', arn(':budgets::111122223333:budget/shop-monthly')),
        ]),
      },
    });
    const [budget] = resourcesOfType(pair.json(pair.primary), 'AWS::Budgets::Budget');
    const notifications = budget.Properties!.NotificationsWithSubscribers as { Subscribers: unknown[] }[];
    const topic = resourcesOfType(pair.json(pair.primary), 'AWS::SNS::Topic')[0].id;
    for (const n of notifications)
      assert.deepEqual(n.Subscribers, [{ SubscriptionType: 'SNS', Address: { Ref: topic } }]);
  });
});

describe('Route 53 health checks are alarmed in us-east-1', () => {
  test('without CloudFront, a us-east-1 stack alarms on HealthCheckStatus of each region’s check', () => {
    assert.ok(pair.health, 'a health-alarm stack');
    assert.equal(pair.health.region, 'us-east-1');
    assert.equal(pair.health.stackName, 'shop-health');
    const t = pair.template(pair.health);
    for (const [role, region] of [
      ['primary', 'eu-west-1'],
      ['secondary', 'eu-central-1'],
    ]) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `shop-route53-${role}-${region}`,
        Namespace: 'AWS/Route53',
        MetricName: 'HealthCheckStatus',
        Statistic: 'Minimum',
        Period: 60,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        Dimensions: [
          {
            Name: 'HealthCheckId',
            Value: { 'Fn::GetStackOutput': Match.objectLike({ StackName: `shop-${region}`, Region: region }) },
          },
        ],
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^HealthCheckAlarmsTopic') }],
        OKActions: [{ Ref: Match.stringLikeRegexp('^HealthCheckAlarmsTopic') }],
      });
    }
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          publishBy('cloudwatch.amazonaws.com', arn(':cloudwatch:us-east-1:111122223333:alarm:shop-route53-*')),
        ]),
      },
    });
    assert.deepEqual(pair.health.dependencies.map((d) => d.stackName).sort(), ['shop-eu-central-1', 'shop-eu-west-1']);
  });

  test('with CloudFront, the us-east-1 edge stack holds those alarms and no extra stack is made', () => {
    assert.equal(edge.health, undefined);
    const alarms = resourcesOfType(edge.json(edge.edge!), 'AWS::CloudWatch::Alarm');
    assert.deepEqual(
      alarms.map((a) => a.Properties!.MetricName),
      ['HealthCheckStatus', 'HealthCheckStatus'],
    );
  });

  test('a single region has no failover, so no health check and no health-alarm stack', () => {
    const single = synthesize(inlineConfig({ ...base, regions: { primary: 'eu-west-1' } }), { bundle: false });
    try {
      assert.equal(single.health, undefined);
      assert.equal(resourcesOfType(single.json(single.primary), 'AWS::Route53::HealthCheck').length, 0);
    } finally {
      single.cleanup();
    }
  });
});
