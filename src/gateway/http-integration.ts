/**
 * HTTP proxy integrations: the request goes to the target URL with `{name}` / `{proxy}` replaced by
 * path parameters and the query string passed on; the response comes back as the target sent it.
 * For the `$default` route API Gateway appends the full request path to the URL.
 */
import type { Readable } from 'node:stream';
import { type Agent, request } from 'undici';
import { NOT_PROXIED_HEADERS } from '../aws/headers.ts';
import type { HttpMethod } from '../config/types.ts';

export interface HttpTarget {
  /** The target URL for one request. `routePath` is the decoded path inside the stage. */
  url(pathParameters: Record<string, string> | undefined, routePath: string, rawQueryString: string): string;
}

function encodePath(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}

/**
 * Compiles an integration URL. `${stageVariables.name}` is replaced once here (as API Gateway does per
 * stage); an unknown stage variable becomes empty.
 */
export function compileHttpTarget(
  template: string,
  stageVariables: Record<string, string>,
  isDefaultRoute: boolean,
): HttpTarget {
  const base = template.replace(
    /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g,
    (_, name: string) => stageVariables[name] ?? '',
  );
  const hasPlaceholders = /\{[A-Za-z0-9._-]+\+?\}/.test(base);
  // $default appends the request path to the URL's path, before any query the URL itself carries.
  const queryAt = base.indexOf('?');
  const basePath = queryAt === -1 ? base : base.slice(0, queryAt);
  const baseQuery = queryAt === -1 ? '' : base.slice(queryAt);
  const trimmed = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
  return {
    url(pathParameters, routePath, rawQueryString) {
      let url = base;
      if (hasPlaceholders) {
        url = base.replace(/\{([A-Za-z0-9._-]+)\+?\}/g, (_, name: string) => {
          const value = pathParameters?.[name];
          return value === undefined ? '' : encodePath(value);
        });
      } else if (isDefaultRoute) {
        url = trimmed + encodePath(routePath) + baseQuery;
      }
      if (rawQueryString !== '') url += (url.includes('?') ? '&' : '?') + rawQueryString;
      return url;
    },
  };
}

/** Headers the gateway sets itself on the way to the target, whatever the client sent. */
const GATEWAY_SET = new Set(['x-amzn-trace-id', 'forwarded', 'via']);

/** Client headers to send on: flat `[name, value, ...]` without hop-by-hop ones. */
export function forwardableHeaders(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i].toLowerCase();
    if (NOT_PROXIED_HEADERS.has(lower) || lower.startsWith('x-forwarded-') || GATEWAY_SET.has(lower)) continue;
    out.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return out;
}

/** An RFC 7239 value: a token as it is, anything else (an IPv6 address, `host:port`) quoted. */
function forwardedValue(value: string, isAddress = false): string {
  if (isAddress && value.includes(':')) return `"[${value}]"`;
  return /^[A-Za-z0-9.!#$%&'*+^_`|~-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * API Gateway's `Forwarded` header to an HTTP integration, as captured from an HTTP API
 * (`by=…;for=…;host=…;proto=https`): the original Host is only there, since the request's own Host is
 * the target's. Locally the protocol is http.
 */
export function forwardedHeader(by: string, sourceIp: string, host: string | undefined): string {
  const parts = [`by=${forwardedValue(by, true)}`, `for=${forwardedValue(sourceIp, true)}`];
  if (host) parts.push(`host=${forwardedValue(host)}`);
  parts.push('proto=http');
  return parts.join(';');
}

export type HttpProxyOutcome =
  | {
      kind: 'response';
      statusCode: number;
      /** Flat, lower-case names, hop-by-hop and content-length removed. */
      headers: string[];
      /** Declared by the target; undefined for a chunked or close-delimited body. */
      contentLength: number | undefined;
      body: Readable;
    }
  | { kind: 'timeout' }
  | { kind: 'error'; message: string };

export interface HttpProxyRequest {
  url: string;
  method: string;
  headers: string[];
  body: Buffer | undefined;
  /** Aborts the exchange (headers and body) when it fires. */
  signal: AbortSignal;
}

/** Sends one request to the target. Never rejects. */
export async function proxyHttp(agent: Agent, req: HttpProxyRequest): Promise<HttpProxyOutcome> {
  try {
    const response = await request(req.url, {
      dispatcher: agent,
      method: req.method as HttpMethod,
      headers: req.headers,
      body: req.body ?? null,
      signal: req.signal,
      // Our own timer (the route's timeoutInMillis) bounds the exchange.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const headers: string[] = [];
    let contentLength: number | undefined;
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      if (name === 'content-length') {
        contentLength = Number(value);
        continue;
      }
      if (NOT_PROXIED_HEADERS.has(name) || name === 'date') continue;
      if (Array.isArray(value)) for (const v of value) headers.push(name, v);
      else headers.push(name, value);
    }
    return { kind: 'response', statusCode: response.statusCode, headers, contentLength, body: response.body };
  } catch (error) {
    if (req.signal.aborted) return { kind: 'timeout' };
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}
