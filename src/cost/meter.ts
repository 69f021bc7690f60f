/**
 * The live cost meter of `gantry dev`: what the traffic seen so far would have cost on AWS, the
 * monthly bill if the recent rate held for a month, and the config's budget alerts, checked on every
 * telemetry tick. Locally there is no month-to-date bill, so an alert (`actual` or `forecasted`)
 * fires when the projected monthly cost reaches its share of the budget: at a steady rate the
 * month's actual spend ends where the projection is.
 */
import type { ResolvedConfig } from '../config/index.ts';
import { type Telemetry, USAGE, USAGE_METRICS } from '../telemetry/index.ts';
import {
  emptyUsage,
  type FixedResources,
  fixedResources,
  type LineItem,
  type PricedMonth,
  priceMonth,
  prorateFixed,
  scaleUsage,
  type Usage,
} from './model.ts';
import { MONTH_MS } from './prices.ts';

export interface BudgetAlertStatus {
  percent: number;
  on: 'actual' | 'forecasted';
  thresholdUsd: number;
  triggered: boolean;
  /** Epoch ms of the last time the projection crossed the threshold upwards. */
  triggeredAt?: number;
}

export interface CostReport {
  time: number;
  startedAt: number;
  elapsedSeconds: number;
  /** Seconds of recent traffic the projection extrapolates. */
  windowSeconds: number;
  freeTier: boolean;
  /** The traffic so far priced, plus the fixed resources for the time elapsed. */
  soFar: PricedMonth;
  /** The recent rate held for a month (730 hours), plus a month of fixed resources. */
  projectedMonthly: PricedMonth;
  budget: {
    monthlyUsd: number;
    projectedPercent: number;
    alerts: BudgetAlertStatus[];
    email?: string;
  };
}

export interface BudgetAlertEvent {
  alert: BudgetAlertStatus;
  projectedMonthlyUsd: number;
  budgetUsd: number;
  /** true: crossed upwards; false: back under. */
  raised: boolean;
  line: string;
}

export interface CostMeterOptions {
  config: ResolvedConfig;
  telemetry: Telemetry;
  /** Seconds of recent traffic projected. @default 300 */
  windowSeconds?: number;
  /** Take AWS's always-free allowances off the projection. @default false */
  freeTier?: boolean;
}

const GB = 1024 ** 3;
const NO_FIXED: FixedResources = { dashboards: 0, standardAlarms: 0, highResolutionAlarms: 0, customMetrics: 0 };

function sumOf(
  telemetry: Telemetry,
  metricName: string,
  dimensions: Record<string, string>,
  start?: number,
  end?: number,
) {
  if (start === undefined || end === undefined) {
    return telemetry.metrics.find(USAGE, metricName, dimensions)?.totalSum ?? 0;
  }
  return telemetry.metrics.statisticOver({ namespace: USAGE, metricName, dimensions }, 'Sum', start, end) ?? 0;
}

/** Billable usage recorded by telemetry: since start, or within [start, end). */
export function observedUsage(telemetry: Telemetry, start?: number, end?: number): Usage {
  const usage = emptyUsage();
  const read = (metricName: string, dimensions: Record<string, string> = {}) =>
    sumOf(telemetry, metricName, dimensions, start, end);
  usage.apiRequests = read(USAGE_METRICS.meteredRequests);
  for (const architecture of ['x86_64', 'arm64'] as const) {
    usage.lambda[architecture] = {
      requests: read(USAGE_METRICS.lambdaRequests, { Architecture: architecture }),
      gbSeconds: read(USAGE_METRICS.lambdaGbSeconds, { Architecture: architecture }),
      provisionedGbSeconds: read(USAGE_METRICS.lambdaProvisionedGbSeconds, { Architecture: architecture }),
    };
  }
  usage.logsGb = read(USAGE_METRICS.logBytes) / GB;
  usage.dynamoDb = {
    readRequestUnits: read(USAGE_METRICS.readRequestUnits),
    writeRequestUnits: read(USAGE_METRICS.writeRequestUnits),
  };
  return usage;
}

function combine(a: PricedMonth, b: PricedMonth): PricedMonth {
  const items: LineItem[] = [...a.items.filter((i) => i.usd > 0 || i.quantity > 0), ...b.items];
  return { items, totalUsd: a.totalUsd + b.totalUsd };
}

