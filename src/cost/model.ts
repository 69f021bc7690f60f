/**
 * The cost model: a month of usage plus the resources a deployment keeps (dashboard, alarms, custom
 * metrics) priced with PRICES into line items. Pure functions; the meter and `gantry cost` feed them.
 */
import type { ResolvedConfig } from '../config/index.ts';
import { deploymentShape } from './deployment.ts';
import { HOURS_PER_MONTH, PRICES } from './prices.ts';

export interface LambdaUsage {
  requests: number;
  /** Duration × memory of invocations on on-demand environments. */
  gbSeconds: number;
  /** Duration × memory of invocations on provisioned environments (their own, lower price). */
  provisionedGbSeconds?: number;
}

/** Billable quantities for one month (or for any span: the model is linear apart from tiers and free tier). */
export interface Usage {
  /** API Gateway requests as metered: one per started 512 KB. */
  apiRequests: number;
  lambda: { x86_64: LambdaUsage; arm64: LambdaUsage };
  logsGb: number;
  dynamoDb: { readRequestUnits: number; writeRequestUnits: number };
}

/** What a deployment keeps whatever the traffic; charged per month. */
export interface FixedResources {
  dashboards: number;
  standardAlarms: number;
  highResolutionAlarms: number;
  customMetrics: number;
  /**
   * Custom metrics the functions publish in Embedded Metric Format: each distinct namespace, name and
   * dimension set is one CloudWatch custom metric (`gantry dev` counts those seen so far). @default 0
   */
  emfMetrics?: number;
  /** Memory (GB) kept initialised by provisioned concurrency, per architecture: charged every second it is configured. */
  provisionedGb?: { x86_64: number; arm64: number };
}

export type Service =
  | 'API Gateway'
  | 'Lambda'
  | 'CloudWatch'
  | 'DynamoDB'
  | 'Route 53'
  | 'X-Ray'
  | 'AWS WAF'
  | 'CloudFront'
  | 'Secrets Manager';

export interface LineItem {
  service: Service;
  item: string;
  /** Quantity charged (after any free allowance). */
  quantity: number;
  unit: string;
  usd: number;
}

export interface PricedMonth {
  items: LineItem[];
  totalUsd: number;
}

export function emptyUsage(): Usage {
  return {
    apiRequests: 0,
    lambda: { x86_64: { requests: 0, gbSeconds: 0 }, arm64: { requests: 0, gbSeconds: 0 } },
    logsGb: 0,
    dynamoDb: { readRequestUnits: 0, writeRequestUnits: 0 },
  };
}

export function scaleUsage(usage: Usage, factor: number): Usage {
  return {
    apiRequests: usage.apiRequests * factor,
    lambda: {
      x86_64: scaleLambda(usage.lambda.x86_64, factor),
      arm64: scaleLambda(usage.lambda.arm64, factor),
    },
    logsGb: usage.logsGb * factor,
    dynamoDb: {
      readRequestUnits: usage.dynamoDb.readRequestUnits * factor,
      writeRequestUnits: usage.dynamoDb.writeRequestUnits * factor,
    },
  };
}

function scaleLambda(usage: LambdaUsage, factor: number): LambdaUsage {
  return {
    requests: usage.requests * factor,
    gbSeconds: usage.gbSeconds * factor,
    provisionedGbSeconds: (usage.provisionedGbSeconds ?? 0) * factor,
  };
}

/**
 * What the deployment keeps, as src/infra deploys it. Each regional stack (the primary, and the
 * secondary when configured) has its own golden-signals dashboard, its own alarm per configured alarm
 * (10 s and 30 s periods are high-resolution alarms), its own `ColdStarts` custom metric per function
 * (our addition; AWS/ApiGateway and AWS/Lambda metrics themselves are free) and its own provisioned
 * concurrency. A failover pair adds one us-east-1 alarm per Route 53 health check. The custom metrics
 * are an upper bound: CloudWatch bills a metric for the hours it receives data, and an idle secondary's
 * functions (other than the health one) record no cold start.
 */
export function fixedResources(config: ResolvedConfig): FixedResources {
  const regions = config.regions.secondary ? 2 : 1;
  const alarms = Object.values(config.alarms);
  const healthCheckAlarms = deploymentShape(config).healthChecks;
  return {
    dashboards: regions,
    standardAlarms: regions * alarms.filter((a) => a.periodSeconds >= 60).length + healthCheckAlarms,
    highResolutionAlarms: regions * alarms.filter((a) => a.periodSeconds < 60).length,
    customMetrics: regions * Object.keys(config.functions).length,
    provisionedGb: provisionedGb(config, regions),
  };
}

function provisionedGb(config: ResolvedConfig, regions: number): { x86_64: number; arm64: number } {
  const gb = { x86_64: 0, arm64: 0 };
  for (const fn of Object.values(config.functions)) {
    gb[fn.architecture] += (regions * fn.provisionedConcurrency * fn.memoryMb) / 1024;
  }
  return gb;
}

/** Cost of `quantity` units under ascending tiers priced per `perUnits` units. */
export function tieredCost(
  quantity: number,
  tiers: readonly { upTo: number | null; usd: number }[],
  perUnits: number,
): number {
  let usd = 0;
  let from = 0;
  for (const tier of tiers) {
    const to = tier.upTo ?? Number.POSITIVE_INFINITY;
    if (quantity <= from) break;
    usd += ((Math.min(quantity, to) - from) / perUnits) * tier.usd;
    from = to;
  }
  return usd;
}

const MILLION = 1_000_000;

/**
 * Prices one month. With `freeTier`, the always-free allowances (Lambda requests and GB-seconds,
 * CloudWatch dashboards, alarms, custom metrics, log ingestion) are taken off first.
 */
