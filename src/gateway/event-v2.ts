/**
 * Payload format 2.0: the event an HTTP API sends a Lambda proxy integration.
 * Maps are plain objects: a previous value counts only if it is a string (so an inherited
 * `constructor` is never taken for a header), and `__proto__` is written with setOwn.
 */
import { clfTime } from '../aws/clf-time.ts';
import { appendForwardedFor, CLIENT_CONNECTION_HEADERS, FORWARDED_PROTO } from '../aws/headers.ts';
import type { AuthorizerData } from './authorizers/types.ts';
import { type ApiContext, encodeBody, type GatewayRequest, type MatchedRoute, parseQuery, setOwn } from './request.ts';

export interface EventV2 {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
    authorizer?: AuthorizerData;
  };
  body?: string;
  pathParameters?: Record<string, string>;
  isBase64Encoded: boolean;
  stageVariables?: Record<string, string>;
}

/**
 * Splits a `Cookie` header on `; ` (the separator browsers send and the reference documents), so a
 * malformed `a=1;b=2` stays one string as it does in AWS. Appends to `into`.
 */
function splitCookies(header: string, into: string[] | undefined): string[] {
  const out = into ?? [];
  for (const cookie of header.split('; ')) if (cookie !== '') out.push(cookie);
  return out;
}

/**
 * The headers an integration sees: client headers lower-cased, repeats joined with `,`, the cookie
 * header moved to `cookies`, and API Gateway's forwarding headers added.
 */
function headersV2(req: GatewayRequest): { headers: Record<string, string>; cookies: string[] | undefined } {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = raw[i + 1];
    if (CLIENT_CONNECTION_HEADERS.has(name)) continue;
    if (name === 'cookie') {
      cookies = splitCookies(value, cookies);
      continue;
    }
    const previous = headers[name];
    setOwn(headers, name, typeof previous === 'string' ? `${previous},${value}` : value);
  }
  const forwardedFor = headers['x-forwarded-for'];
  // API Gateway's forwarding headers (aws/headers.ts FORWARDING_HEADERS), written as properties: the hot path.
  headers['x-forwarded-for'] = appendForwardedFor(
    typeof forwardedFor === 'string' ? forwardedFor : undefined,
    req.sourceIp,
  );
  headers['x-forwarded-port'] = `${req.port}`;
  headers['x-forwarded-proto'] = FORWARDED_PROTO;
  headers['x-amzn-trace-id'] = req.traceId;
  return { headers, cookies: cookies?.length ? cookies : undefined };
}

/** Repeated keys joined with `,`; undefined when there is no query. */
function queryV2(rawQueryString: string): Record<string, string> | undefined {
  const pairs = parseQuery(rawQueryString);
  if (pairs.length === 0) return undefined;
  const query: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const previous = query[name];
    setOwn(query, name, typeof previous === 'string' ? `${previous},${value}` : value);
  }
  return query;
}

/** `authorizer`: what the route's authorizer let through (`requestContext.authorizer`), absent without one. */
export function buildEventV2(
  req: GatewayRequest,
  route: MatchedRoute,
  api: ApiContext,
  authorizer?: AuthorizerData,
): EventV2 {
  const { headers, cookies } = headersV2(req);
  const { body, isBase64Encoded } = encodeBody(req.body, headers['content-type']);
  const event: EventV2 = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: req.rawPath,
    rawQueryString: req.rawQueryString,
    cookies,
    headers,
    queryStringParameters: queryV2(req.rawQueryString),
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      domainName: api.domainName,
      domainPrefix: api.domainPrefix,
      http: {
        method: req.method,
        path: req.rawPath,
        protocol: req.protocol,
        sourceIp: req.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: req.requestId,
      routeKey: route.routeKey,
      stage: api.stage,
      time: clfTime(req.timeEpoch),
      timeEpoch: req.timeEpoch,
    },
    body,
    pathParameters: route.pathParameters,
    isBase64Encoded,
    stageVariables: api.stageVariables,
  };
  if (authorizer !== undefined) event.requestContext.authorizer = authorizerV2(authorizer);
  return event;
}

/** `{ jwt: { claims, scopes } }` or `{ lambda: context }` (an IAM answer's principalId is not passed in 2.0). */
function authorizerV2(data: AuthorizerData): AuthorizerData {
  return 'jwt' in data ? data : { lambda: data.lambda };
}
