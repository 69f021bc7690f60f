/**
 * The `full` fixture (two regions, custom domain behind CloudFront, every authorizer kind), synthesized
 * once with real esbuild bundling and cdk-nag, then asserted resource by resource.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import {
  DEPLOYED_LAMBDA_RUNTIME,
  GOLDEN_SIGNALS_DASHBOARD,
  loadConfig,
  type ResolvedConfig,
} from '../../src/config/index.ts';
import { COLD_START_NAMESPACE } from '../../src/infra/functions.ts';
import { ACCESS_LOG_FORMAT } from '../../src/infra/http-api.ts';
import { TABLE_DATA_ACTIONS } from '../../src/infra/regional-stack.ts';
import { fixture, matchSnapshot, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

let config: ResolvedConfig;
let s: Synthesized;

before(async () => {
  config = await loadConfig(fixture('full'));
  s = synthesize(config);
});
after(() => s?.cleanup());

const ref = (logicalIdPrefix: string) => ({ Ref: Match.stringLikeRegexp(`^${logicalIdPrefix}`) });

function logicalId(stack: 'primary' | 'secondary', type: string, prefix: string): string {
  const found = resourcesOfType(s.json(s[stack]!), type).filter((r) => r.id.startsWith(prefix));
  assert.equal(found.length, 1, `exactly one ${type} whose id starts with ${prefix}`);
  return found[0].id;
}

/** The dashboard body with every CloudFormation token replaced by "TOKEN", parsed. */
function dashboardBody(stack: 'primary' | 'secondary') {
  const [dashboard] = resourcesOfType(s.json(s[stack]!), 'AWS::CloudWatch::Dashboard');
  const parts = (dashboard.Properties!.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('')) as {
    widgets: { properties: { title: string; metrics: unknown[][] } }[];
  };
}

describe('stacks and environments', () => {
  test('one stack per region plus the us-east-1 edge stack, deployed in dependency order', () => {
    assert.equal(s.primary.stackName, 'shop-api-eu-west-1');
    assert.equal(s.primary.region, 'eu-west-1');
    assert.equal(s.primary.account, '111122223333');
    assert.equal(s.secondary?.stackName, 'shop-api-eu-central-1');
    assert.equal(s.secondary?.region, 'eu-central-1');
    assert.equal(s.edge?.stackName, 'shop-api-edge');
    assert.equal(s.edge?.region, 'us-east-1');
    assert.deepEqual(
      s.secondary?.dependencies.map((d) => d.stackName),
      ['shop-api-eu-west-1'],
    );
    assert.deepEqual(s.edge?.dependencies.map((d) => d.stackName).sort(), [
      'shop-api-eu-central-1',
      'shop-api-eu-west-1',
    ]);
  });

  test('config tags and gantry:api reach every taggable resource', () => {
    for (const stack of [s.primary, s.secondary!]) {
      s.template(stack).hasResourceProperties('AWS::Lambda::Function', {
        Tags: Match.arrayWith([
          { Key: 'cost-center', Value: 'cc-42' },
          { Key: 'gantry:api', Value: 'shop-api' },
          { Key: 'team', Value: 'payments' },
        ]),
      });
    }
    s.template(s.edge!).hasResourceProperties('AWS::CloudFront::Distribution', {
      Tags: Match.arrayWith([{ Key: 'team', Value: 'payments' }]),
    });
  });
});

