/**
 * The config's chaos experiments as AWS FIS experiment templates (the L1 `CfnExperimentTemplate`:
 * aws-cdk-lib has no L2): one per experiment with at least one FIS action, targeting functions by ARN,
 * stopped by the deployed alarms, run by a role FIS assumes. Targeted functions get what FIS's Lambda
 * actions need (use-lambda-actions.html): the FIS extension layer, its environment variables, and read
 * access to the S3 configuration bucket FIS writes fault configurations to.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnExperimentTemplate } from 'aws-cdk-lib/aws-fis';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import {
  FIS_ALARM_SOURCE,
  FIS_CONFIG_PREFIX,
  FIS_EXEC_WRAPPER,
  FIS_LAMBDA_RESOURCE_TYPE,
  FIS_LAMBDA_TARGET_KEY,
  FIS_POLL_MAX_WAIT_MILLISECONDS,
  FIS_WAIT_ACTION,
  fisExtensionLayerParameter,
} from '../aws/fis.ts';
import { type FisExperimentPlan, isoDuration } from './fis-plan.ts';
import type { DeployedFunction } from './functions.ts';
import { acknowledgeGuard } from './guard.ts';
import { acknowledge } from './nag.ts';
import type { DeploymentPlan } from './plan.ts';

export interface FisExperimentsProps {
  plan: DeploymentPlan;
  experiments: FisExperimentPlan[];
  functions: Record<string, DeployedFunction>;
  alarms: Record<string, Alarm>;
}

export class FisExperiments extends Construct {
  readonly templates: Record<string, CfnExperimentTemplate> = {};
  readonly bucket?: Bucket;
  readonly role?: Role;

  constructor(scope: Construct, id: string, props: FisExperimentsProps) {
    super(scope, id);
    const exported = props.experiments.filter((e) => e.actions.length > 0);
    if (exported.length === 0) return;

    // One bucket per region, shareable across experiments (FIS's one-time setup).
    const bucket = new Bucket(this, 'ConfigBucket', {
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      bucket,
      'AwsSolutions-S1',
      'Holds only the short-lived fault configurations FIS writes and deletes during an experiment; FIS logs each experiment itself',
    );
    // cfn-guard's Control Tower rules (guard.ts) ask the same of every bucket; this one holds only
    // transient fault configurations, deleted with the stack.
    const transient =
      'Holds only the short-lived fault configurations FIS writes and deletes during an experiment; deleted with the stack';
    for (const rule of [
      's3_bucket_default_encryption_kms_check',
      's3_bucket_versioning_enabled_check',
      's3_bucket_logging_enabled_check',
      's3_event_notifications_enabled_check',
      's3_lifecycle_policy_check',
      's3_bucket_object_lock_enabled_check',
    ]) {
      acknowledgeGuard(bucket, rule, transient);
    }
    this.bucket = bucket;
    const location = `${bucket.bucketArn}/${FIS_CONFIG_PREFIX}`;
    // cdk-nag names a wildcard under the bucket by the bucket's logical id.
    const prefixFinding = `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/${FIS_CONFIG_PREFIX}*]`;

    const targeted = new Map<string, { preventExecution: boolean }>();
    for (const e of exported) {
      for (const a of e.actions) {
        const seen = targeted.get(a.functionName) ?? { preventExecution: false };
        seen.preventExecution ||= a.parameters.preventExecution !== undefined;
        targeted.set(a.functionName, seen);
      }
    }
    for (const [name, needs] of targeted) {
      const deployed = props.functions[name];
      const arch = deployed.config.architecture === 'x86_64' ? 'x86_64' : 'arm64';
      const layerArn = StringParameter.valueForStringParameter(this, fisExtensionLayerParameter(arch));
      deployed.fn.addLayers(LayerVersion.fromLayerVersionArn(this, `Extension ${name}`, layerArn));
      deployed.fn.addEnvironment('AWS_FIS_CONFIGURATION_LOCATION', location);
      deployed.fn.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', FIS_EXEC_WRAPPER);
      if (needs.preventExecution) {
        deployed.fn.addEnvironment('AWS_FIS_POLL_MAX_WAIT_MILLISECONDS', FIS_POLL_MAX_WAIT_MILLISECONDS);
      }
      deployed.fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${FIS_CONFIG_PREFIX}*`] } },
        }),
      );
      deployed.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [`${location}*`] }));
      acknowledge(
        deployed.fn.role!.node.findChild('DefaultPolicy'),
        prefixFinding,
        "The FIS extension reads the fault configurations FIS writes under this prefix; their names are FIS's",
      );
    }

    const role = new Role(this, 'ExperimentRole', {
      assumedBy: new ServicePrincipal('fis.amazonaws.com'),
      description: `${props.plan.prefix}: runs the chaos experiments of api.config.ts (AWS FIS)`,
    });
    role.addToPolicy(
      new PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [`${location}*`] }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:GetFunction'],
        resources: [...targeted.keys()].map((name) => props.functions[name].fn.functionArn),
      }),
    );
    role.addToPolicy(new PolicyStatement({ actions: ['tag:GetResources'], resources: ['*'] }));
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      'AwsSolutions-IAM5[Resource::*]',
      'tag:GetResources supports no resource-level permissions; FIS needs it to resolve Lambda targets',
    );
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      prefixFinding,
      "FIS writes and deletes fault configurations under this prefix only; their names are FIS's",
    );
    this.role = role;

    for (const e of exported) this.templates[e.experiment.name] = this.template(e, props, role);
  }

  private template(e: FisExperimentPlan, props: FisExperimentsProps, role: Role): CfnExperimentTemplate {
    const targets: Record<string, CfnExperimentTemplate.ExperimentTemplateTargetProperty> = {};
    const actions: Record<string, CfnExperimentTemplate.ExperimentTemplateActionProperty> = {};
    for (const a of e.actions) {
      const targetName = `Functions-${a.functionName}`;
      targets[targetName] = {
        resourceType: FIS_LAMBDA_RESOURCE_TYPE,
        resourceArns: [props.functions[a.functionName].fn.functionArn],
        selectionMode: 'ALL',
      };
      // A later start is a wait before the action: FIS starts actions without startAfter together.
      const wait = a.startAfterMs > 0 ? `wait-${a.name}` : undefined;
      if (wait) actions[wait] = { actionId: FIS_WAIT_ACTION, parameters: { duration: isoDuration(a.startAfterMs) } };
      actions[a.name] = {
        actionId: a.actionId,
        description: `${e.experiment.name}/${a.name}`,
        parameters: a.parameters,
        targets: { [FIS_LAMBDA_TARGET_KEY]: targetName },
        startAfter: wait ? [wait] : undefined,
      };
    }
    const stopConditions = e.experiment.stopConditions.length
      ? e.experiment.stopConditions.map((name) => ({ source: FIS_ALARM_SOURCE, value: props.alarms[name].alarmArn }))
      : [{ source: 'none' }];
    return new CfnExperimentTemplate(this, `Experiment ${e.experiment.name}`, {
      description: (e.experiment.description ?? `gantry chaos experiment ${e.experiment.name}`).slice(0, 512),
      roleArn: role.roleArn,
      targets,
      actions,
      stopConditions,
      tags: { Name: `${props.plan.prefix}-${e.experiment.name}` },
    });
  }
}
