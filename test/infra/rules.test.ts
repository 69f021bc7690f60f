/**
 * What AWS would do differently from what the config says, caught at synth: stages that would share
 * one domain, alarms that mail OK after each idle spell, periods and notification counts AWS refuses,
 * timeouts and concurrency that cannot work, production stacks one command away from deletion.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { InfraError } from '../../src/infra/errors.ts';
import { planDeployment } from '../../src/infra/plan.ts';
import { inlineConfig, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

const base = {
  name: 'shop',
  functions: {
    items: {
      handler: 'src/items.handler',
      timeoutSeconds: 10,
      reservedConcurrency: 0,
      environment: { ITEMS_TABLE: 'items' },
    },
    health: { handler: 'src/health.handler', environment: { TABLE: 'items' }, tables: { items: 'describe' } },
  },
  tables: { items: { partitionKey: 'id' } },
  authorizers: { users: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['x'], cognitoUserPool: true } },
  routes: {
    'GET /items': { function: 'items', timeoutInMillis: 5000 },
    'DELETE /items/{id}': { function: 'items', authorizer: 'users', scopes: ['items/delete'] },
    'GET /health': 'health',
  },
  domain: { name: 'api.shop.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', stage: 'prod' },
};

let prod: Synthesized;
before(() => {
  prod = synthesize(inlineConfig(base), { bundle: false, stage: 'prod' });
});
after(() => prod?.cleanup());

function refusal(raw: Record<string, unknown>): string {
  try {
    planDeployment(inlineConfig(raw));
  } catch (error) {
    assert.ok(error instanceof InfraError, String(error));
    return error.message;
  }
  assert.fail('expected an InfraError');
}

describe('stages do not collide', () => {
  test('a stage other than domain.stage is served at {stage}.{name}; domain.stage keeps the name itself', () => {
    const dev = planDeployment(inlineConfig(base), { stage: 'dev' });
    assert.equal(dev.host, 'dev.api.shop.example.com');
    assert.equal(dev.regionalHost, 'dev.api.shop.example.com');
    prod.template(prod.primary).hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.shop.example.com',
    });
    const unstaged = planDeployment(inlineConfig({ ...base, domain: { ...base.domain, stage: undefined } }), {
      stage: 'prod',
    });
    assert.equal(unstaged.host, 'prod.api.shop.example.com');
  });

  test('production stages are protected from deletion; others are not', () => {
    assert.equal(prod.primary.terminationProtection, true);
    assert.equal(planDeployment(inlineConfig(base), { stage: 'dev' }).terminationProtection, false);
    assert.equal(planDeployment(inlineConfig(base), { stage: 'production' }).terminationProtection, true);
  });
});

describe('alarms and budgets AWS will honour', () => {
  test('the default 5xx alarm treats minutes without requests as zero errors, so it never mails OK after idling', () => {
    prod.template(prod.primary).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5xx',
      TreatMissingData: 'notBreaching',
    });
  });

  test('a sub-minute period on a standard-resolution metric is refused', () => {
    assert.match(
      refusal({ ...base, alarms: { '5xx': { threshold: 1, periodSeconds: 10 } } }),
      /^alarms\.5xx\.periodSeconds: 10 s is finer than AWS\/ApiGateway publishes/,
    );
  });

  test('more than 5 budget notifications are refused, counting the forecast one gantry adds', () => {
    const alerts = [10, 20, 30, 40, 50].map((percent) => ({ percent }));
    assert.match(
      refusal({ ...base, budget: { alerts } }),
      /^budget\.alerts: 6 notifications \(gantry adds a 100 % forecast one when none is given\), but AWS Budgets allows at most 5/,
    );
  });
});

describe('Cognito user pools', () => {
  test('a scoped route behind the created pool gets what Cognito needs to issue that scope, and its client is trusted', () => {
    const t = prod.template(prod.primary);
    t.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'items',
      Scopes: [{ ScopeName: 'delete', ScopeDescription: 'items/delete' }],
    });
    t.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'shop-prod-users' });
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [
        { 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('^UserPoolsusersServeritems') }, '/delete']] },
      ],
    });
    // The sign-in client has OAuth off on purpose (the CDK would default to code and implicit grants).
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlows: Match.absent(),
    });
    const [authorizer] = resourcesOfType(prod.json(prod.primary), 'AWS::ApiGatewayV2::Authorizer');
    const audience = (authorizer.Properties!.JwtConfiguration as { Audience: unknown[] }).Audience;
    assert.equal(audience.length, 2, 'the sign-in client and the client-credentials client');
  });

  test('a scope without a resource server part is refused: Cognito cannot grant it', () => {
    const raw = {
      ...base,
      routes: { ...base.routes, 'DELETE /items/{id}': { function: 'items', authorizer: 'users', scopes: ['delete'] } },
    };
    assert.throws(
      () => synthesize(inlineConfig(raw), { bundle: false, stage: 'dev' }),
      (error: unknown) =>
        error instanceof InfraError && /the scope "delete" has no resource server part/.test(error.message),
    );
  });

  test('the user pool keeps its users on destroy, like a table its items: retained and deletion-protected', () => {
    prod.template(prod.primary).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });
});

describe('settings announced at synth', () => {
  const warnings = () => Annotations.fromStack(prod.primary);

  test('a function timeout longer than its route’s integration timeout', () => {
    warnings().hasWarning(
      '*',
      Match.stringLikeRegexp('routes\\["GET /items"\\]: functions\\.items\\.timeoutSeconds \\(10 s\\) is longer than'),
    );
  });

  test('a table grant inferred from an environment value, not declared in functions.NAME.tables', () => {
    warnings().hasWarning(
      '*',
      Match.stringLikeRegexp(
        'functions\\.items\\.environment\\.ITEMS_TABLE \\("items"\\) names table items, so the function gets read-write',
      ),
    );
    // The health function declares its access exactly: no warning names it.
    const named = warnings()
      .findWarning('*', Match.stringLikeRegexp('functions\\.health\\.environment'))
      .map((w) => w.entry.data);
    assert.deepEqual(named, []);
  });

  test('reserved concurrency of 0', () => {
    warnings().hasWarning(
      '*',
      Match.stringLikeRegexp('functions\\.items\\.reservedConcurrency: 0 lets no invocation run'),
    );
    assert.equal(resourcesOfType(prod.json(prod.primary), 'AWS::Lambda::Function').length, 2);
  });
});
