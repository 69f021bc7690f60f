/**
 * Smaller configs written inline, each synthesized once without bundling (the templates are what
 * these tests read): deployment stages, region override, authorizer variants, warnings, single-region
 * domains, and cdk-nag failing synthesis on an unacknowledged finding.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { enableNag } from '../../src/infra/nag.ts';
import { inlineConfig, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

const cleanups: Synthesized[] = [];
after(() => {
  for (const s of cleanups) s.cleanup();
});

function synth(raw: Record<string, unknown>, options: Parameters<typeof synthesize>[1] = {}): Synthesized {
  const s = synthesize(inlineConfig(raw), { bundle: false, ...options });
  cleanups.push(s);
  return s;
}

const items = { handler: 'src/items.handler' };
const authorize = { handler: 'src/authorize.handler' };

describe('deployment stage and region', () => {
  const s = synth(
    {
      name: 'demo',
      functions: { items: { handler: 'src/items.handler', environment: { TABLE_NAME: 'orders', OTHER: 'order' } } },
      routes: { 'GET /items': 'items' },
      tables: { orders: { partitionKey: 'id' } },
    },
    { stage: 'prod', region: 'eu-west-3' },
  );

  test('--stage suffixes stack, table and budget names and tags every resource', () => {
    assert.equal(s.primary.stackName, 'demo-prod-eu-west-3');
    assert.equal(s.primary.region, 'eu-west-3');
    const t = s.template(s.primary);
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'orders-prod',
      Replicas: [Match.objectLike({ Region: 'eu-west-3' })],
    });
    t.hasResourceProperties('AWS::Budgets::Budget', { Budget: Match.objectLike({ BudgetName: 'demo-prod-monthly' }) });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'gantry:stage', Value: 'prod' }]),
    });
  });

  test('an environment value naming a table points at the deployed table; other values stay', () => {
    s.template(s.primary).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TABLE_NAME: 'orders-prod', OTHER: 'order' }) },
    });
  });
});

describe('authorizer and integration variants', () => {
  const s = synth({
    name: 'variants',
    authorizers: {
      legacy: { type: 'lambda', function: 'authorize', payloadFormatVersion: '1.0' },
      policies: { type: 'lambda', function: 'authorize', enableSimpleResponses: false },
    },
    functions: { items, authorize },
    routes: {
      'GET /a': { function: 'items', authorizer: 'legacy' },
      'GET /b': { function: 'items', authorizer: 'policies', timeoutInMillis: 29500 },
      'ANY /local/{proxy+}': { http: 'http://127.0.0.1:9090/{proxy}', method: 'POST' },
    },
  });

  test('a 1.0 Lambda authorizer has no simple responses; a 2.0 one may return IAM policies', () => {
    const t = s.template(s.primary);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'legacy',
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '1.0',
      EnableSimpleResponses: Match.absent(),
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: ['$request.header.Authorization'],
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'policies',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: false,
    });
  });

  test('a Lambda-authorized route is CUSTOM, without authorization scopes', () => {
    s.template(s.primary).hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /a',
      AuthorizationType: 'CUSTOM',
      AuthorizationScopes: Match.absent(),
    });
  });

  test('a 29.5 s integration timeout is kept (the CDK alone caps it at 29 s)', () => {
    s.template(s.primary).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      TimeoutInMillis: 29500,
    });
  });

  test('an HTTP integration to a loopback address synthesizes with a warning', () => {
    s.template(s.primary).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'POST',
      IntegrationUri: 'http://127.0.0.1:9090/{proxy}',
    });
    Annotations.fromStack(s.primary).hasWarning(
      '*',
      Match.stringLikeRegexp('http://127.0.0.1:9090/\\{proxy\\} is a loopback address'),
    );
  });
});

describe('single-region custom domain', () => {
  const s = synth({
    name: 'solo',
    stage: 'api',
    functions: { items },
    routes: { 'GET /items': 'items' },
    domain: { name: 'api.example.org', hostedZoneId: 'Z0EXAMPLE12345' },
  });

  test('a DNS-validated certificate, the domain mapped under the stage name, a plain alias record', () => {
    const t = s.template(s.primary);
    t.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.org',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.example.org', HostedZoneId: 'Z0EXAMPLE12345' }],
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiMappingKey: 'api', Stage: 'api' });
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.org.',
      Type: 'A',
      Failover: Match.absent(),
      HealthCheckId: Match.absent(),
    });
    t.resourceCountIs('AWS::Route53::HealthCheck', 0);
  });

  test('synthesis asks for no context lookups (nothing is missing from the assembly)', () => {
    assert.equal(s.app.synth().manifest.missing, undefined);
    assert.equal(resourcesOfType(s.json(s.primary), 'AWS::Route53::HostedZone').length, 0);
  });
});

describe('cdk-nag', () => {
  test('an unacknowledged AwsSolutions error fails synthesis', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'gantry-nag-'));
    try {
      const app = new App({ outdir, analyticsReporting: false });
      const stack = new Stack(app, 'Unsafe', { env: { region: 'us-east-1' } });
      new Topic(stack, 'PlainTopic');
      enableNag(app);
      assert.throws(() => app.synth(), /Validation failed/);
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
      assert.deepEqual(
        report.pluginReports[0].violations.map((v: { ruleName: string; severity: string }) => [v.ruleName, v.severity]),
        [['AwsSolutions-SNS3', 'error']],
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('global secondary indexes', () => {
  const s = synth({
    name: 'indexed',
    functions: { items: { handler: 'src/items.handler', environment: { TABLE_NAME: 'orders' } } },
    routes: { 'GET /items': 'items' },
    tables: {
      orders: {
        partitionKey: 'id',
        indexes: {
          byCustomer: { partitionKey: 'customerId', sortKey: { name: 'createdAt', type: 'N' } },
          byStatus: { partitionKey: 'status', projection: ['total'] },
        },
      },
    },
    regions: { secondary: 'us-west-2' },
  });

  test('the table carries each index with its keys and projection', () => {
    s.template(s.primary).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byCustomer',
          KeySchema: [
            { AttributeName: 'customerId', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
        },
      ],
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'createdAt', AttributeType: 'N' }]),
    });
  });

  test('functions may query each index by name in both regions, with no index/* wildcard', () => {
    for (const stack of [s.primary, s.secondary!]) {
      const policies = JSON.stringify(resourcesOfType(s.json(stack), 'AWS::IAM::Policy'));
      assert.match(policies, /\/index\/byCustomer"/, `no byCustomer grant in the ${stack.region} stack`);
      assert.match(policies, /\/index\/byStatus"/, `no byStatus grant in the ${stack.region} stack`);
      assert.doesNotMatch(policies, /index\/\*/);
    }
  });
});
