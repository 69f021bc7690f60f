/**
 * Alarms on the Route 53 health checks of a failover pair, so a failover is never silent.
 *
 * Route 53 publishes `AWS/Route53` metrics in us-east-1 only, and an alarm's SNS action must be in
 * the alarm's region, so these alarms and their topic live in a us-east-1 stack that deploys after
 * both regions: the edge stack when CloudFront is on, otherwise a small `{prefix}-health` stack. A
 * regional stack cannot host them: the primary would then read the secondary's health check id while
 * the secondary already reads the primary's table, a dependency cycle.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.ts';
import { type DeploymentPlan, healthStackName, ROUTE53_METRICS_REGION } from './plan.ts';

export interface WatchedHealthCheck {
  region: string;
  role: 'primary' | 'secondary';
  healthCheckId: string;
}

export class HealthCheckAlarms extends Construct {
  readonly alarmTopic: AlarmTopic;
  readonly alarms: Record<string, Alarm> = {};

  constructor(scope: Construct, id: string, props: { plan: DeploymentPlan; checks: WatchedHealthCheck[] }) {
    super(scope, id);
    const { plan } = props;
    const prefix = `${plan.prefix}-route53`;
    this.alarmTopic = new AlarmTopic(this, 'Topic', {
      displayName: `${plan.prefix} Route 53 health checks`,
      alarmNamePrefix: prefix,
      email: plan.config.budget.email,
    });
    const action = new SnsAction(this.alarmTopic.topic);
    for (const check of props.checks) {
      const alarm = new Alarm(this, `HealthCheck ${check.role}`, {
        alarmName: `${prefix}-${check.role}-${check.region}`,
        alarmDescription: `Route 53 sees the ${check.role} region (${check.region}) as unhealthy: DNS fails over while it lasts`,
        // 1 while more than 18 % of Route 53's checkers see the endpoint healthy, 0 otherwise.
        metric: new Metric({
          namespace: 'AWS/Route53',
          metricName: 'HealthCheckStatus',
          dimensionsMap: { HealthCheckId: check.healthCheckId },
          statistic: 'Minimum',
          period: Duration.minutes(1),
          region: ROUTE53_METRICS_REGION,
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // Route 53 publishes every minute while the check exists: a gap is not a verdict either way.
        treatMissingData: TreatMissingData.MISSING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms[check.role] = alarm;
    }
  }
}

/** The us-east-1 stack that holds the health-check alarms when there is no edge stack to hold them. */
export class HealthAlarmsStack extends Stack {
  constructor(scope: Construct, plan: DeploymentPlan) {
    const stackName = healthStackName(plan);
    super(scope, stackName, {
      stackName,
      terminationProtection: plan.terminationProtection,
      env: { account: plan.account, region: ROUTE53_METRICS_REGION },
      description: `${plan.config.name} Route 53 health-check alarms${plan.stage ? ` (stage ${plan.stage})` : ''}, deployed by gantry`,
      crossRegionReferences: true,
    });
  }
}
