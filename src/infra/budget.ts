/**
 * AWS Budgets from the config's `budget`: a monthly cost budget with its alerts, plus a forecast
 * notification so an overrun is announced before it happens.
 */
import { Aws } from 'aws-cdk-lib';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ResolvedBudget } from '../config/index.ts';

/** Added when the config has no forecast alert of its own. */
export const FORECAST_ALERT = { percent: 100, on: 'forecasted' } as const;

export function budgetAlerts(budget: ResolvedBudget): ResolvedBudget['alerts'] {
  const hasForecast = budget.alerts.some((alert) => alert.on === 'forecasted');
  return hasForecast ? budget.alerts : [...budget.alerts, FORECAST_ALERT];
}

export class CostBudget extends Construct {
  readonly budget: CfnBudget;

  constructor(scope: Construct, id: string, props: { budget: ResolvedBudget; budgetName: string; topic: ITopic }) {
    super(scope, id);
    const { budget, topic } = props;
    let subscribers: CfnBudget.SubscriberProperty[];
    if (budget.email) {
      subscribers = [{ subscriptionType: 'EMAIL', address: budget.email }];
    } else {
      // Without an e-mail the alerts still land somewhere a subscriber can be added later: the alarm topic.
      topic.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('budgets.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      );
      subscribers = [{ subscriptionType: 'SNS', address: topic.topicArn }];
    }
    this.budget = new CfnBudget(this, 'Budget', {
      budget: {
        budgetName: props.budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: budget.monthlyUsd, unit: 'USD' },
      },
      notificationsWithSubscribers: budgetAlerts(budget).map((alert) => ({
        notification: {
          notificationType: alert.on === 'forecasted' ? 'FORECASTED' : 'ACTUAL',
          comparisonOperator: 'GREATER_THAN',
          threshold: alert.percent,
          thresholdType: 'PERCENTAGE',
        },
        subscribers,
      })),
    });
  }
}
