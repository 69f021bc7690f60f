/**
 * The CDK feature flags of the app gantry builds, set on purpose. A CDK project keeps them in its
 * `cdk.json` (`cdk init` writes the installed version's recommended set there); gantry writes no
 * `cdk.json`, so they live here and `buildStacks` puts them into the app's context. Pinned literally,
 * not read from aws-cdk-lib's `CURRENTLY_RECOMMENDED_FLAGS` at run time: a flag changes templates, so
 * an aws-cdk-lib upgrade must not flip one silently (that would be drift on a redeploy of unchanged
 * code). When an upgrade recommends a new flag, test/infra/feature-flags.test.ts names it and asks
 * for a decision here.
 */
import type { App } from 'aws-cdk-lib';

/**
 * Flags that change what gantry synthesizes, or how synthesis checks it, each with why. Synthesizing
 * the example and the full test fixture with and without every other flag gives the same templates:
 * these are the ones that matter today.
 */
export const GANTRY_FLAGS = {
  // Templates read `arn:aws:dynamodb:eu-west-1:…` instead of a `Fn::Join` on `AWS::Partition`: every
  // gantry stack has its region, so the partition is known, and the cfn-guard and cdk-nag rules can
  // read a literal ARN where they cannot evaluate an intrinsic.
  '@aws-cdk/core:enablePartitionLiterals': true,
  // IAM caps a role's inline policies at 10,240 characters. A function granted several tables and
  // their indexes gets one statement per grant; merging statements (same meaning, fewer characters)
  // keeps least-privilege roles under the cap as tables are added.
  '@aws-cdk/aws-iam:minimizePolicies': true,
  // `Tags.of(stack)` tags the resources only; build.ts sets each stack's own tags explicitly, which
  // CloudFormation also propagates to what it creates on the stack's behalf.
  '@aws-cdk/core:explicitStackTags': true,
  // Cross-region values (the secondary reading the primary's user pool and origin secret, us-east-1
  // reading the health checks) go through `Fn::GetStackOutput` at deploy time: no SSM-writing custom
  // resources in either stack.
  '@aws-cdk/core:defaultCrossStackReferences': 'weak',
  // The CDK's built-in CloudFormation validation (resource schemas and rules) fails synthesis instead
  // of warning: a value CloudFormation would refuse stops `gantry synth`, not a deploy halfway through.
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  // Off, against the recommendation: gantry's synth warnings (timeouts, skipped origin checks) would
  // print twice, once as warnings and once more in the validation report.
  '@aws-cdk/core:annotationsInValidationReport': false,
  // Off, against the recommendation: gantry turns CDK analytics off (`analyticsReporting: false`), so
  // it sends no construct property keys either.
  '@aws-cdk/core:enableAdditionalMetadataCollection': false,
  // The origin secret reaches CloudFront and the authorizers only by reference: a SecretValue used as a
  // plain string anywhere fails synthesis instead of landing in a template.
  '@aws-cdk/core:checkSecretUsage': true,
  // A function with provisioned concurrency and a chaos experiment gets the FIS extension layer: its
  // `live` alias's version must change with the layer, or the alias keeps running without it.
  '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
} as const;

/**
 * aws-cdk-lib 2.276.0's other recommended flags, at the value `cdk init` writes. They change nothing
 * gantry synthesizes today (most touch constructs it never creates: ECS, EC2, RDS, pipelines, REST
 * APIs, Table v1 replicas): set so that the CDK CLI reports no unconfigured flag, and so that a
 * construct added later starts from the recommended behaviour rather than a legacy one.
 */
