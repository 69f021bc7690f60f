/** The us-east-1 stack CloudFront needs: its certificate, the WAF web ACL and the distribution. */
import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Edge } from './edge.ts';
import { type DeploymentPlan, edgeStackName } from './plan.ts';

export class EdgeStack extends Stack {
  readonly edge: Edge;

  /** `originSecretArn`: the primary's origin secret, whose us-east-1 replica CloudFront reads. */
  constructor(scope: Construct, plan: DeploymentPlan, originSecretArn: string) {
    const stackName = edgeStackName(plan);
    super(scope, stackName, {
      stackName,
      terminationProtection: plan.terminationProtection,
      env: { account: plan.account, region: plan.edge!.region },
      description: `${plan.config.name} edge: CloudFront and AWS WAF${plan.stage ? ` (stage ${plan.stage})` : ''}, deployed by gantry`,
      // It reads the primary's origin secret ARN, and the regions' health check ids for their alarms.
      crossRegionReferences: true,
    });
    this.edge = new Edge(this, 'Edge', { plan, originSecretArn });
  }
}
