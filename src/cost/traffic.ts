/**
 * `gantry cost --rps N`: the month a steady traffic level would cost, from the config alone. Every
 * assumption is an input with a stated default, and the report lists them.
 */
import type { ResolvedConfig } from '../config/index.ts';
import { compileAccessLogFormat, DEFAULT_ACCESS_LOG_FORMAT, type RequestSample } from '../telemetry/index.ts';
import { deploymentLines, deploymentShape, healthCheckRequestsPerMonth } from './deployment.ts';
import { emptyUsage, fixedResources, type PricedMonth, priceMonth, type Usage } from './model.ts';
import { HOURS_PER_MONTH, PRICES } from './prices.ts';

export interface TrafficAssumptions {
  /** Requests per second, steady all month. */
  rps: number;
  /** Average Lambda duration in ms (billed rounded up to the ms). @default 50 */
  durationMs?: number;
  /** Average request + response bytes. @default 2048 */
  payloadBytes?: number;
  /** Log bytes ingested per request. @default the access log line plus START/END/REPORT */
  logBytesPerRequest?: number;
  /** DynamoDB read and write request units per API request. @default 0 */
  readUnitsPerRequest?: number;
  writeUnitsPerRequest?: number;
  /** @default false */
  freeTier?: boolean;
}

export interface TrafficCostReport {
  assumptions: Required<TrafficAssumptions> & { requestsPerMonth: number; hoursPerMonth: number };
  /** How requests spread over functions: routes share traffic evenly; HTTP-proxy routes invoke none. */
  invocationsPerMonth: Record<string, number>;
  usage: Usage;
  monthly: PricedMonth;
  budget: {
    monthlyUsd: number;
    percent: number;
    alerts: { percent: number; on: string; thresholdUsd: number; reached: boolean }[];
  };
}

const EXAMPLE_REQUEST_ID = '8f5f6b21-7b7a-4f4e-9b5e-0e5f1f0a1c2d';

/** Bytes of the default access log line for a typical request. */
export function accessLogBytes(config: ResolvedConfig): number {
  const sample: RequestSample = {
    apiId: config.apiId,
    stage: config.stage.name,
    routeKey: config.routes[0]?.routeKey ?? '$default',
    requestId: 'Kx1aAjYvIAMEMvA=',
    requestTimeEpoch: 0,
    httpMethod: 'GET',
    path: '/orders',
    protocol: 'HTTP/1.1',
    sourceIp: '203.0.113.10',
    userAgent: '',
    status: 200,
    responseLength: 1024,
    requestLength: 0,
    latencyMs: 20,
  };
  const render = compileAccessLogFormat(DEFAULT_ACCESS_LOG_FORMAT, { accountId: config.account, domainName: '' });
  return Buffer.byteLength(render(sample));
}

/** Bytes of Lambda's START, END and REPORT lines for one invocation. */
export function platformLogBytes(): number {
  const id = EXAMPLE_REQUEST_ID;
  return [
    `START RequestId: ${id} Version: $LATEST`,
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}\tDuration: 48.12 ms\tBilled Duration: 49 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t`,
  ].reduce((n, line) => n + Buffer.byteLength(line), 0);
}

export function costForTraffic(config: ResolvedConfig, input: TrafficAssumptions): TrafficCostReport {
  if (!(input.rps >= 0) || !Number.isFinite(input.rps))
    throw new RangeError(`rps: expected a number ≥ 0, got ${input.rps}`);
  const a = {
    rps: input.rps,
    durationMs: input.durationMs ?? 50,
    payloadBytes: input.payloadBytes ?? 2048,
    logBytesPerRequest: input.logBytesPerRequest ?? 0,
    readUnitsPerRequest: input.readUnitsPerRequest ?? 0,
    writeUnitsPerRequest: input.writeUnitsPerRequest ?? 0,
    freeTier: input.freeTier ?? false,
  };
  const requestsPerMonth = a.rps * HOURS_PER_MONTH * 3600;
  const usage = emptyUsage();
  const unit = PRICES.apiGateway.meteringUnitBytes;
  usage.apiRequests = requestsPerMonth * Math.max(1, Math.ceil(a.payloadBytes / unit));
  const perRoute = config.routes.length ? requestsPerMonth / config.routes.length : 0;
  const invocationsPerMonth: Record<string, number> = {};
  const billedSeconds = Math.ceil(a.durationMs) / 1000;
  let invocations = 0;
  for (const route of config.routes) {
    if (route.integration.type !== 'lambda') continue;
    const fn = config.functions[route.integration.functionName];
    invocationsPerMonth[fn.name] = (invocationsPerMonth[fn.name] ?? 0) + perRoute;
    const target = usage.lambda[fn.architecture];
    target.requests += perRoute;
    target.gbSeconds += perRoute * billedSeconds * (fn.memoryMb / 1024);
    invocations += perRoute;
  }
  // Default: an access log line per request, and START/END/REPORT per invocation (handlers' own lines not counted).
  const logBytes =
    input.logBytesPerRequest !== undefined
      ? requestsPerMonth * input.logBytesPerRequest
      : requestsPerMonth * accessLogBytes(config) + invocations * platformLogBytes();
  a.logBytesPerRequest = requestsPerMonth > 0 ? logBytes / requestsPerMonth : 0;
  usage.logsGb = logBytes / 1024 ** 3;
  usage.dynamoDb = {
    readRequestUnits: requestsPerMonth * a.readUnitsPerRequest,
    writeRequestUnits: requestsPerMonth * a.writeUnitsPerRequest,
  };
  // Route 53's health checks call the health function whatever the users do (deployment.ts).
  const shape = deploymentShape(config);
  const checks = healthCheckRequestsPerMonth(shape);
  const healthFn = shape.healthFunction ? config.functions[shape.healthFunction] : undefined;
  if (checks > 0 && healthFn) {
    usage.apiRequests += checks;
    usage.lambda[healthFn.architecture].requests += checks;
    usage.lambda[healthFn.architecture].gbSeconds += checks * billedSeconds * (healthFn.memoryMb / 1024);
    usage.logsGb += (checks * (accessLogBytes(config) + platformLogBytes())) / 1024 ** 3;
  }
  const priced = priceMonth(usage, fixedResources(config), { freeTier: a.freeTier });
  const tracedInvocations = Object.entries(invocationsPerMonth)
    .filter(([name]) => !(shape.healthFunctionUntraced && name === shape.healthFunction))
    .reduce((sum, [, n]) => sum + n, 0);
  const extras = deploymentLines(config, {
    requestsPerMonth,
    tracedRps: tracedInvocations / (HOURS_PER_MONTH * 3600),
    freeTier: a.freeTier,
  });
  const monthly = {
    items: [...priced.items, ...extras],
    totalUsd: priced.totalUsd + extras.reduce((sum, item) => sum + item.usd, 0),
  };
  const budgetUsd = config.budget.monthlyUsd;
  return {
    assumptions: { ...a, requestsPerMonth, hoursPerMonth: HOURS_PER_MONTH },
    invocationsPerMonth,
    usage,
    monthly,
    budget: {
      monthlyUsd: budgetUsd,
      percent: budgetUsd > 0 ? (monthly.totalUsd / budgetUsd) * 100 : 0,
      alerts: config.budget.alerts.map((alert) => {
        const thresholdUsd = (budgetUsd * alert.percent) / 100;
        return { percent: alert.percent, on: alert.on, thresholdUsd, reached: monthly.totalUsd >= thresholdUsd };
      }),
    },
  };
}
