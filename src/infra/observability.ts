/**
 * CloudWatch for one region: the golden-signals dashboard (the same definition the local console
 * draws) and the config's alarms, which notify an SNS topic that e-mails `budget.email`.
 */

import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  type ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { WatchedNamespace } from '../aws/metrics.ts';
import { type DashboardMetric, GOLDEN_SIGNALS_DASHBOARD, type ResolvedAlarm } from '../config/index.ts';
import { AlarmTopic } from './alarm-topic.ts';
import type { DeployedFunction } from './functions.ts';
import type { DeploymentPlan } from './plan.ts';

const DASHBOARD_PERIOD = Duration.minutes(1);

export interface MetricSources {
  apiId: string;
  stageName: string;
  functions: Record<string, DeployedFunction>;
}

interface MetricSpec {
  /** AWS's, or a custom namespace of the functions' EMF metrics (alarms only). */
  namespace: WatchedNamespace | (string & {});
  metricName: string;
  statistic: string;
  label?: string;
  period: Duration;
}

const isColdStarts = (spec: MetricSpec) => spec.namespace === 'AWS/Lambda' && spec.metricName === 'ColdStarts';

/** An HTTP API metric, with the dimensions CloudWatch publishes it under (`ApiId` and `Stage`). */
function apiMetric(spec: MetricSpec, sources: MetricSources): Metric {
  return new Metric({
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensionsMap: { ApiId: sources.apiId, Stage: sources.stageName },
    statistic: spec.statistic,
    label: spec.label,
    period: spec.period,
  });
}

/** A Lambda metric of one function; `ColdStarts` comes from our metric filter, not from AWS/Lambda. */
function functionMetric(spec: MetricSpec, fn: DeployedFunction): Metric {
  if (isColdStarts(spec))
    return fn.coldStarts.with({ statistic: spec.statistic, label: spec.label, period: spec.period });
  return new Metric({
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensionsMap: { FunctionName: fn.fn.functionName },
    statistic: spec.statistic,
    label: spec.label,
    period: spec.period,
  });
}

function alarmMetric(alarm: ResolvedAlarm, sources: MetricSources): IMetric {
  const spec: MetricSpec = {
    namespace: alarm.namespace,
    metricName: alarm.metric,
    statistic: alarm.statistic,
    period: Duration.seconds(alarm.periodSeconds),
  };
  if (alarm.namespace === 'AWS/ApiGateway') return apiMetric(spec, sources);
  // A custom namespace (the functions' EMF metrics): the dimension set the config names.
  if (!alarm.namespace.startsWith('AWS/'))
    return new Metric({ ...spec, dimensionsMap: alarm.dimensions, statistic: alarm.statistic });
  if (alarm.function) return functionMetric(spec, sources.functions[alarm.function]);
  if (isColdStarts(spec)) {
    // Cold starts are counted per function; the API-wide alarm adds them up.
    const usingMetrics: Record<string, IMetric> = {};
    Object.values(sources.functions).forEach((fn, i) => {
      usingMetrics[`m${i}`] = functionMetric(spec, fn);
    });
    return new MathExpression({
      expression: `SUM([${Object.keys(usingMetrics).join(',')}])`,
      usingMetrics,
      label: 'ColdStarts',
      period: spec.period,
    });
  }
  // Without a function, Lambda's own dimensionless metric: every function of the account in the region.
  return new Metric({
    namespace: spec.namespace,
    metricName: spec.metricName,
    statistic: spec.statistic,
    period: spec.period,
  });
}

function widgetMetrics(metric: DashboardMetric, sources: MetricSources): IMetric[] {
  const spec: MetricSpec = { ...metric, period: DASHBOARD_PERIOD };
  if (metric.dimension === 'api') return [apiMetric(spec, sources)];
  return Object.values(sources.functions).map((fn) =>
    functionMetric({ ...spec, label: `${metric.label} ${fn.config.name}` }, fn),
  );
}

/**
 * API Gateway and Lambda publish no datapoint in a minute without requests, so for a count (`Sum`,
 * `SampleCount`) of an AWS namespace a missing datapoint means zero. Deployed with CloudWatch's
 * `missing`, such an alarm went to INSUFFICIENT_DATA after every idle spell and mailed OK at the next
 * request; `notBreaching` keeps it OK. An explicit `breaching` or `ignore` is kept.
 */
export function deployedTreatMissingData(alarm: ResolvedAlarm): TreatMissingData {
  const count = alarm.statistic === 'Sum' || alarm.statistic === 'SampleCount';
  if (alarm.treatMissingData === 'missing' && count && alarm.namespace.startsWith('AWS/')) {
    return TreatMissingData.NOT_BREACHING;
  }
  return alarm.treatMissingData as TreatMissingData;
}

export class Observability extends Construct {
  readonly alarmTopic: AlarmTopic;
  readonly topic: Topic;
  readonly alarms: Record<string, Alarm> = {};
  readonly dashboard: Dashboard;

  constructor(
    scope: Construct,
    id: string,
    props: { plan: DeploymentPlan; namePrefix: string; sources: MetricSources },
  ) {
    super(scope, id);
    const { plan, namePrefix, sources } = props;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      displayName: `${namePrefix} alarms`,
      alarmNamePrefix: namePrefix,
      email: plan.config.budget.email,
    });
    this.topic = this.alarmTopic.topic;

    const action = new SnsAction(this.topic);
    for (const alarm of Object.values(plan.config.alarms)) {
      const cwAlarm = new Alarm(this, `Alarm ${alarm.name}`, {
        alarmName: `${namePrefix}-${alarm.name}`,
        alarmDescription:
          alarm.description ?? `${alarm.namespace} ${alarm.metric} ${alarm.statistic} (gantry alarm "${alarm.name}")`,
        metric: alarmMetric(alarm, sources),
        threshold: alarm.threshold,
        comparisonOperator: alarm.comparison as ComparisonOperator,
        evaluationPeriods: alarm.periods,
        datapointsToAlarm: alarm.datapointsToAlarm,
        treatMissingData: deployedTreatMissingData(alarm),
      });
      cwAlarm.addAlarmAction(action);
      cwAlarm.addOkAction(action);
      this.alarms[alarm.name] = cwAlarm;
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      // Dashboard names are unique per account across regions, so the name carries the region.
      dashboardName: namePrefix,
      defaultInterval: Duration.hours(3),
    });
    const widgets = GOLDEN_SIGNALS_DASHBOARD.map(
      (widget) =>
        new GraphWidget({
          title: widget.title,
          width: 12,
          height: 6,
          left: widget.metrics.flatMap((metric) => widgetMetrics(metric, sources)),
          leftYAxis: { label: widget.unit, showUnits: false, min: 0 },
        }),
    );
    for (let i = 0; i < widgets.length; i += 2) this.dashboard.addWidgets(...widgets.slice(i, i + 2));
  }
}
