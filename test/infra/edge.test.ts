/**
 * An edge that cannot be bypassed: behind CloudFront, each region's API refuses requests that lack
 * the secret header CloudFront adds, except the route Route 53's health checks call; the WAF common
 * rule set no longer blocks bodies over 8 KB; the configured certificate goes only where it applies.
 * One two-region CloudFront config, synthesized once without bundling.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { InfraError } from '../../src/infra/errors.ts';
import { ORIGIN_VERIFY_HEADER } from '../../src/infra/origin-verify.ts';
import { planDeployment } from '../../src/infra/plan.ts';
import { inlineConfig, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

const certificateArn = 'arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555';
const base = {
  name: 'shop',
  account: '111122223333',
  authorizers: { partners: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['shop'] } },
  functions: { items: { handler: 'src/items.handler' }, health: { handler: 'src/health.handler' } },
  routes: {
    'GET /items': 'items',
    'POST /items': { function: 'items', authorizer: 'partners' },
    'GET /health': 'health',
  },
  regions: { primary: 'eu-west-1', secondary: 'eu-central-1' },
  domain: { name: 'api.shop.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', certificateArn, cloudFront: true },
};

let s: Synthesized;
before(() => {
  s = synthesize(inlineConfig(base), { bundle: false });
});
after(() => s?.cleanup());

const routeAuth = (stack: 'primary' | 'secondary') =>
  Object.fromEntries(
    resourcesOfType(s.json(s[stack]!), 'AWS::ApiGatewayV2::Route').map((r) => [
      r.Properties!.RouteKey,
      { type: r.Properties!.AuthorizationType, id: (r.Properties!.AuthorizerId as { Ref?: string })?.Ref },
    ]),
  );

describe('the regional APIs answer only through CloudFront', () => {
  test('CloudFront sends the secret header, resolved from Secrets Manager at deploy time (never in the template)', () => {
    const [distribution] = resourcesOfType(s.json(s.edge!), 'AWS::CloudFront::Distribution');
    const config = distribution.Properties!.DistributionConfig as { Origins: { OriginCustomHeaders: unknown[] }[] };
    const headers = config.Origins[0].OriginCustomHeaders as { HeaderName: string; HeaderValue: unknown }[];
    assert.deepEqual(
      headers.map((h) => h.HeaderName),
      [ORIGIN_VERIFY_HEADER],
    );
    const value = JSON.stringify(headers[0].HeaderValue);
    assert.match(value, /^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:arn:/);
    assert.match(value, /:secretsmanager:us-east-1:111122223333:secret:/);
    assert.match(value, /:SecretString\}\}/);
  });

  test('the secret is generated in the primary and replicated to the secondary and us-east-1', () => {
    s.template(s.primary).hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 48, ExcludePunctuation: true }),
      ReplicaRegions: [{ Region: 'eu-central-1' }, { Region: 'us-east-1' }],
      Name: Match.absent(),
    });
    s.template(s.secondary!).resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('in both regions, every route without an authorizer of its own checks the header; the health route stays open', () => {
    for (const stack of ['primary', 'secondary'] as const) {
      const [origin] = resourcesOfType(s.json(s[stack]!), 'AWS::ApiGatewayV2::Authorizer').filter((a) =>
        a.id.startsWith('OriginVerify'),
      );
      assert.ok(origin, `${stack}: an origin authorizer`);
      assert.deepEqual(origin.Properties!.IdentitySource, [`$request.header.${ORIGIN_VERIFY_HEADER}`]);
      assert.equal(origin.Properties!.AuthorizerType, 'REQUEST');
      assert.equal(origin.Properties!.AuthorizerResultTtlInSeconds, 300);
      const auth = routeAuth(stack);
      assert.deepEqual(auth['GET /items'], { type: 'CUSTOM', id: origin.id });
      assert.equal(auth['POST /items'].type, 'JWT');
      assert.deepEqual(auth['GET /health'], { type: 'NONE', id: undefined });
    }
  });

  test('the origin check may read only its own region’s copy of the secret', () => {
    s.template(s.secondary!).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^OriginVerifyRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'secretsmanager:GetSecretValue',
            Effect: 'Allow',
            Resource: Match.objectLike({
              'Fn::Join': ['', Match.arrayWith(['arn:aws:secretsmanager:eu-central-1:111122223333:secret:'])],
            }),
          },
        ]),
      },
    });
  });

  test('a route keeping its own authorizer is announced: it still answers at the regional URLs', () => {
    Annotations.fromStack(s.primary).hasWarning(
      '*',
      Match.stringLikeRegexp(
        'routes\\["POST /items"\\].*"partners" is kept and the CloudFront origin check is not applied',
      ),
    );
  });
});

describe('AWS WAF and certificates', () => {
  test('the common rule set counts bodies over 8 KB instead of blocking them', () => {
    s.template(s.edge!).hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'AWSManagedRulesCommonRuleSet',
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
            }),
          },
        }),
      ]),
    });
  });

  test('a certificate ARN for the domain is not attached to origin.{name}, which it does not cover', () => {
    s.template(s.primary).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'origin.api.shop.example.com',
    });
    const [domainName] = resourcesOfType(s.json(s.primary), 'AWS::ApiGatewayV2::DomainName');
    assert.doesNotMatch(JSON.stringify(domainName.Properties), /certificate\/11111111/);
  });
});

describe('health checks that can tell the truth', () => {
  test('a health route behind an authorizer is refused at synth: Route 53 sends no credentials', () => {
    const raw = { ...base, routes: { ...base.routes, 'GET /health': { function: 'health', authorizer: 'partners' } } };
    assert.throws(
      () => planDeployment(inlineConfig(raw)),
      (error: unknown) =>
        error instanceof InfraError &&
        /routes\["GET \/health"\]\.authorizer: Route 53 health checks call GET \/health without credentials/.test(
          error.message,
        ),
    );
  });
});
