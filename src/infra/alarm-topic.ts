/**
 * The SNS topic a region's alarms (and, in the primary, the budget) notify, e-mailing `budget.email`.
 *
 * A topic policy replaces SNS's default policy, so the policy must itself allow each AWS service that
 * publishes: CloudWatch for the alarms, AWS Budgets for the budget. Both are scoped to this account
 * (`aws:SourceAccount`) and to the alarms and budget this deployment names (`aws:SourceArn`), the
 * confused-deputy protection AWS documents for both services.
 */
import { Arn, ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  displayName: string;
  /** Every alarm that may publish is named with this prefix (`{prefix}-…`). */
  alarmNamePrefix: string;
  /** E-mail subscriber; AWS sends a confirmation mail, and nothing is delivered until it is confirmed. */
  email?: string;
}

export class AlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    // `Default` keeps the logical ids the topic and its subscription had before this construct wrapped them.
    this.topic = new Topic(this, 'Default', { displayName: props.displayName, enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${props.alarmNamePrefix}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  /** Lets AWS Budgets publish the notifications of one budget (Budgets ARNs have no region). */
  allowBudget(budgetName: string): void {
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'BudgetsPublish',
        principals: [new ServicePrincipal('budgets.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': Arn.format(
              { service: 'budgets', region: '', resource: 'budget', resourceName: budgetName },
              Stack.of(this),
            ),
          },
        },
      }),
    );
  }
}
