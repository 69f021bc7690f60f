/**
 * CORS as HTTP APIs apply it when the API has a CORS configuration: the gateway answers preflight
 * requests that no route takes, adds the configured headers to responses for an allowed origin, and
 * ignores CORS headers the integration returned.
 *
 * AWS documents none of the answer's wire details. Followed here (unverified): the preflight is
 * `204 No Content` without a body or content-type; list values are joined with `,`; a disallowed
 * origin gets the same answer without any CORS header; the browser, not the gateway, enforces the
 * returned method and header lists. CORS headers also go on API Gateway's own error answers.
 */
import type { ResolvedConfig } from '../config/resolved.ts';

export type CorsConfiguration = NonNullable<ResolvedConfig['cors']>;

export const PREFLIGHT_STATUS = 204;

export interface Cors {
  /** The `access-control-allow-origin` value for a request's Origin, or undefined when it is not allowed. */
  allowOrigin(origin: string | undefined): string | undefined;
  /** Headers of an answered preflight, for an allowed origin. */
  preflightHeaders(allowOrigin: string): string[];
  /** Pushes the headers an actual response carries for an allowed origin onto `headers`. */
  addResponseHeaders(headers: string[], allowOrigin: string): void;
}

/** A CORS preflight: OPTIONS with both `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(method: string, origin: unknown, requestMethod: unknown): boolean {
  return method === 'OPTIONS' && typeof origin === 'string' && typeof requestMethod === 'string';
}

/** Removes `access-control-*` headers (an integration's own CORS headers are ignored). */
export function withoutCorsHeaders(headers: string[]): string[] {
  let found = false;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i].startsWith('access-control-')) {
      found = true;
      break;
    }
  }
  if (!found) return headers;
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (!headers[i].startsWith('access-control-')) out.push(headers[i], headers[i + 1]);
  }
  return out;
}

export function compileCors(config: CorsConfiguration | undefined): Cors | undefined {
  if (!config) return undefined;
  const anyOrigin = config.allowOrigins.includes('*');
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const origin of config.allowOrigins) {
    if (origin === '*') continue;
    if (origin.endsWith('://*')) prefixes.push(origin.slice(0, -1).toLowerCase());
    else exact.add(origin.toLowerCase());
  }

  const common: string[] = [];
  if (config.allowCredentials) common.push('access-control-allow-credentials', 'true');
  const preflight = [...common];
  const methods = config.allowMethods.map((m) => (m === 'ANY' ? '*' : m));
  if (methods.length > 0) preflight.push('access-control-allow-methods', methods.join(','));
  if (config.allowHeaders.length > 0) preflight.push('access-control-allow-headers', config.allowHeaders.join(','));
  if (config.maxAge !== undefined) preflight.push('access-control-max-age', `${config.maxAge}`);
  const actual = [...common];
  if (config.exposeHeaders.length > 0) actual.push('access-control-expose-headers', config.exposeHeaders.join(','));

  return {
    allowOrigin(origin) {
      if (origin === undefined || origin === '') return undefined;
      if (anyOrigin) return '*';
      const lower = origin.toLowerCase();
      if (exact.has(lower)) return origin;
      for (const prefix of prefixes) {
        if (lower.startsWith(prefix) && lower.length > prefix.length) return origin;
      }
      return undefined;
    },
    preflightHeaders(allowOrigin) {
      return ['access-control-allow-origin', allowOrigin, ...preflight];
    },
    addResponseHeaders(headers, allowOrigin) {
      headers.push('access-control-allow-origin', allowOrigin);
      for (let i = 0; i < actual.length; i++) headers.push(actual[i]);
    },
  };
}
