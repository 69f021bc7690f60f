/**
 * Payload format 1.0 on an HTTP API (the REST-style event). Unset maps are `null`.
 *
 * Header names keep the client's casing and the headers API Gateway adds use canonical casing, as in
 * public captures of HTTP API 1.0 events. AWS's page says "all header names are lowercased" for both
 * formats; the captures contradict it (`Content-Type` next to `accept`), so one switch below decides.
 */

import { clfTime } from '../aws/clf-time.ts';
import {
  appendForwardedFor,
  CLIENT_CONNECTION_HEADERS,
  FORWARDED_PROTO,
  FORWARDING_HEADERS,
  FORWARDING_HEADERS_CANONICAL,
} from '../aws/headers.ts';
import type { AuthorizerData } from './authorizers/types.ts';
import { type ApiContext, encodeBody, type GatewayRequest, type MatchedRoute, parseQuery, setOwn } from './request.ts';

const LOWER_CASE_HEADER_NAMES = false;
const ADDED_HEADER_NAMES = LOWER_CASE_HEADER_NAMES ? FORWARDING_HEADERS : FORWARDING_HEADERS_CANONICAL;

export interface EventV1 {
  version: '1.0';
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    extendedRequestId: string;
    httpMethod: string;
    identity: Record<string, string | null>;
    path: string;
    protocol: string;
    requestId: string;
    requestTime: string;
    requestTimeEpoch: number;
    resourceId: string;
    resourcePath: string;
    stage: string;
    authorizer?: Record<string, unknown>;
  };
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  body: string | null;
  isBase64Encoded: boolean;
}

interface HeadersV1 {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  /** Lower-cased name → the key used in the maps. */
  keys: Record<string, string>;
}

function setHeader(into: HeadersV1, name: string, values: string[]): void {
  const lower = name.toLowerCase();
  const existing = into.keys[lower];
  if (typeof existing === 'string' && existing !== name) {
    delete into.headers[existing];
    delete into.multiValueHeaders[existing];
  }
  setOwn(into.keys, lower, name);
  setOwn(into.headers, name, values[values.length - 1]);
  setOwn(into.multiValueHeaders, name, values);
}

/** Client headers (last value wins in `headers`, all of them in `multiValueHeaders`) plus forwarding headers. */
function headersV1(req: GatewayRequest): HeadersV1 {
  const out: HeadersV1 = { headers: {}, multiValueHeaders: {}, keys: {} };
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = LOWER_CASE_HEADER_NAMES ? raw[i].toLowerCase() : raw[i];
    const value = raw[i + 1];
    const lower = name.toLowerCase();
    if (CLIENT_CONNECTION_HEADERS.has(lower)) continue;
    const key = out.keys[lower];
    if (typeof key !== 'string') {
      setOwn(out.keys, lower, name);
      setOwn(out.headers, name, value);
      setOwn(out.multiValueHeaders, name, [value]);
    } else {
      setOwn(out.headers, key, value);
      out.multiValueHeaders[key].push(value);
    }
  }
  const forwardedKey = out.keys['x-forwarded-for'];
  const forwarded = typeof forwardedKey === 'string' ? out.multiValueHeaders[forwardedKey].join(', ') : undefined;
  const [forName, portName, protoName, traceName] = ADDED_HEADER_NAMES;
  setHeader(out, forName, [appendForwardedFor(forwarded, req.sourceIp)]);
  setHeader(out, portName, [`${req.port}`]);
  setHeader(out, protoName, [FORWARDED_PROTO]);
  setHeader(out, traceName, [req.traceId]);
  return out;
}

function headerValue(headers: HeadersV1, lowerName: string): string | undefined {
  const key = headers.keys[lowerName];
  return typeof key === 'string' ? headers.headers[key] : undefined;
}

/**
 * 1.0 events carry what an authorizer let through REST-style (unverified for HTTP APIs): a JWT's
 * `{ claims, scopes }`, a Lambda authorizer's context flattened with its `principalId`.
 */
function authorizerV1(data: AuthorizerData): Record<string, unknown> {
  if ('jwt' in data) return { claims: data.jwt.claims, scopes: data.jwt.scopes };
  return data.principalId === undefined ? { ...data.lambda } : { ...data.lambda, principalId: data.principalId };
}

export function buildEventV1(
  req: GatewayRequest,
  route: MatchedRoute,
  api: ApiContext,
  authorizer?: AuthorizerData,
): EventV1 {
  const headers = headersV1(req);
  const pairs = parseQuery(req.rawQueryString);
  let query: Record<string, string> | null = null;
  let multiQuery: Record<string, string[]> | null = null;
  if (pairs.length > 0) {
    query = {};
    multiQuery = {};
    for (const [name, value] of pairs) {
      setOwn(query, name, value);
      const list = multiQuery[name];
      if (Array.isArray(list)) list.push(value);
      else setOwn(multiQuery, name, [value]);
    }
  }
  const { body, isBase64Encoded } = encodeBody(req.body, headerValue(headers, 'content-type'));
  const userAgent = headerValue(headers, 'user-agent') ?? '';
  const event: EventV1 = {
    version: '1.0',
    resource: route.resourcePath,
    path: req.rawPath,
    httpMethod: req.method,
    headers: headers.headers,
    multiValueHeaders: headers.multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      domainName: api.domainName,
      domainPrefix: api.domainPrefix,
      extendedRequestId: req.requestId,
      httpMethod: req.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAmr: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: req.rawPath,
      protocol: req.protocol,
      requestId: req.requestId,
      requestTime: clfTime(req.timeEpoch),
      requestTimeEpoch: req.timeEpoch,
      // A capture shows `$default` for the $default route; other routes use their route key (unverified).
      resourceId: route.routeKey,
      resourcePath: route.resourcePath,
      stage: api.stage,
    },
    pathParameters: route.pathParameters ?? null,
    stageVariables: api.stageVariables ?? null,
    body: body ?? null,
    isBase64Encoded,
  };
  if (authorizer !== undefined) event.requestContext.authorizer = authorizerV1(authorizer);
  return event;
}