describe('HTTP API per region', () => {
  test("routes match the config's route keys one for one, in both regions", () => {
    const expected = config.routes.map((r) => r.routeKey).sort();
    assert.equal(new Set(expected).size, 7);
    for (const stack of ['primary', 'secondary'] as const) {
      const keys = resourcesOfType(s.json(s[stack]!), 'AWS::ApiGatewayV2::Route')
        .map((r) => r.Properties!.RouteKey as string)
        .sort();
      assert.deepEqual(keys, expected);
    }
  });

  test('route authorization follows each route: JWT with scopes, Cognito JWT, Lambda REQUEST, or none', () => {
    const t = s.template(s.primary);
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /items',
      AuthorizationType: 'JWT',
      AuthorizationScopes: ['items/write'],
      AuthorizerId: ref('HttpApipartners'),
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'DELETE /items/{id}',
      AuthorizationType: 'JWT',
      AuthorizerId: ref('HttpApiusers'),
      AuthorizationScopes: Match.absent(),
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'PUT /items/{id}',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: ref('HttpApikeys'),
    });
    // Behind CloudFront, routes without an authorizer of their own check the origin header (edge.test.ts).
    for (const key of ['GET /items', 'GET /items/{id}', 'ANY /legacy/{proxy+}']) {
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: key,
        AuthorizationType: 'CUSTOM',
        AuthorizerId: ref('OriginVerifyAuthorizer'),
      });
    }
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health', AuthorizationType: 'NONE' });
  });

  test('Lambda proxy integrations carry each route’s payload format and timeout; HTTP proxy keeps its URL', () => {
    const t = s.template(s.primary);
    const items = logicalId('primary', 'AWS::Lambda::Function', 'FunctionsitemsFunction');
    t.resourcePropertiesCountIs(
      'AWS::ApiGatewayV2::Integration',
      { IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': [items, 'Arn'] } },
      2,
    );
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: { 'Fn::GetAtt': [items, 'Arn'] },
      PayloadFormatVersion: '1.0',
      TimeoutInMillis: 5000,
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: { 'Fn::GetAtt': [items, 'Arn'] },
      PayloadFormatVersion: '2.0',
      TimeoutInMillis: Match.absent(),
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationUri: 'https://legacy.example.com/{proxy}',
      IntegrationMethod: 'ANY',
    });
  });

  test('the stage: name, access logs to a log group, default and per-route throttling, variables', () => {
    const accessLogs = logicalId('primary', 'AWS::Logs::LogGroup', 'HttpAccessLogs');
    s.template(s.primary).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'v1',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      RouteSettings: { 'POST /items': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } },
      StageVariables: { tier: 'test' },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [accessLogs, 'Arn'] },
        Format: JSON.stringify(ACCESS_LOG_FORMAT),
      },
    });
  });

  test('CORS preflight from the config', () => {
    s.template(s.primary).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: ['https://shop.example.com'],
        AllowMethods: ['GET', 'POST'],
        AllowHeaders: ['authorization'],
        MaxAge: 300,
      },
    });
  });

  test('authorizers: JWT from the config, JWT trusting the created user pool, Lambda REQUEST', () => {
    const t = s.template(s.primary);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'partners',
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: ['shop-client'], Issuer: 'https://issuer.example.com' },
    });
    const pool = logicalId('primary', 'AWS::Cognito::UserPool', 'UserPoolsusers');
    const client = logicalId('primary', 'AWS::Cognito::UserPoolClient', 'UserPoolsusersClient');
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'users',
      AuthorizerType: 'JWT',
      JwtConfiguration: {
        Audience: [{ Ref: client }],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: pool }]] },
      },
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'keys',
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 60,
      IdentitySource: ['$request.header.x-api-key'],
    });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/authorizers/$')])] },
    });
  });

  test('the Cognito user pool lives in the primary only; the secondary trusts it through its outputs', () => {
    s.template(s.primary).hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'shop-api-users',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
    s.template(s.secondary!).resourceCountIs('AWS::Cognito::UserPool', 0);
    s.template(s.secondary!).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'users',
      JwtConfiguration: {
        Audience: [
          { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'shop-api-eu-west-1', Region: 'eu-west-1' }) },
        ],
        Issuer: Match.anyValue(),
      },
    });
  });
});

describe('Lambda functions', () => {
  test('memory, timeout, reserved concurrency, architecture, runtime, tracing and environment from config', () => {
    const t = s.template(s.primary);
    t.hasResourceProperties('AWS::Lambda::Function', {
      // What the dev banner announces as the deployed runtime.
      Runtime: DEPLOYED_LAMBDA_RUNTIME,
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 10,
      ReservedConcurrentExecutions: 20,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'Text', LogGroup: ref('FunctionsitemsLogs') },
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'shop-api',
          POWERTOOLS_METRICS_NAMESPACE: 'shop-api',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          TABLE_NAME: 'items',
          MODE: 'strict',
        },
      },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['x86_64'],
      MemorySize: 128,
      Timeout: 3,
      ReservedConcurrentExecutions: Match.absent(),
      LoggingConfig: { LogFormat: 'Text', LogGroup: ref('FunctionshealthLogs') },
    });
  });

  test('each function has a log group with 30-day retention that is deleted with the stack', () => {
    const t = s.template(s.primary);
    // Three functions, the access logs, and the CloudFront origin check's function.
    t.resourceCountIs('AWS::Logs::LogGroup', 5);
    t.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { RetentionInDays: 30 } });
  });

  test('cold starts: a metric filter per function counting REPORT lines with Init Duration', () => {
    const t = s.template(s.primary);
    t.resourceCountIs('AWS::Logs::MetricFilter', 3);
    t.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '"REPORT RequestId" "Init Duration"',
      LogGroupName: ref('FunctionsitemsLogs'),
      MetricTransformations: [
        { MetricName: ref('FunctionsitemsFunction'), MetricNamespace: COLD_START_NAMESPACE, MetricValue: '1' },
      ],
    });
  });

  test('least privilege: a function may write its own log group, X-Ray, and only the tables its environment names', () => {
    // Sorted: IAM statements are minimized (the minimizePolicies flag, feature-flags.ts).
    const tableActions = [...TABLE_DATA_ACTIONS].sort();
    const primaryTable = logicalId('primary', 'AWS::DynamoDB::GlobalTable', 'Tablesitems');
    s.template(s.primary).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref('FunctionsitemsRole')],
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FunctionsitemsLogs'), 'Arn'] },
          },
          { Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Effect: 'Allow', Resource: '*' },
          { Action: tableActions, Effect: 'Allow', Resource: { 'Fn::GetAtt': [primaryTable, 'Arn'] } },
        ],
      },
    });
    s.template(s.secondary!).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref('FunctionsitemsRole')],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: tableActions,
            Effect: 'Allow',
            Resource: 'arn:aws:dynamodb:eu-central-1:111122223333:table/items',
          },
        ]),
      },
    });
    const health = resourcesOfType(s.json(s.primary), 'AWS::IAM::Policy').find((p) =>
      p.id.startsWith('FunctionshealthRole'),
    );
    assert.ok(health);
    assert.doesNotMatch(JSON.stringify(health.Properties), /dynamodb:/);
    s.template(s.primary).allResourcesProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.absent(),
    });
  });
});

