/**
 * API Gateway access log lines, rendered from `$context` variables as a stage's access log format
 * does. The default is the JSON example the API Gateway console offers for HTTP APIs (verbatim,
 * spacing included). A variable with no value renders as `-`, as AWS writes it.
 */
import { clfTime } from '../aws/clf-time.ts';
import type { RequestSample } from './recorder.ts';

export const DEFAULT_ACCESS_LOG_FORMAT =
  '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod","routeKey":"$context.routeKey", "status":"$context.status","protocol":"$context.protocol", "responseLength":"$context.responseLength" }';

type Getter = (sample: RequestSample, context: AccessLogContext) => string | number | undefined;

export interface AccessLogContext {
  accountId: string;
  domainName: string;
}

const round = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms));

const VARIABLES: Record<string, Getter> = {
  '$context.accountId': (_s, c) => c.accountId,
  '$context.apiId': (s) => s.apiId,
  '$context.dataProcessed': (s) => s.requestLength + s.responseLength,
  '$context.domainName': (_s, c) => c.domainName,
  '$context.error.message': (s) => s.errorMessage,
  '$context.error.messageString': (s) => (s.errorMessage === undefined ? undefined : JSON.stringify(s.errorMessage)),
  '$context.extendedRequestId': (s) => s.requestId,
  '$context.httpMethod': (s) => s.httpMethod,
  '$context.identity.sourceIp': (s) => s.sourceIp,
  '$context.identity.userAgent': (s) => s.userAgent,
  '$context.integration.latency': (s) => round(s.integrationLatencyMs),
  '$context.integration.status': (s) => s.integrationStatus,
  '$context.integrationLatency': (s) => round(s.integrationLatencyMs),
  '$context.integrationStatus': (s) => s.integrationStatus,
  '$context.path': (s) => s.path,
  '$context.protocol': (s) => s.protocol,
  '$context.requestId': (s) => s.requestId,
  '$context.requestTime': (s) => clfTime(s.requestTimeEpoch),
  '$context.requestTimeEpoch': (s) => s.requestTimeEpoch,
  '$context.responseLatency': (s) => round(s.latencyMs),
  '$context.responseLength': (s) => s.responseLength,
  '$context.routeKey': (s) => s.routeKey,
  '$context.stage': (s) => s.stage,
  '$context.status': (s) => s.status,
};

/** Already JSON-quoted by definition: inserted as is. */
const RAW = new Set([VARIABLES['$context.error.messageString']]);

export class AccessLogFormatError extends Error {
  override name = 'AccessLogFormatError';
}

/** Escapes what would break a JSON string, so every line of a JSON format stays parseable. */
function jsonSafe(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c) return JSON.stringify(text).slice(1, -1);
  }
  return text;
}

/** Compiles a format once (at startup) into a function that renders one line per request. */
export function compileAccessLogFormat(format: string, context: AccessLogContext): (sample: RequestSample) => string {
  const pattern = /\$context\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*/g;
  const literals: string[] = [];
  const getters: Getter[] = [];
  const raw: boolean[] = [];
  let last = 0;
  for (const match of format.matchAll(pattern)) {
    const getter = VARIABLES[match[0]];
    if (!getter) {
      throw new AccessLogFormatError(
        `access log format: unsupported variable ${match[0]} (supported: ${Object.keys(VARIABLES).join(', ')})`,
      );
    }
    literals.push(format.slice(last, match.index));
    getters.push(getter);
    raw.push(RAW.has(getter));
    last = match.index + match[0].length;
  }
  literals.push(format.slice(last));
  if (!getters.some((g) => g === VARIABLES['$context.requestId'] || g === VARIABLES['$context.extendedRequestId'])) {
    throw new AccessLogFormatError('access log format: must include $context.requestId or $context.extendedRequestId');
  }
  return (sample) => {
    let line = literals[0];
    for (let i = 0; i < getters.length; i++) {
      const value = getters[i](sample, context);
      const text = value === undefined || value === '' ? '-' : raw[i] ? String(value) : jsonSafe(String(value));
      line += text + literals[i + 1];
    }
    return line;
  };
}
