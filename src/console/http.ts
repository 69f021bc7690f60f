/** HTTP helpers of the console: query parsing with errors that name the parameter, JSON and SSE writing. */
import type { ServerResponse } from 'node:http';
import type { CostReport } from '../cost/index.ts';
import type { LogQuery, LogSource, MetricQuery, Namespace, PromFamily, Statistic } from '../telemetry/index.ts';
import type { ConsoleEvent } from './api-types.ts';

/** A query the console cannot answer: 400 with its message. */
export class BadRequest extends Error {}

const LOG_SOURCES = new Set(['function', 'access', 'system']);
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};
/** A client this far behind is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * A public document (an OIDC discovery document, a JWKS): readable from any origin, as an identity
 * provider's are, so a local frontend can fetch it too.
 */
export function sendDocument(res: ServerResponse, body: unknown, headOnly: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'access-control-allow-origin': '*',
    'cache-control': 'no-cache',
  });
  res.end(headOnly ? undefined : text);
}

export function number(params: URLSearchParams, name: string, fallback?: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new BadRequest(`${name}: expected a number, got "${raw}"`);
  return value;
}

export function logQuery(params: URLSearchParams): LogQuery {
  const sources = params.get('source')?.split(',').filter(Boolean);
  for (const s of sources ?? []) {
    if (!LOG_SOURCES.has(s)) throw new BadRequest(`source: "${s}" is not one of function, access, system`);
  }
  return {
    functionName: params.get('function') || undefined,
    sources: sources as LogSource[] | undefined,
    filter: params.get('filter') ?? undefined,
    since: number(params, 'since'),
    afterSeq: number(params, 'after'),
    limit: number(params, 'limit', 200),
  };
}

export function writeEvent(res: ServerResponse, event: ConsoleEvent | { type: 'log'; data: unknown }): void {
  if (res.writableLength > MAX_BUFFERED_BYTES) {
    res.destroy();
    return;
  }
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
}

/** A GetMetricData query from `/api/metrics` parameters; `end` defaults to now, `start` to an hour before it. */
export function metricQuery(params: URLSearchParams, now: number): MetricQuery {
  const end = number(params, 'end', now)!;
  const dimensions = params.get('dimensions');
  let parsed: Record<string, string> | undefined;
  try {
    parsed = dimensions ? (JSON.parse(dimensions) as Record<string, string>) : undefined;
  } catch {
    throw new BadRequest('dimensions: expected a JSON object such as {"FunctionName":"orders"}');
  }
  return {
    namespace: (params.get('namespace') ?? '') as Namespace,
    metricName: params.get('metricName') ?? '',
    dimensions: parsed,
    statistic: (params.get('statistic') ?? 'Sum') as Statistic,
    period: number(params, 'period', 60)!,
    startTime: number(params, 'start', end - 3_600_000)!,
    endTime: end,
  };
}

/** Cost gauges appended to telemetry's families on `/metrics`. */
export function costFamilies(report: CostReport): PromFamily[] {
  const gauge = (name: string, help: string, value: number): PromFamily => ({
    name,
    help,
    type: 'gauge',
    samples: [{ value }],
  });
  return [
    gauge('gantry_cost_so_far_usd', 'What the traffic so far would have cost on AWS.', report.soFar.totalUsd),
    gauge(
      'gantry_cost_projected_monthly_usd',
      'Monthly cost at the recent traffic rate.',
      report.projectedMonthly.totalUsd,
    ),
    gauge('gantry_budget_monthly_usd', 'The config budget.', report.budget.monthlyUsd),
  ];
}