describe('DynamoDB', () => {
  test('a global table with a replica in the secondary region, PITR and KMS encryption', () => {
    s.template(s.primary).hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: {
        TableName: 'items',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'version', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'version', AttributeType: 'N' },
        ],
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            Region: 'eu-central-1',
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
          Match.objectLike({
            Region: 'eu-west-1',
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      },
    });
    s.template(s.secondary!).resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  test('destroy leaves only the tables marked to retain and the user pool: every other resource is deleted', () => {
    const retained = [s.primary, s.secondary!, s.edge!].flatMap((stack) =>
      Object.entries(s.json(stack).Resources)
        .filter(([, r]) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete')
        .map(([id, r]) => `${stack.stackName}/${id}:${r.DeletionPolicy}`),
    );
    assert.deepEqual(retained.sort(), [
      `shop-api-eu-west-1/${logicalId('primary', 'AWS::DynamoDB::GlobalTable', 'Tablesitems')}:Retain`,
      `shop-api-eu-west-1/${logicalId('primary', 'AWS::Cognito::UserPool', 'UserPoolsusers')}:Retain`,
    ]);
    s.template(s.primary).hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ TableName: 'scratch' }),
    });
  });

  test('the next deploy can adopt a retained table: what CloudFormation’s auto-import requires', () => {
    // docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/import-resources-automatically.html: a
    // static custom name in the template, DeletionPolicy Retain, and the type's primary identifier
    // (TableName for AWS::DynamoDB::GlobalTable) as a property, not a read-only attribute.
    const tables = resourcesOfType(s.json(s.primary), 'AWS::DynamoDB::GlobalTable').filter(
      (t) => t.DeletionPolicy === 'Retain',
    );
    assert.equal(tables.length, 1);
    for (const table of tables) {
      assert.equal(table.Properties!.TableName, 'items', 'a literal name, never an intrinsic');
      assert.equal(table.UpdateReplacePolicy, 'Retain');
      // Its replicas are part of the one resource: the secondary's replica comes back with it.
      assert.deepEqual((table.Properties!.Replicas as { Region: string }[]).map((r) => r.Region).sort(), [
        'eu-central-1',
        'eu-west-1',
      ]);
    }
    // The secondary stack owns no table, so nothing there can collide with a retained one.
    assert.equal(resourcesOfType(s.json(s.secondary!), 'AWS::DynamoDB::GlobalTable').length, 0);
  });
});