export function createCostMeter(options: CostMeterOptions) {
  const { telemetry } = options;
  let config = options.config;
  const windowSeconds = Math.min(options.windowSeconds ?? 300, telemetry.metrics.retention.seconds);
  const freeTier = options.freeTier ?? false;
  let configured: FixedResources = fixedResources(config);
  const alertsOf = (c: ResolvedConfig, previous: BudgetAlertStatus[] = []): BudgetAlertStatus[] =>
    c.budget.alerts.map((a) => {
      const thresholdUsd = (c.budget.monthlyUsd * a.percent) / 100;
      // An alert that is still the same keeps whether it has fired (no second notice after a reload).
      const kept = previous.find((p) => p.percent === a.percent && p.on === a.on && p.thresholdUsd === thresholdUsd);
      return kept ?? { percent: a.percent, on: a.on, thresholdUsd, triggered: false };
    });
  let alerts: BudgetAlertStatus[] = alertsOf(config);
  const listeners = new Set<(event: BudgetAlertEvent) => void>();

  function report(): CostReport {
    const now = telemetry.clock();
    const elapsed = Math.max(1, now - telemetry.startedAt);
    // Whole one-second slots, the current one included: the window never reaches before the start.
    const nowSecond = Math.floor(now / 1000);
    const seconds = Math.max(1, Math.min(windowSeconds, nowSecond - Math.floor(telemetry.startedAt / 1000) + 1));
    const recent = observedUsage(telemetry, (nowSecond - seconds + 1) * 1000, (nowSecond + 1) * 1000);
    // The functions' EMF metrics are priced as CloudWatch custom metrics from the moment they appear.
    const fixed: FixedResources = { ...configured, emfMetrics: telemetry.customMetrics.count };
    const soFar = combine(priceMonth(observedUsage(telemetry), NO_FIXED), prorateFixed(fixed, elapsed / MONTH_MS));
    const projectedMonthly = priceMonth(scaleUsage(recent, MONTH_MS / (seconds * 1000)), fixed, { freeTier });
    const monthlyUsd = config.budget.monthlyUsd;
    return {
      time: now,
      startedAt: telemetry.startedAt,
      elapsedSeconds: elapsed / 1000,
      windowSeconds: seconds,
      freeTier,
      soFar,
      projectedMonthly,
      budget: {
        monthlyUsd,
        projectedPercent: monthlyUsd > 0 ? (projectedMonthly.totalUsd / monthlyUsd) * 100 : 0,
        alerts: alerts.map((a) => ({ ...a })),
        email: config.budget.email,
      },
    };
  }

  function checkBudget(): BudgetAlertEvent[] {
    const current = report();
    const projected = current.projectedMonthly.totalUsd;
    const events: BudgetAlertEvent[] = [];
    for (const alert of alerts) {
      const over = projected >= alert.thresholdUsd;
      if (over === alert.triggered) continue;
      alert.triggered = over;
      if (over) alert.triggeredAt = current.time;
      const line = over
        ? `BUDGET ${alert.percent}% (${alert.on}) alert: projected monthly cost $${projected.toFixed(2)} reaches ${alert.percent}% of the $${config.budget.monthlyUsd.toFixed(2)} budget ($${alert.thresholdUsd.toFixed(2)})`
        : `BUDGET ${alert.percent}% (${alert.on}) alert cleared: projected monthly cost $${projected.toFixed(2)} is under $${alert.thresholdUsd.toFixed(2)}`;
      events.push({
        alert: { ...alert },
        projectedMonthlyUsd: projected,
        budgetUsd: config.budget.monthlyUsd,
        raised: over,
        line,
      });
    }
    for (const event of events) {
      telemetry.log(event.line);
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A failing listener must not stop the others.
        }
      }
    }
    return events;
  }

  const stopTicking = telemetry.onTick(() => {
    checkBudget();
  });

  return {
    report,
    /** A reloaded config: its budget and fixed resources; what was observed so far stays. */
    reconfigure(next: ResolvedConfig): void {
      config = next;
      configured = fixedResources(config);
      alerts = alertsOf(config, alerts);
    },
    /** Evaluates the budget alerts now (also done on every telemetry tick). */
    checkBudget,
    onBudgetAlert(listener: (event: BudgetAlertEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close(): void {
      stopTicking();
      listeners.clear();
    },
  };
}

export type CostMeter = ReturnType<typeof createCostMeter>;