export function priceMonth(usage: Usage, fixed: FixedResources, options: { freeTier?: boolean } = {}): PricedMonth {
  const free = options.freeTier ? PRICES.freeTier : undefined;
  const items: LineItem[] = [];
  const add = (service: Service, item: string, quantity: number, unit: string, usd: number) =>
    items.push({ service, item, quantity, unit, usd });

  const http = PRICES.apiGateway.httpApiRequests;
  add(
    'API Gateway',
    'HTTP API requests',
    usage.apiRequests,
    'requests',
    tieredCost(usage.apiRequests, http.tiers, MILLION),
  );

  // Lambda's free allowance covers both architectures together; take it from x86 first (the dearer GB-second).
  let freeRequests = free?.lambdaRequests.quantity ?? 0;
  let freeGbSeconds = free?.lambdaGbSeconds.quantity ?? 0;
  for (const [architecture, price] of [
    ['x86_64', PRICES.lambda.gbSecondX86],
    ['arm64', PRICES.lambda.gbSecondArm64],
  ] as const) {
    const used = usage.lambda[architecture];
    if (used.requests === 0 && used.gbSeconds === 0) continue;
    const requests = Math.max(0, used.requests - freeRequests);
    freeRequests = Math.max(0, freeRequests - used.requests);
    const gbSeconds = Math.max(0, used.gbSeconds - freeGbSeconds);
    freeGbSeconds = Math.max(0, freeGbSeconds - used.gbSeconds);
    add(
      'Lambda',
      `requests (${architecture})`,
      requests,
      'requests',
      (requests / MILLION) * PRICES.lambda.requests.usd,
    );
    add('Lambda', `duration (${architecture})`, gbSeconds, 'GB-seconds', gbSeconds * price.usd);
  }
  // Provisioned concurrency: the allocation while configured, and the duration it serves; no free tier.
  for (const architecture of ['x86_64', 'arm64'] as const) {
    const x86 = architecture === 'x86_64';
    const allocated = (fixed.provisionedGb?.[architecture] ?? 0) * HOURS_PER_MONTH * 3600;
    const served = usage.lambda[architecture].provisionedGbSeconds ?? 0;
    if (allocated === 0 && served === 0) continue;
    const rate = x86 ? PRICES.lambda.provisionedConcurrencyX86 : PRICES.lambda.provisionedConcurrencyArm64;
    const durationRate = x86 ? PRICES.lambda.provisionedDurationX86 : PRICES.lambda.provisionedDurationArm64;
    add('Lambda', `provisioned concurrency (${architecture})`, allocated, 'GB-seconds', allocated * rate.usd);
    add('Lambda', `provisioned duration (${architecture})`, served, 'GB-seconds', served * durationRate.usd);
  }

  const cw = PRICES.cloudWatch;
  const dashboards = Math.max(0, fixed.dashboards - (free?.cloudWatchDashboards.quantity ?? 0));
  add('CloudWatch', 'dashboards', dashboards, 'dashboards', dashboards * cw.dashboard.usd);
  const standardAlarms = Math.max(0, fixed.standardAlarms - (free?.cloudWatchAlarms.quantity ?? 0));
  add('CloudWatch', 'standard alarms', standardAlarms, 'alarm metrics', standardAlarms * cw.standardAlarm.usd);
  if (fixed.highResolutionAlarms > 0) {
    add(
      'CloudWatch',
      'high-resolution alarms',
      fixed.highResolutionAlarms,
      'alarm metrics',
      fixed.highResolutionAlarms * cw.highResolutionAlarm.usd,
    );
  }
  const freeMetrics = free?.cloudWatchCustomMetrics.quantity ?? 0;
  const customMetrics = Math.max(0, fixed.customMetrics - freeMetrics);
  add('CloudWatch', 'custom metrics (ColdStarts)', customMetrics, 'metrics', customMetrics * cw.customMetric.usd);
  // The free allowance covers ColdStarts first, then what is left of it the functions' own metrics.
  const emfMetrics = Math.max(0, (fixed.emfMetrics ?? 0) - Math.max(0, freeMetrics - fixed.customMetrics));
  if ((fixed.emfMetrics ?? 0) > 0)
    add('CloudWatch', 'custom metrics (EMF)', emfMetrics, 'metrics', emfMetrics * cw.customMetric.usd);
  const logsGb = Math.max(0, usage.logsGb - (free?.cloudWatchLogsGb.quantity ?? 0));
  add('CloudWatch', 'log ingestion', logsGb, 'GB', logsGb * cw.logsIngestion.usd);

  const ddb = usage.dynamoDb;
  if (ddb.readRequestUnits > 0 || ddb.writeRequestUnits > 0) {
    add(
      'DynamoDB',
      'read request units',
      ddb.readRequestUnits,
      'RRU',
      (ddb.readRequestUnits / MILLION) * PRICES.dynamoDb.readRequestUnits.usd,
    );
    add(
      'DynamoDB',
      'write request units',
      ddb.writeRequestUnits,
      'WRU',
      (ddb.writeRequestUnits / MILLION) * PRICES.dynamoDb.writeRequestUnits.usd,
    );
  }

  return { items, totalUsd: items.reduce((sum, item) => sum + item.usd, 0) };
}

/** Fixed monthly resources charged for part of a month (AWS prorates them by the hour). */
export function prorateFixed(fixed: FixedResources, fraction: number): PricedMonth {
  const month = priceMonth(emptyUsage(), fixed);
  const items = month.items
    .filter((i) => i.usd > 0)
    .map((i) => ({ ...i, quantity: i.quantity * fraction, usd: i.usd * fraction }));
  return { items, totalUsd: items.reduce((sum, item) => sum + item.usd, 0) };
}
