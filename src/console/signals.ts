/**
 * What the console reads from telemetry: `/api/status`, the golden signals and the per-route table.
 * Windows are the last N seconds of one-second slots, the current second included.
 */
import type { ResolvedConfig } from '../config/index.ts';
import { GANTRY_API, STATUS_METRICS, type Statistic, type Telemetry } from '../telemetry/index.ts';
import type { ApiStatus, GoldenSignals, RouteRow, StatusSnapshot } from './api-types.ts';

function targetOf(config: ResolvedConfig, routeKey: string): string {
  const route = config.routes.find((r) => r.routeKey === routeKey);
  if (!route) return '-';
  return route.integration.type === 'lambda' ? route.integration.functionName : route.integration.url;
}

export function buildStatus(config: ResolvedConfig, telemetry: Telemetry, snapshot: StatusSnapshot): ApiStatus {
  const counters = telemetry.functionCounters();
  return {
    api: { name: config.name, apiId: config.apiId, stage: config.stage.name, url: snapshot.url },
    routes: config.routes.map((route) => ({
      routeKey: route.routeKey,
      target: targetOf(config, route.routeKey),
      ...(route.authorizer === undefined ? {} : { authorizer: route.authorizer }),
      enforced: snapshot.enforced?.[route.routeKey] ?? true,
    })),
    functions: Object.values(config.functions).map((fn) => {
      const c = counters[fn.name];
      const fromTelemetry = { alive: c?.alive ?? 0, busy: c?.busy ?? 0, idle: (c?.alive ?? 0) - (c?.busy ?? 0) };
      return {
        name: fn.name,
        memoryMb: fn.memoryMb,
        timeoutSeconds: fn.timeoutSeconds,
        reservedConcurrency: fn.reservedConcurrency ?? null,
        provisionedConcurrency: fn.provisionedConcurrency,
        environments: snapshot.environments?.[fn.name] ?? fromTelemetry,
        invocations: c?.invocations ?? 0,
        provisionedInvocations: c?.provisionedInvocations ?? 0,
        spilloverInvocations: c?.spilloverInvocations ?? 0,
        coldStarts: c?.coldStarts ?? 0,
        throttles: c?.throttles ?? 0,
        errors: c?.errors ?? 0,
      };
    }),
    time: new Date(telemetry.clock()).toISOString(),
  };
}

function windowOf(telemetry: Telemetry, seconds: number) {
  const nowSecond = Math.floor(telemetry.clock() / 1000);
  return { start: (nowSecond - seconds + 1) * 1000, end: (nowSecond + 1) * 1000 };
}

export function goldenSignals(telemetry: Telemetry, windowSeconds = 60): GoldenSignals {
  const { config, metrics } = telemetry;
  const { start, end } = windowOf(telemetry, windowSeconds);
  const api = { ApiId: config.apiId, Stage: config.stage.name };
  const apiStat = (metricName: string, statistic: Statistic) =>
    metrics.statisticOver({ namespace: 'AWS/ApiGateway', metricName, dimensions: api }, statistic, start, end);
  const lambdaStat = (metricName: string, statistic: Statistic) =>
    metrics.statisticOver({ namespace: 'AWS/Lambda', metricName, dimensions: {} }, statistic, start, end);
  const percent = (v: number | undefined) => (v === undefined ? undefined : v * 100);
  const requests = apiStat('Count', 'Sum') ?? 0;
  const counters = telemetry.functionCounters();
  return {
    windowSeconds,
    requests,
    requestsPerSecond: requests / windowSeconds,
    latencyP50: apiStat('Latency', 'p50'),
    latencyP95: apiStat('Latency', 'p95'),
    latencyP99: apiStat('Latency', 'p99'),
    clientErrorRate: percent(apiStat('4xx', 'Average')),
    serverErrorRate: percent(apiStat('5xx', 'Average')),
    lambda: {
      invocations: lambdaStat('Invocations', 'Sum') ?? 0,
      durationP95: lambdaStat('Duration', 'p95'),
      errors: lambdaStat('Errors', 'Sum') ?? 0,
      throttles: lambdaStat('Throttles', 'Sum') ?? 0,
      coldStarts: lambdaStat('ColdStarts', 'Sum') ?? 0,
      concurrency: Object.values(counters).reduce((n, c) => n + c.busy, 0),
      peakConcurrency: lambdaStat('ConcurrentExecutions', 'Maximum') ?? 0,
    },
  };
}

export function routeTable(telemetry: Telemetry, windowSeconds = 60): RouteRow[] {
  const { config, metrics } = telemetry;
  const { start, end } = windowOf(telemetry, windowSeconds);
  return telemetry.routeKeys().map((routeKey) => {
    const dimensions = { ApiId: config.apiId, Stage: config.stage.name, Route: routeKey };
    const stat = (metricName: string, statistic: Statistic) =>
      metrics.statisticOver({ namespace: 'AWS/ApiGateway', metricName, dimensions }, statistic, start, end);
    const answered = (metricName: string) =>
      metrics.statisticOver({ namespace: GANTRY_API, metricName, dimensions }, 'Sum', start, end) ?? 0;
    return {
      routeKey,
      target: targetOf(config, routeKey),
      requests: stat('Count', 'Sum') ?? 0,
      clientErrors: stat('4xx', 'Sum') ?? 0,
      unauthorized: answered(STATUS_METRICS.unauthorized),
      forbidden: answered(STATUS_METRICS.forbidden),
      serverErrors: stat('5xx', 'Sum') ?? 0,
      latencyP50: stat('Latency', 'p50'),
      latencyP95: stat('Latency', 'p95'),
      latencyP99: stat('Latency', 'p99'),
      integrationLatencyP95: stat('IntegrationLatency', 'p95'),
      totalRequests: metrics.find('AWS/ApiGateway', 'Count', dimensions)?.totalSum ?? 0,
    };
  });
}
