/**
 * Header sets API Gateway treats specially, in one place, because the differences between them are
 * AWS behaviour: which headers a Lambda event leaves out, which an HTTP integration never receives,
 * which API Gateway adds on the way in, and which it owns on the way out.
 */

/**
 * Headers about the client's own connection to API Gateway: they end at its edge, so a Lambda event
 * never shows them (captured: `connection` and `keep-alive` sent by curl are absent from the event).
 */
export const CLIENT_CONNECTION_HEADERS: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection']);

/** Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, never relayed by a proxy. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  ...CLIENT_CONNECTION_HEADERS,
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * What an HTTP proxy integration never receives from the client and never passes back from the
 * target: hop-by-hop headers, plus those the new connection owns (framing, `host`, `expect`).
 */
export const NOT_PROXIED_HEADERS: ReadonlySet<string> = new Set([
  ...HOP_BY_HOP_HEADERS,
  'content-length',
  'expect',
  'host',
]);

/**
 * Response headers API Gateway writes itself: an integration's values for them are dropped
 * (`date` and `apigw-requestid` are stamped per response, framing is the gateway's connection's).
 */
export const GATEWAY_OWNED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'apigw-requestid',
  'connection',
  'content-length',
  'date',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The headers API Gateway adds to every request it sends to an integration (Lambda events of both
 * payload versions and HTTP proxies), lower-cased, in the order it adds them. `x-forwarded-for`
 * gets the client's address appended to any value the client sent; the others replace the client's.
 */
export const FORWARDING_HEADERS = [
  'x-forwarded-for',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-amzn-trace-id',
] as const;

/** Payload 1.0 spells header names as the client did; API Gateway's own are spelled so. */
export const FORWARDING_HEADERS_CANONICAL = [
  'X-Forwarded-For',
  'X-Forwarded-Port',
  'X-Forwarded-Proto',
  'X-Amzn-Trace-Id',
] as const;

/** The scheme API Gateway reports in `x-forwarded-proto`: locally, plain HTTP. */
export const FORWARDED_PROTO = 'http';

/** `x-forwarded-for` as API Gateway sends it on: the client's value (if any) then the client's address. */
export function appendForwardedFor(clientValue: string | undefined, sourceIp: string): string {
  return clientValue ? `${clientValue}, ${sourceIp}` : sourceIp;
}
