/**
 * `gantry synth` on the example: every experiment with an FIS action becomes an
 * AWS::FIS::ExperimentTemplate whose actions, parameters, targets and stop conditions are checked
 * against FIS's documented names and ranges (src/aws/fis.ts, from fis-actions-reference.html); the
 * targeted functions carry the extension; cdk-nag passes (synthesis fails otherwise).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FIS_LAMBDA_ACTIONS, fisExtensionLayerParameter } from '../../src/aws/fis.ts';
import { loadConfig, type ResolvedConfig } from '../../src/config/index.ts';
import { describeFisCoverage, planFisExperiments } from '../../src/infra/fis-plan.ts';
import { type CfnResourceJson, type Synthesized, synthesize } from '../infra/helpers.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/orders/api.config.ts', import.meta.url));

let config: ResolvedConfig;
let synth: Synthesized;
let resources: Record<string, CfnResourceJson>;
before(async () => {
  config = await loadConfig(EXAMPLE);
  synth = synthesize(config, { bundle: false });
  resources = synth.json(synth.primary).Resources;
});
after(() => synth?.cleanup());

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const ref = (value: unknown) => JSON.stringify(value);

/** ISO 8601 durations as FIS takes them (PT…H…M…S). */
const ISO = /^PT(\d+H)?(\d+M)?(\d+S)?$/;

