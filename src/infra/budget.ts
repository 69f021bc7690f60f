/**
 * AWS Budgets from the config's `budget`: a monthly cost budget with its alerts, plus a forecast
 * notification so an overrun is announced before it happens.
 */
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { Construct } from 'constructs';
import type { ResolvedBudget } from '../config/index.ts';
import type { AlarmTopic } from './alarm-topic.ts';

/** Added when the config has no forecast alert of its own. */
export const FORECAST_ALERT = { percent: 100, on: 'forecasted' } as const;

export function budgetAlerts(budget: ResolvedBudget): ResolvedBudget['alerts'] {
  const hasForecast = budget.alerts.some((alert) => alert.on === 'forecasted');
  return hasForecast ? budget.alerts : [...budget.alerts, FORECAST_ALERT];
}

export class CostBudget extends Construct {
  readonly budget: CfnBudget;

  constructor(scope: Construct, id: string, props: { budget: ResolvedBudget; budgetName: string; topic: AlarmTopic }) {
    super(scope, id);
    const { budget, topic } = props;
    // One path for every notification: the alarm topic, which e-mails `budget.email` once its
    // subscription is confirmed and takes any other subscriber (chat, paging) added later.
    topic.allowBudget(props.budgetName);
    const subscribers: CfnBudget.SubscriberProperty[] = [{ subscriptionType: 'SNS', address: topic.topic.topicArn }];
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
