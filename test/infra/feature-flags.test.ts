/** The CDK feature flags gantry sets on purpose: all decided, in the assembly, and what they change. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { applyFeatureFlags, FEATURE_FLAGS, GANTRY_FLAGS } from '../../src/infra/feature-flags.ts';
import { inlineConfig, type Synthesized, synthesize } from './helpers.ts';

const cleanups: Synthesized[] = [];
after(() => {
  for (const s of cleanups) s.cleanup();
});

interface FlagReport {
  userValue?: unknown;
  recommendedValue?: unknown;
  unconfiguredBehavesLike?: { v2?: unknown };
}

function manifest(s: Synthesized) {
  return JSON.parse(readFileSync(join(s.outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { flags?: Record<string, FlagReport>; tags?: unknown } }>;
  };
}

describe('every flag is decided', () => {
  test('each flag the installed aws-cdk-lib recommends is set by gantry (an upgrade adding one fails here, by name)', () => {
    const undecided = Object.keys(cxapi.CURRENTLY_RECOMMENDED_FLAGS).filter((flag) => !(flag in FEATURE_FLAGS));
    assert.deepEqual(undecided, [], 'decide these in src/infra/feature-flags.ts');
  });

  test('each flag gantry sets is one aws-cdk-lib knows (a misspelt flag would be silently ignored)', () => {
    const unknown = Object.keys(FEATURE_FLAGS).filter((flag) => !(flag in cxapi.FLAGS));
    assert.deepEqual(unknown, []);
  });

  test('gantry departs from the recommended value only where it says why, and only in GANTRY_FLAGS', () => {
    const departures = Object.entries(FEATURE_FLAGS)
      .filter(([flag, value]) => JSON.stringify(value) !== JSON.stringify(cxapi.CURRENTLY_RECOMMENDED_FLAGS[flag]))
      .map(([flag]) => flag)
      .sort();
    assert.deepEqual(departures, [
      '@aws-cdk/core:annotationsInValidationReport',
      '@aws-cdk/core:enableAdditionalMetadataCollection',
    ]);
    for (const flag of departures) assert.ok(flag in GANTRY_FLAGS, flag);
  });

  test('a flag already in the app’s context (cdk -c, a project cdk.json) keeps its value', () => {
    const app = new App({ context: { '@aws-cdk/aws-iam:minimizePolicies': false } });
    applyFeatureFlags(app);
    assert.equal(app.node.tryGetContext('@aws-cdk/aws-iam:minimizePolicies'), false);
    assert.equal(app.node.tryGetContext('@aws-cdk/core:enablePartitionLiterals'), true);
  });
});

describe('the synthesized assembly', () => {
  const s = synthesize(
    inlineConfig({
      name: 'flags',
      functions: {
        items: { handler: 'src/items.handler', tables: { orders: 'read-write', carts: 'read-write' } },
      },
      routes: { 'GET /items': 'items' },
      tables: { orders: { partitionKey: 'id' }, carts: { partitionKey: 'id' } },
      tags: { team: 'payments' },
      regions: { primary: 'eu-west-1' },
    }),
    { bundle: false, nag: false },
  );
  cleanups.push(s);

  test('its feature-flag report shows gantry’s values, and no flag left to behave otherwise than recommended', () => {
    const report = Object.values(manifest(s).artifacts).find((a) => a.type === 'cdk:feature-flag-report');
    const flags = report?.properties?.flags;
    assert.ok(flags, 'the assembly carries a feature-flag report');
    const user = (flag: string) => flags[flag]?.userValue;
    assert.equal(user('@aws-cdk/aws-iam:minimizePolicies'), true);
    assert.equal(user('@aws-cdk/core:enablePartitionLiterals'), true);
    assert.equal(user('@aws-cdk/core:validateAgainstDefaultRules'), true);
    assert.equal(user('@aws-cdk/core:explicitStackTags'), true);
    assert.equal(user('@aws-cdk/core:defaultCrossStackReferences'), 'weak');
    assert.equal(user('@aws-cdk/core:checkSecretUsage'), true);
    assert.equal(user('@aws-cdk/aws-lambda:recognizeLayerVersion'), true);
    assert.equal(user('@aws-cdk/core:annotationsInValidationReport'), false);
    // Flags older than v2's defaults behave as recommended when unset; any other unset one would not.
    const unconfigured = Object.entries(flags)
      .filter(([, f]) => f.userValue === undefined)
      .filter(([, f]) => JSON.stringify(f.unconfiguredBehavesLike?.v2 ?? false) !== JSON.stringify(f.recommendedValue))
      .map(([flag]) => flag);
    assert.deepEqual(unconfigured, []);
  });

  test('minimizePolicies: one statement grants both tables, listing each table’s ARN', () => {
    s.template(s.primary).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^FunctionsitemsRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['dynamodb:GetItem', 'dynamodb:PutItem']),
            Resource: [
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^Tablescarts'), 'Arn'] },
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^Tablesorders'), 'Arn'] },
            ],
          }),
        ]),
      },
    });
    const statements = JSON.stringify(s.json(s.primary)).match(/"dynamodb:GetItem"/g) ?? [];
    assert.equal(statements.length, 1, 'the two tables’ grants are one statement');
  });

  test('enablePartitionLiterals: ARNs are literal in a stack whose region is known', () => {
    const template = JSON.stringify(s.json(s.primary));
    assert.doesNotMatch(template, /AWS::Partition/);
    assert.match(template, /"arn:aws:execute-api:eu-west-1:/);
  });

  test('explicitStackTags: each stack carries the config’s tags itself, and its resources still do', () => {
    const artifact = manifest(s).artifacts[s.primary.artifactId];
    assert.deepEqual(artifact.properties?.tags, { 'gantry:api': 'flags', team: 'payments' });
    s.template(s.primary).hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'team', Value: 'payments' }]),
    });
  });
});

describe('validateAgainstDefaultRules', () => {
  test('a template CloudFormation would refuse fails synthesis: no AWS::Budgets::Budget in eu-north-1', () => {
    // CloudFormation answers "Unrecognized resource types: [AWS::Budgets::Budget]" in several regions
    // (aws-cloudformation/cloudformation-coverage-roadmap#2177): found at synth, not mid-deploy.
    const config = inlineConfig({
      name: 'north',
      functions: { items: { handler: 'src/items.handler' } },
      routes: { 'GET /items': 'items' },
      regions: { primary: 'eu-north-1' },
    });
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    try {
      assert.throws(() => synthesize(config, { bundle: false, nag: false }), /Validation failed/);
    } finally {
      console.error = original;
    }
    assert.match(errors.join('\n'), /AWS::Budgets::Budget' does not exist in 'eu-north-1'/);
  });
});