test('one experiment template per experiment, with FIS actions, parameters and ranges only', () => {
  const templates = ofType('AWS::FIS::ExperimentTemplate');
  assert.equal(templates.length, Object.keys(config.experiments).length);
  for (const [, t] of templates) {
    const actions = t.Properties!.Actions as Record<
      string,
      { ActionId: string; Parameters: Record<string, string>; Targets?: Record<string, string>; StartAfter?: string[] }
    >;
    const targets = t.Properties!.Targets as Record<
      string,
      { ResourceType: string; ResourceArns: unknown[]; SelectionMode: string }
    >;
    for (const [name, action] of Object.entries(actions)) {
      assert.ok(name.length <= 64);
      assert.match(action.Parameters.duration, ISO, `${name}: duration is ISO 8601`);
      if (action.ActionId === 'aws:fis:wait') continue;
      const documented = FIS_LAMBDA_ACTIONS[action.ActionId as keyof typeof FIS_LAMBDA_ACTIONS];
      assert.ok(documented, `${action.ActionId} is one of FIS's Lambda actions`);
      for (const [parameter, value] of Object.entries(action.Parameters)) {
        if (parameter === 'duration') continue;
        const spec = (documented as Record<string, { kind: string; min?: number; max?: number; values?: string[] }>)[
          parameter
        ];
        assert.ok(spec, `${action.ActionId} documents ${parameter}`);
        assert.equal(typeof value, 'string', 'FIS parameters are strings');
        if (spec.kind === 'integer') {
          assert.ok(
            Number(value) >= spec.min! && Number(value) <= spec.max!,
            `${parameter}=${value} within ${spec.min}–${spec.max}`,
          );
        }
        if (spec.kind === 'boolean') assert.match(value, /^(true|false)$/);
      }
      for (const [parameter, spec] of Object.entries(documented as Record<string, { default?: unknown }>)) {
        if (spec.default === undefined) assert.ok(parameter in action.Parameters, `required ${parameter} is set`);
      }
      assert.deepEqual(Object.keys(action.Targets!), ['Functions'], 'Lambda actions target "Functions"');
      const target = targets[action.Targets!.Functions];
      assert.equal(target.ResourceType, 'aws:lambda:function');
      assert.equal(target.SelectionMode, 'ALL');
      assert.match(ref(target.ResourceArns), /ordersFunction[0-9A-F]+","Arn"/, 'targets the orders function by ARN');
    }
  }
});

test('orders-latency: the Lambda delay is exported with its values, the gateway fault is listed as not exported', () => {
  const [, t] = ofType('AWS::FIS::ExperimentTemplate').find(([, r]) =>
    ref(r.Properties!.Actions).includes('slowLambda'),
  )!;
  const actions = t.Properties!.Actions as Record<string, { ActionId: string; Parameters: Record<string, string> }>;
  assert.deepEqual(Object.keys(actions), ['slowLambda']);
  assert.deepEqual(actions.slowLambda.Parameters, {
    duration: 'PT15S',
    startupDelayMilliseconds: '400',
    invocationPercentage: '50',
  });
  const stop = t.Properties!.StopConditions as { Source: string; Value: unknown }[];
  assert.equal(stop.length, 1);
  assert.equal(stop[0].Source, 'aws:cloudwatch:alarm');
  const [alarmId] = ofType('AWS::CloudWatch::Alarm').find(([, r]) => ref(r.Properties!.AlarmName).includes('-5xx'))!;
  assert.deepEqual(stop[0].Value, { 'Fn::GetAtt': [alarmId, 'Arn'] });
  const lines = describeFisCoverage(planFisExperiments(config));
  assert.ok(
    lines.includes(
      'chaos experiment orders-latency: AWS::FIS::ExperimentTemplate with aws:lambda:invocation-add-delay',
    ),
  );
  assert.ok(
    lines.includes(
      '  not exported: slowGateway (gantry:apigateway:route-add-delay): AWS FIS has no such action (it runs under gantry dev only)',
    ),
  );
});

test('an experiment without stop conditions says "none"; preventExecution keeps its value', () => {
  const [, t] = ofType('AWS::FIS::ExperimentTemplate').find(([, r]) =>
    ref(r.Properties!.Description).includes('POST /orders invocations fail'),
  )!;
  assert.deepEqual(t.Properties!.StopConditions, [{ Source: 'none' }]);
  const actions = t.Properties!.Actions as Record<string, { Parameters: Record<string, string> }>;
  assert.deepEqual(actions.errors.Parameters, {
    duration: 'PT15S',
    invocationPercentage: '10',
    preventExecution: 'false',
  });
});

test('the role is assumed by FIS and holds what FIS documents for Lambda actions', () => {
  const [roleId, role] = ofType('AWS::IAM::Role').find(([, r]) =>
    ref(r.Properties!.AssumeRolePolicyDocument).includes('fis.amazonaws.com'),
  )!;
  for (const [, t] of ofType('AWS::FIS::ExperimentTemplate'))
    assert.deepEqual(t.Properties!.RoleArn, { 'Fn::GetAtt': [roleId, 'Arn'] });
  const policy = ofType('AWS::IAM::Policy').find(([, p]) => ref(p.Properties!.Roles).includes(roleId))!;
  const actions = ref(policy[1].Properties!.PolicyDocument);
  for (const a of ['s3:PutObject', 's3:DeleteObject', 'lambda:GetFunction', 'tag:GetResources'])
    assert.ok(actions.includes(a), a);
  void role;
});

test('the targeted function gets the extension layer, its variables and read access to the configuration bucket; the others not', () => {
  const fns = ofType('AWS::Lambda::Function');
  const orders = fns.find(([id]) => id.startsWith('Functionsorders'))![1];
  const health = fns.find(([id]) => id.startsWith('Functionshealth'))![1];
  const env = (orders.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
  assert.equal(env.AWS_LAMBDA_EXEC_WRAPPER, '/opt/aws-fis/bootstrap');
  assert.equal(env.AWS_FIS_POLL_MAX_WAIT_MILLISECONDS, '2000');
  const [bucketId] = ofType('AWS::S3::Bucket')[0];
  assert.match(ref(env.AWS_FIS_CONFIGURATION_LOCATION), new RegExp(`${bucketId}.*/FisConfigs/`));
  assert.match(ref(orders.Properties!.Layers), /SsmParameterValue.*awsservicefislambdaextensionAWSFISextensionarm64/);
  const parameters = synth.json(synth.primary).Parameters as Record<string, { Default?: string }>;
  assert.ok(Object.values(parameters).some((p) => p.Default === fisExtensionLayerParameter('arm64')));
  assert.equal(health.Properties!.Layers, undefined);
  assert.equal(
    (health.Properties!.Environment as { Variables: Record<string, unknown> }).Variables.AWS_LAMBDA_EXEC_WRAPPER,
    undefined,
  );
});

test('an action FIS would refuse fails synth naming the field', async () => {
  const bad = structuredClone(config);
  bad.experiments['orders-errors'].actions[0].parameters = { preventExecution: 'maybe' };
  assert.throws(
    () => planFisExperiments(bad),
    /chaos\.experiments\.orders-errors\.actions\.errors\.parameters\.preventExecution: expected true or false, got "maybe"/,
  );
});