describe('CloudWatch', () => {
  test('the 5xx alarm watches AWS/ApiGateway 5xx with ApiId and Stage, never 5XXError', () => {
    for (const stack of ['primary', 'secondary'] as const) {
      const api = logicalId(stack, 'AWS::ApiGatewayV2::Api', 'HttpApi');
      s.template(s[stack]!).hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `${s[stack]!.stackName}-5xx`,
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: [
          { Name: 'ApiId', Value: { Ref: api } },
          { Name: 'Stage', Value: 'v1' },
        ],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [ref('ObservabilityAlarmTopic')],
        OKActions: [ref('ObservabilityAlarmTopic')],
      });
      assert.doesNotMatch(JSON.stringify(s.json(s[stack]!)), /5XXError/);
    }
  });

  test('percentile, per-function Lambda and cold-start alarms', () => {
    const t = s.template(s.primary);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Latency',
      Namespace: 'AWS/ApiGateway',
      ExtendedStatistic: 'p99',
      Statistic: Match.absent(),
      Period: 300,
      Threshold: 800,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: ref('FunctionsitemsFunction') }],
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-api-eu-west-1-coldStarts',
      Threshold: 50,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'SUM([m0,m1,m2])', ReturnData: true }),
        Match.objectLike({
          Id: 'm0',
          MetricStat: {
            Metric: { Namespace: COLD_START_NAMESPACE, MetricName: ref('FunctionsitemsFunction') },
            Period: 60,
            Stat: 'Sum',
          },
        }),
      ]),
    });
  });

  test('alarms notify an SNS topic that requires TLS and e-mails budget.email', () => {
    const t = s.template(s.primary);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('the dashboard is the golden-signals definition, widget for widget', () => {
    const body = dashboardBody('primary');
    assert.deepEqual(
      body.widgets.map((w) => w.properties.title),
      GOLDEN_SIGNALS_DASHBOARD.map((w) => w.title),
    );
    const functions = Object.keys(config.functions).length;
    GOLDEN_SIGNALS_DASHBOARD.forEach((widget, i) => {
      const series = body.widgets[i].properties.metrics;
      const expected = widget.metrics.flatMap((m) => {
        const namespace = m.metricName === 'ColdStarts' ? COLD_START_NAMESPACE : m.namespace;
        const name = m.metricName === 'ColdStarts' ? 'TOKEN' : m.metricName;
        return Array.from({ length: m.dimension === 'api' ? 1 : functions }, () => [namespace, name, m.statistic]);
      });
      assert.deepEqual(
        series.map((row) => [row[0], row[1], (row.at(-1) as { stat: string }).stat]),
        expected,
        widget.title,
      );
      for (const row of series) {
        if (row[0] === 'AWS/ApiGateway') assert.deepEqual(row.slice(2, 6), ['ApiId', 'TOKEN', 'Stage', 'v1']);
        if (row[0] === 'AWS/Lambda') assert.deepEqual(row.slice(2, 4), ['FunctionName', 'TOKEN']);
      }
    });
  });
});

describe('AWS Budgets', () => {
  test('monthly cost budget with the configured alert and a forecast notification to the alarm topic, in the primary only', () => {
    s.template(s.primary).hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: 'shop-api-monthly',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 75, Unit: 'USD' },
      },
      NotificationsWithSubscribers: [
        {
          Notification: {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 80,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [
            { SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('^ObservabilityAlarmTopic') } },
          ],
        },
        {
          Notification: {
            NotificationType: 'FORECASTED',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: 100,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [
            { SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('^ObservabilityAlarmTopic') } },
          ],
        },
      ],
    });
    s.template(s.secondary!).resourceCountIs('AWS::Budgets::Budget', 0);
  });
});

describe('custom domain and failover', () => {
  test('origin.{name}, which the configured certificate does not cover, gets DNS-validated certificates', () => {
    s.template(s.primary).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'origin.api.shop.example.com',
      ValidationMethod: 'DNS',
    });
    s.template(s.primary).hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'origin.api.shop.example.com',
      DomainNameConfigurations: [
        { CertificateArn: ref('DomainCertificate'), EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
      ],
    });
    s.template(s.secondary!).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'origin.api.shop.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'origin.api.shop.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    s.template(s.primary).hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiMappingKey: 'v1', Stage: 'v1' });
  });

  test('Route 53 failover records, primary and secondary, each with a health check on GET /health', () => {
    for (const [stack, failover, region] of [
      ['primary', 'PRIMARY', 'eu-west-1'],
      ['secondary', 'SECONDARY', 'eu-central-1'],
    ] as const) {
      const t = s.template(s[stack]!);
      const api = logicalId(stack, 'AWS::ApiGatewayV2::Api', 'HttpApi');
      const check = logicalId(stack, 'AWS::Route53::HealthCheck', 'DomainHealthCheck');
      const domain = logicalId(stack, 'AWS::ApiGatewayV2::DomainName', 'DomainDomainName');
      t.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: {
          Type: 'HTTPS',
          FullyQualifiedDomainName: {
            'Fn::Join': ['', [{ Ref: api }, `.execute-api.${region}.`, { Ref: 'AWS::URLSuffix' }]],
          },
          ResourcePath: '/v1/health',
          Port: 443,
          RequestInterval: 30,
          FailureThreshold: 3,
          EnableSNI: true,
          Inverted: false,
          MeasureLatency: false,
        },
      });
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'origin.api.shop.example.com.',
        Type: 'A',
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        Failover: failover,
        SetIdentifier: `shop-api-${stack}`,
        HealthCheckId: { Ref: check },
        AliasTarget: {
          DNSName: { 'Fn::GetAtt': [domain, 'RegionalDomainName'] },
          HostedZoneId: { 'Fn::GetAtt': [domain, 'RegionalHostedZoneId'] },
          EvaluateTargetHealth: true,
        },
      });
    }
  });

  test('CloudFront in us-east-1 with a WAF web ACL: AWS common rule set and a rate-based rule', () => {
    const t = s.template(s.edge!);
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Priority: 0,
          OverrideAction: { None: {} },
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
        }),
        Match.objectLike({
          Priority: 1,
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP' } },
        }),
      ],
    });
    const acl = resourcesOfType(s.json(s.edge!), 'AWS::WAFv2::WebACL')[0].id;
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['api.shop.example.com'],
        WebACLId: { 'Fn::GetAtt': [acl, 'Arn'] },
        Origins: [
          Match.objectLike({
            DomainName: 'origin.api.shop.example.com',
            CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
          }),
        ],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
      }),
    });
    t.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.shop.example.com',
      ValidationMethod: 'DNS',
    });
    for (const type of ['A', 'AAAA']) {
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.shop.example.com.',
        Type: type,
        AliasTarget: Match.objectLike({
          DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EdgeDistribution'), 'DomainName'] },
        }),
      });
    }
  });
});

