/** The us-east-1 stack CloudFront needs: its certificate, the WAF web ACL and the distribution. */
import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Edge } from './edge.ts';
import { type DeploymentPlan, edgeStackName } from './plan.ts';
import { useWeakCrossRegionReferences } from './references.ts';

export class EdgeStack extends Stack {
  readonly edge: Edge;

  constructor(scope: Construct, plan: DeploymentPlan) {
    const stackName = edgeStackName(plan);
    super(scope, stackName, {
      stackName,
      env: { account: plan.account, region: plan.edge!.region },
      description: `${plan.config.name} edge: CloudFront and AWS WAF${plan.stage ? ` (stage ${plan.stage})` : ''}, deployed by gantry`,
      // It also holds the Route 53 health-check alarms, which read each region's health check id.
      crossRegionReferences: plan.secondary !== undefined,
    });
    useWeakCrossRegionReferences(this);
    this.edge = new Edge(this, 'Edge', plan);
  }
}
