/**
 * The parsed request the payload builders consume, and the small parsers that produce it:
 * URL splitting, API Gateway's URL decoding, query strings, the body's text-or-base64 rule.
 */

/** One request as API Gateway sees it, before it becomes a payload 2.0 or 1.0 event. */
export interface GatewayRequest {
  method: string;
  /** The URL-decoded path, stage prefix included (payload 2.0 `rawPath`). */
  rawPath: string;
  /** The query string as received (still encoded), without `?`; `''` when none. */
  rawQueryString: string;
  /** Node's `req.rawHeaders` (values as UTF-8 text): names as the client wrote them, repeats kept, in order. */
  rawHeaders: readonly string[];
  /** `HTTP/1.1` (from the request line). */
  protocol: string;
  body: Buffer | undefined;
  sourceIp: string;
  /** The port the client connected to (`x-forwarded-port`). */
  port: number;
  requestId: string;
  timeEpoch: number;
  /** `x-amzn-trace-id` as integrations see it. */
  traceId: string;
}

/** What is fixed per API and stage. */
export interface ApiContext {
  accountId: string;
  apiId: string;
  domainName: string;
  domainPrefix: string;
  stage: string;
  /** Undefined when the stage has no variables (the field is then absent / null). */
  stageVariables: Record<string, string> | undefined;
}

/** The route the request matched. */
export interface MatchedRoute {
  routeKey: string;
  /** The route's path (`/items/{id}`), or `$default`. */
  resourcePath: string;
  pathParameters: Record<string, string> | undefined;
}

const NON_ASCII = /[\u0080-\u00ff]/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Node reads header bytes as Latin-1; AWS hands a function the UTF-8 text a client (a browser, a CDN's
 * `cf-ipcity: Córdoba`) sent. Values with a byte over 0x7F are decoded again as UTF-8, and kept as
 * Latin-1 text when they are not UTF-8 (nothing is replaced by U+FFFD). The array is copied only
 * then, so the usual all-ASCII request costs one regex test per value.
 */
export function utf8HeaderValues(rawHeaders: readonly string[]): readonly string[] {
  let out: string[] | undefined;
  for (let i = 1; i < rawHeaders.length; i += 2) {
    const value = rawHeaders[i];
    if (!NON_ASCII.test(value)) continue;
    let text: string;
    try {
      text = strictUtf8.decode(Buffer.from(value, 'latin1'));
    } catch {
      continue;
    }
    out ??= rawHeaders.slice();
    out[i] = text;
  }
  return out ?? rawHeaders;
}

/** Splits a request target into its path (still encoded) and raw query string. */
export function splitTarget(target: string): [path: string, query: string] {
  if (target.charCodeAt(0) !== 47 /* / */) {
    // Absolute form (`GET http://host/path HTTP/1.1`) or `*`: keep only the path part.
    try {
      const url = new URL(target);
      return [url.pathname, url.search.slice(1)];
    } catch {
      return [target, ''];
    }
  }
  const q = target.indexOf('?');
  return q < 0 ? [target, ''] : [target.slice(0, q), target.slice(q + 1)];
}

/** API Gateway URL-decodes the path (so `%2F` becomes `/`); malformed escapes are kept as sent. */
export function decodePath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function decodeQueryComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Decoded `[name, value]` pairs in order; `+` is a space, as in forms. Empty pieces are skipped. */
export function parseQuery(raw: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (raw === '') return pairs;
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    if (eq < 0) pairs.push([decodeQueryComponent(piece), '']);
    else pairs.push([decodeQueryComponent(piece.slice(0, eq)), decodeQueryComponent(piece.slice(eq + 1))]);
  }
  return pairs;
}

/**
 * HTTP APIs pass a body as UTF-8 text only for textual media types; everything else (binary, forms,
 * multipart, and a body without a content-type) arrives base64-encoded.
 */
export function isTextMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  const type = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/xml' ||
    type === 'application/javascript' ||
    type.endsWith('+json') ||
    type.endsWith('+xml')
  );
}

/** The event's `body` and `isBase64Encoded`; `body` is undefined for an empty body. */
export function encodeBody(
  body: Buffer | undefined,
  contentType: string | undefined,
): { body: string | undefined; isBase64Encoded: boolean } {
  if (!body || body.length === 0) return { body: undefined, isBase64Encoded: false };
  return isTextMediaType(contentType)
    ? { body: body.toString('utf8'), isBase64Encoded: false }
    : { body: body.toString('base64'), isBase64Encoded: true };
}

/**
 * Sets an own, enumerable property even for the key `__proto__` (which plain assignment would take
 * as the prototype). Maps stay ordinary objects because JSON.stringify is much faster on them.
 */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, as API Gateway reports IPv4 clients. */
export function normalizeIp(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
