/**
 * What happens on an alarm state change: a log line, and a webhook POST carrying the event Amazon
 * EventBridge delivers for it ("CloudWatch Alarm State Change"), so a receiver written for AWS works
 * unchanged. The console's notification is a listener of its own (src/console).
 */
import { randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../config/index.ts';
import type { AlarmTransition } from './alarms.ts';

export interface AlarmActions {
  /** URLs that receive each transition as a JSON POST. */
  webhookUrls?: string[];
  /** Receives one human-readable line per transition (and per failed webhook delivery). */
  log?: (line: string) => void;
}

/** `alarm 5xx: OK -> ALARM. Threshold Crossed: …` */
export function formatAlarmLine(transition: AlarmTransition): string {
  return `alarm ${transition.alarmName}: ${transition.previousState} -> ${transition.state}. ${transition.reason}`;
}

/** CloudWatch's timestamps in alarm events: `2026-11-24T05:52:00.000+0000`. */
function cloudWatchTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

export function alarmArn(config: ResolvedConfig, alarmName: string): string {
  return `arn:aws:cloudwatch:${config.regions.primary}:${config.account}:alarm:${alarmName}`;
}

/** The EventBridge event for a transition (detail-type "CloudWatch Alarm State Change"). */
export function alarmStateChangeEvent(config: ResolvedConfig, transition: AlarmTransition) {
  const alarm = transition.alarm;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: config.account,
    time: new Date(transition.timestamp).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: config.regions.primary,
    resources: [alarmArn(config, transition.alarmName)],
    detail: {
      alarmName: transition.alarmName,
      state: { value: transition.state, reason: transition.reason, timestamp: cloudWatchTime(transition.timestamp) },
      previousState: {
        value: transition.previousState,
        reason: transition.previousReason,
        timestamp: cloudWatchTime(transition.previousTimestamp),
      },
      configuration: {
        description: alarm.description,
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: { namespace: alarm.namespace, name: alarm.metricName, dimensions: { ...alarm.dimensions } },
              period: alarm.period,
              stat: alarm.statistic,
            },
            returnData: true,
          },
        ],
      },
    },
  };
}

/** Posts `body` as JSON; resolves with an error message instead of rejecting. */
export async function postWebhook(url: string, body: unknown, timeoutMs = 5000): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.ok ? undefined : `webhook ${url} answered ${response.status}`;
  } catch (error) {
    return `webhook ${url} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
