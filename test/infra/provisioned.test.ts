/** Provisioned concurrency deployed: a `live` alias carrying it, and the routes invoking that alias. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { inlineConfig, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

const cleanups: Synthesized[] = [];
after(() => {
  for (const s of cleanups) s.cleanup();
});

describe('provisioned concurrency', () => {
  const s = synthesize(
    inlineConfig({
      name: 'demo',
      functions: {
        items: { handler: 'src/items.handler', reservedConcurrency: 20, provisionedConcurrency: 5 },
        plain: { handler: 'src/items.handler' },
      },
      routes: { 'GET /items': 'items', 'GET /plain': 'plain' },
    }),
    { bundle: false },
  );
  cleanups.push(s);

  test('the function gets a live alias with its provisioned concurrency; the route integration targets it', () => {
    const template = s.template(s.primary);
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 },
    });
    const aliases = resourcesOfType(s.json(s.primary), 'AWS::Lambda::Alias');
    assert.equal(aliases.length, 1, 'only the function with provisioned concurrency gets an alias');
    const aliasId = aliases[0].id;
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: { Ref: aliasId },
    });
    // The other function's integration invokes the function itself.
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }),
    });
  });
});
