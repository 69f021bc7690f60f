/**
 * The `minimal` fixture: every infra default (one region, `$default` stage, default alarm and budget,
 * no e-mail, no domain, no tables), synthesized once with real bundling.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Token } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { ESM_REQUIRE_BANNER } from '../../src/config/index.ts';
import { assetDirectories, resourcesOfType, type Synthesized, synthesizeFixture } from './helpers.ts';

let s: Synthesized;

before(async () => {
  s = await synthesizeFixture('minimal');
});
after(() => s?.cleanup());

describe('defaults', () => {
  test('a single environment-agnostic stack in us-east-1', () => {
    assert.equal(s.primary.stackName, 'tiny-us-east-1');
    assert.equal(s.primary.region, 'us-east-1');
    assert.ok(Token.isUnresolved(s.primary.account), 'no account in the config: CloudFormation supplies it');
    assert.equal(s.secondary, undefined);
    assert.equal(s.edge, undefined);
    assert.doesNotMatch(JSON.stringify(s.json(s.primary)), /123456789012/);
  });

  test('routes, $default stage without throttling, Lambda defaults', () => {
    const t = s.template(s.primary);
    const keys = resourcesOfType(s.json(s.primary), 'AWS::ApiGatewayV2::Route').map((r) => r.Properties!.RouteKey);
    assert.deepEqual(keys.sort(), ['$default', 'GET /hello']);
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: Match.absent(),
      RouteSettings: Match.absent(),
      StageVariables: Match.absent(),
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      MemorySize: 128,
      Timeout: 3,
      ReservedConcurrentExecutions: Match.absent(),
    });
  });

  test('the default 5xx alarm: threshold 10 over 2 one-minute periods on the $default stage', () => {
    s.template(s.primary).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'tiny-us-east-1-5xx',
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [
        { Name: 'ApiId', Value: { Ref: Match.stringLikeRegexp('^HttpApi') } },
        { Name: 'Stage', Value: '$default' },
      ],
      Threshold: 10,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Period: 60,
    });
  });

  test('the default budget: $20 a month, 50 % actual and 100 % forecast, to the alarm topic when no e-mail', () => {
    const t = s.template(s.primary);
    const topic = { Ref: Match.stringLikeRegexp('^ObservabilityAlarmTopic') };
    t.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: 'tiny-monthly',
        BudgetLimit: { Amount: 20, Unit: 'USD' },
        TimeUnit: 'MONTHLY',
        BudgetType: 'COST',
      },
      NotificationsWithSubscribers: [
        {
          Notification: Match.objectLike({ NotificationType: 'ACTUAL', Threshold: 50 }),
          Subscribers: [{ SubscriptionType: 'SNS', Address: topic }],
        },
        {
          Notification: Match.objectLike({ NotificationType: 'FORECASTED', Threshold: 100 }),
          Subscribers: [{ SubscriptionType: 'SNS', Address: topic }],
        },
      ],
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'budgets.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    t.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('nothing that was not asked for: no tables, user pools, domain, health checks or CloudFront', () => {
    const t = s.template(s.primary);
    for (const type of [
      'AWS::DynamoDB::GlobalTable',
      'AWS::Cognito::UserPool',
      'AWS::ApiGatewayV2::DomainName',
      'AWS::Route53::RecordSet',
      'AWS::Route53::HealthCheck',
      'AWS::CertificateManager::Certificate',
      'AWS::CloudFront::Distribution',
      'AWS::WAFv2::WebACL',
    ]) {
      t.resourceCountIs(type, 0);
    }
  });

  test('the handler is bundled by the local esbuild into an ESM file that starts with the require banner', () => {
    const dirs = assetDirectories(s.outdir);
    assert.equal(dirs.length, 1);
    const bundle = readFileSync(join(s.outdir, dirs[0], 'index.mjs'), 'utf8');
    assert.ok(bundle.startsWith(ESM_REQUIRE_BANNER), bundle.slice(0, 200));
    assert.match(bundle, /export\s*\{[^}]*handler/);
  });
});