const RECOMMENDED_FLAGS = {
  '@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver': true,
  '@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId': true,
  '@aws-cdk/aws-apigateway:disableCloudWatchRole': true,
  '@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard': true,
  '@aws-cdk/aws-apigateway:requestValidatorUniqueId': true,
  '@aws-cdk/aws-appsync:appSyncGraphQLAPIScopeLambdaPermission': true,
  '@aws-cdk/aws-appsync:useArnForSourceApiAssociationIdentifier': true,
  '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true,
  '@aws-cdk/aws-batch:defaultToAL2023': true,
  '@aws-cdk/aws-cloudwatch-actions:changeLambdaPermissionLogicalIdForLambdaAction': true,
  '@aws-cdk/aws-codedeploy:removeAlarmsFromDeploymentGroup': true,
  '@aws-cdk/aws-codepipeline-actions:useNewDefaultBranchForCodeCommitSource': true,
  '@aws-cdk/aws-codepipeline:crossAccountKeyAliasStackSafeResourceName': true,
  '@aws-cdk/aws-codepipeline:crossAccountKeysDefaultValueToFalse': true,
  '@aws-cdk/aws-codepipeline:defaultPipelineTypeToV2': true,
  // Table (v1) replicas only; gantry's TableV2 is one AWS::DynamoDB::GlobalTable whose DeletionPolicy
  // covers every replica.
  '@aws-cdk/aws-dynamodb:retainTableReplica': true,
  '@aws-cdk/aws-ec2:bastionHostUseAmazonLinux2023ByDefault': true,
  '@aws-cdk/aws-ec2:ebsDefaultGp3Volume': true,
  '@aws-cdk/aws-ec2:ec2SumTImeoutEnabled': true,
  '@aws-cdk/aws-ec2:launchTemplateDefaultUserData': true,
  '@aws-cdk/aws-ec2:requirePrivateSubnetsForEgressOnlyInternetGateway': true,
  '@aws-cdk/aws-ec2:restrictDefaultSecurityGroup': true,
  '@aws-cdk/aws-ec2:uniqueImdsv2TemplateName': true,
  '@aws-cdk/aws-ecs-patterns:secGroupsDisablesImplicitOpenListener': true,
  '@aws-cdk/aws-ecs-patterns:uniqueTargetGroupId': true,
  '@aws-cdk/aws-ecs:arnFormatIncludesClusterName': true,
  '@aws-cdk/aws-ecs:disableExplicitDeploymentControllerForCircuitBreaker': true,
  '@aws-cdk/aws-ecs:reduceEc2FargateCloudWatchPermissions': true,
  '@aws-cdk/aws-ecs:removeDefaultDeploymentAlarm': true,
  '@aws-cdk/aws-ecs:removeEmptyLoadBalancers': true,
  '@aws-cdk/aws-efs:denyAnonymousAccess': true,
  '@aws-cdk/aws-efs:mountTargetOrderInsensitiveLogicalId': true,
  '@aws-cdk/aws-eks:defaultToAL2023': true,
  '@aws-cdk/aws-eks:nodegroupNameAttribute': true,
  '@aws-cdk/aws-eks:useNativeOidcProvider': true,
  '@aws-cdk/aws-elasticloadbalancingV2:albDualstackWithoutPublicIpv4SecurityGroupRulesDefault': true,
  '@aws-cdk/aws-elasticloadbalancingv2:networkLoadBalancerWithSecurityGroupByDefault': true,
  '@aws-cdk/aws-elasticloadbalancingv2:usePostQuantumTlsPolicy': true,
  '@aws-cdk/aws-events:eventsTargetQueueSameAccount': true,
  '@aws-cdk/aws-events:requireEventBusPolicySid': true,
  '@aws-cdk/aws-iam:oidcRejectUnauthorizedConnections': true,
  '@aws-cdk/aws-kms:aliasNameRef': true,
  '@aws-cdk/aws-kms:applyImportedAliasPermissionsToPrincipal': true,
  '@aws-cdk/aws-kms:reduceCrossAccountRegionPolicyScope': true,
  '@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages': true,
  '@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion': true,
  '@aws-cdk/aws-opensearchservice:enableOpensearchMultiAzWithStandby': true,
  '@aws-cdk/aws-rds:auroraClusterChangeScopeOfInstanceParameterGroupWithEachParameters': true,
  '@aws-cdk/aws-rds:databaseProxyUniqueResourceName': true,
  '@aws-cdk/aws-rds:preventRenderingDeprecatedCredentials': true,
  '@aws-cdk/aws-rds:setCorrectValueForDatabaseInstanceReadReplicaInstanceResourceId': true,
  '@aws-cdk/aws-redshift:columnId': true,
  '@aws-cdk/aws-route53-patterns:useDistribution': true,
  '@aws-cdk/aws-route53-patters:useCertificate': true,
  '@aws-cdk/aws-route53-targets:userPoolDomainNameMethodWithoutCustomResource': true,
  '@aws-cdk/aws-s3:keepNotificationInImportedBucket': false,
  '@aws-cdk/aws-s3:setUniqueReplicationRoleName': true,
  '@aws-cdk/aws-secretsmanager:useAttachedSecretResourcePolicyForSecretTargetAttachments': true,
  '@aws-cdk/aws-signer:signingProfileNamePassedToCfn': true,
  '@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption': true,
  '@aws-cdk/aws-stepfunctions-tasks:enableEmrServicePolicyV2': true,
  '@aws-cdk/aws-stepfunctions-tasks:fixRunEcsTaskPolicy': true,
  '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2': true,
  '@aws-cdk/core:cfnIncludeRejectComplexResourceUpdateCreatePolicyIntrinsics': true,
  '@aws-cdk/custom-resources:logApiResponseDataPropertyTrueDefault': false,
  '@aws-cdk/customresources:installLatestAwsSdkDefault': false,
  '@aws-cdk/s3-notifications:addS3TrustKeyPolicyForSnsSubscriptions': true,
  '@aws-cdk/aws-cloudfront:defaultFunctionRuntimeV2_0': true,
  '@aws-cdk/aws-cloudfront:defaultViewerProtocolPolicyRedirectToHttps': true,
  '@aws-cdk/aws-dynamodb:resourcePolicyPerReplica': true,
  '@aws-cdk/aws-iam:importedRoleStackSafeDefaultPolicyName': true,
  '@aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy': false,
  '@aws-cdk/aws-lambda:useCdkManagedLogGroup': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  '@aws-cdk/aws-s3:publicAccessBlockedByDefault': true,
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/core:aspectPrioritiesMutating': true,
  '@aws-cdk/core:includePrefixInUniqueNameGeneration': true,
  '@aws-cdk/core:target-partitions': ['aws', 'aws-cn'],
  '@aws-cdk/core:validateSnapshotRemovalPolicy': true,
} as const;

/** Every flag gantry sets, as it appears in the app's context. */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = { ...RECOMMENDED_FLAGS, ...GANTRY_FLAGS };

/**
 * Puts the flags into the app's context, before any stack exists (the CDK refuses context once the
 * app has children). A flag the app's context already holds (`cdk -c`, a `cdk.json` in the project)
 * keeps that value, as the CDK's own precedence has it.
 */
export function applyFeatureFlags(app: App): void {
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) {
    if (app.node.tryGetContext(flag) === undefined) app.node.setContext(flag, value);
  }
}
