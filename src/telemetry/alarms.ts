/**
 * The config's alarms, evaluated against the metric store on every tick, with CloudWatch's states,
 * a bounded transition history, and listeners for the actions (console, webhook, log line).
 */
import type { ResolvedAlarm, ResolvedConfig } from '../config/index.ts';
import { type AlarmState, evaluateAlarm, evaluationRange } from './alarm-evaluation.ts';
import type { MetricStore } from './metric-store.ts';
import type { Dimensions, Namespace, Statistic } from './types.ts';

export interface AlarmStatus {
  alarmName: string;
  description?: string;
  namespace: Namespace;
  metricName: string;
  dimensions: Dimensions;
  statistic: Statistic;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: ResolvedAlarm['comparison'];
  treatMissingData: ResolvedAlarm['treatMissingData'];
  state: AlarmState;
  stateReason: string;
  /** Epoch ms of the last state change. */
  stateUpdatedTimestamp: number;
  /** The datapoints of the last evaluation, newest first. */
  datapoints: { timestamp: number; value: number }[];
}

export interface AlarmTransition {
  alarmName: string;
  previousState: AlarmState;
  previousReason: string;
  previousTimestamp: number;
  state: AlarmState;
  reason: string;
  timestamp: number;
  alarm: AlarmStatus;
}

const HISTORY_LIMIT = 500;

/**
 * The dimensions an alarm watches, as the deployed alarm must name them: the API's `ApiId` + `Stage`
 * (the dashboard's `api` dimension), one function's `FunctionName`, or no dimension (all functions).
 */
export function alarmDimensions(config: ResolvedConfig, alarm: ResolvedAlarm): Dimensions {
  if (alarm.namespace === 'AWS/Lambda') return alarm.function ? { FunctionName: alarm.function } : {};
  if (alarm.namespace === 'AWS/ApiGateway') return { ApiId: config.apiId, Stage: config.stage.name };
  // A custom (EMF) namespace: the dimension set the config names, as CloudWatch matches it exactly.
  return alarm.dimensions;
}

function initialStatus(config: ResolvedConfig, alarm: ResolvedAlarm, now: number): AlarmStatus {
  return {
    alarmName: alarm.name,
    description: alarm.description,
    namespace: alarm.namespace,
    metricName: alarm.metric,
    dimensions: alarmDimensions(config, alarm),
    statistic: alarm.statistic as Statistic,
    period: alarm.periodSeconds,
    evaluationPeriods: alarm.periods,
    datapointsToAlarm: alarm.datapointsToAlarm,
    threshold: alarm.threshold,
    comparison: alarm.comparison,
    treatMissingData: alarm.treatMissingData,
    state: 'INSUFFICIENT_DATA',
    stateReason: 'Unchecked: Initial alarm creation',
    stateUpdatedTimestamp: now,
    datapoints: [],
  };
}

export class AlarmManager {
  private readonly log: AlarmTransition[] = [];
  private readonly listeners = new Set<(transition: AlarmTransition) => void>();

  private statuses: AlarmStatus[];

  constructor(
    config: ResolvedConfig,
    private readonly store: MetricStore,
    now: number,
  ) {
    this.statuses = Object.values(config.alarms).map((alarm) => initialStatus(config, alarm, now));
  }

  /**
   * A reloaded config's alarms, as PutMetricAlarm updates an alarm: "When you update an existing
   * alarm, its state is left unchanged, but the update completely overwrites the previous
   * configuration". A new alarm starts in INSUFFICIENT_DATA; a removed one goes; the history stays.
   */
  reconfigure(config: ResolvedConfig, now: number): void {
    const before = new Map(this.statuses.map((s) => [s.alarmName, s]));
    this.statuses = Object.values(config.alarms).map((alarm) => {
      const next = initialStatus(config, alarm, now);
      const kept = before.get(alarm.name);
      if (!kept) return next;
      const { state, stateReason, stateUpdatedTimestamp, datapoints } = kept;
      return { ...next, state, stateReason, stateUpdatedTimestamp, datapoints };
    });
  }

  /** Evaluates every alarm over its last complete periods at `now`; returns the transitions made. */
  evaluate(now: number): AlarmTransition[] {
    const transitions: AlarmTransition[] = [];
    for (const status of this.statuses) {
      const periodMs = status.period * 1000;
      const end = Math.floor(now / periodMs) * periodMs;
      const range = evaluationRange(status.evaluationPeriods);
      const start = end - range * periodMs;
      const data = this.store.getMetricData({
        namespace: status.namespace,
        metricName: status.metricName,
        dimensions: status.dimensions,
        statistic: status.statistic,
        period: status.period,
        startTime: start,
        endTime: end,
      });
      const byTime = new Map(data.timestamps.map((t, i) => [t, data.values[i]]));
      const datapoints = Array.from({ length: range }, (_, i) => {
        const timestamp = start + i * periodMs;
        return { timestamp, value: byTime.get(timestamp) };
      });
      const result = evaluateAlarm(
        {
          threshold: status.threshold,
          comparison: status.comparison,
          evaluationPeriods: status.evaluationPeriods,
          datapointsToAlarm: status.datapointsToAlarm,
          treatMissingData: status.treatMissingData,
        },
        datapoints,
        status.state,
      );
      status.datapoints = result.evaluated;
      if (result.state === status.state) continue;
      const transition: AlarmTransition = {
        alarmName: status.alarmName,
        previousState: status.state,
        previousReason: status.stateReason,
        previousTimestamp: status.stateUpdatedTimestamp,
        state: result.state,
        reason: result.reason,
        timestamp: now,
        alarm: status,
      };
      status.state = result.state;
      status.stateReason = result.reason;
      status.stateUpdatedTimestamp = now;
      this.log.push(transition);
      if (this.log.length > HISTORY_LIMIT) this.log.shift();
      transitions.push(transition);
    }
    for (const transition of transitions) {
      for (const listener of this.listeners) {
        try {
          listener(transition);
        } catch {
          // A failing action must not stop the others or the evaluation loop.
        }
      }
    }
    return transitions;
  }

  /** DescribeAlarms: current state of every alarm (copies). */
  describe(): AlarmStatus[] {
    return this.statuses.map((s) => ({ ...s, datapoints: [...s.datapoints] }));
  }

  /** DescribeAlarmHistory: state transitions, oldest first, at most 500. */
  history(alarmName?: string): AlarmTransition[] {
    return alarmName ? this.log.filter((t) => t.alarmName === alarmName) : [...this.log];
  }

  onTransition(listener: (transition: AlarmTransition) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