describe('cdk-nag', () => {
  test('AwsSolutions reports no unacknowledged finding, and every acknowledgement carries its reason', () => {
    const acknowledged = new Map<string, Set<string>>();
    for (const stack of [s.primary, s.secondary!, s.edge!]) {
      for (const resource of Object.values(s.json(stack).Resources)) {
        const rules = (
          resource.Metadata?.cdk_nag as { rules_to_suppress: { id: string; reason: string }[] } | undefined
        )?.rules_to_suppress;
        for (const rule of rules ?? []) {
          assert.ok(rule.reason.length > 40, `${rule.id} has a real reason`);
          if (!acknowledged.has(rule.id)) acknowledged.set(rule.id, new Set());
          acknowledged.get(rule.id)!.add(resource.Type);
        }
      }
    }
    assert.deepEqual(Object.fromEntries([...acknowledged].map(([id, types]) => [id, [...types].sort()])), {
      'AwsSolutions-APIG4': ['AWS::ApiGatewayV2::Route'],
      'AwsSolutions-CFR1': ['AWS::CloudFront::Distribution'],
      'AwsSolutions-CFR3': ['AWS::CloudFront::Distribution'],
      'AwsSolutions-COG2': ['AWS::Cognito::UserPool'],
      'AwsSolutions-COG8': ['AWS::Cognito::UserPool'],
      'AwsSolutions-IAM5[Resource::*]': ['AWS::IAM::Policy'],
      'AwsSolutions-SMG4': ['AWS::SecretsManager::Secret'],
    });
  });

  test('only routes without an authorizer are acknowledged as public', () => {
    const publicRoutes = resourcesOfType(s.json(s.primary), 'AWS::ApiGatewayV2::Route')
      .filter((r) => r.Metadata?.cdk_nag !== undefined)
      .map((r) => r.Properties!.RouteKey)
      .sort();
    // Behind CloudFront only the health route (Route 53 sends no header) stays without an authorizer.
    assert.deepEqual(publicRoutes, ['GET /health']);
  });
});

describe('cfn-guard', () => {
  test('the Control Tower rules ran and passed; every acknowledged rule carries its reason', () => {
    assert.equal(s.guard, true);
    let acknowledged = 0;
    for (const stack of [s.primary, s.secondary!, s.edge!]) {
      for (const resource of Object.values(s.json(stack).Resources)) {
        const guard = resource.Metadata?.guard as
          | { SuppressedRules: string[]; Reasons: Record<string, string> }
          | undefined;
        if (!guard) continue;
        for (const rule of guard.SuppressedRules) {
          acknowledged++;
          assert.ok((guard.Reasons[rule] ?? '').length > 20, `${rule} needs a reason`);
        }
      }
    }
    assert.ok(acknowledged > 0);
  });
});

describe('snapshot', () => {
  test('the three templates match the committed snapshot (asset hashes normalised)', () => {
    matchSnapshot('full.templates', {
      [s.primary.stackName]: s.json(s.primary),
      [s.secondary!.stackName]: s.json(s.secondary!),
      [s.edge!.stackName]: s.json(s.edge!),
    });
  });
});
