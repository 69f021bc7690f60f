/**
 * The request path: stage → route → CORS preflight → throttle → authorizer → body limits →
 * integration → response mapping. Everything it consults was compiled at startup (compile.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Agent } from 'undici';
import { appendForwardedFor, FORWARDED_PROTO, FORWARDING_HEADERS } from '../aws/headers.ts';
import { HTTP_API_REQUEST_BODY_BYTES } from '../aws/limits.ts';
import type { InvokeResult, Invoker } from '../runtime/types.ts';
import {
  type Authorization,
  type AuthorizeInput,
  type AuthorizerData,
  isRefusal,
  type RouteAuthorizer,
} from './authorizers/types.ts';
import type { CompiledApi, CompiledRoute } from './compile.ts';
import { isPreflight } from './cors.ts';
import { errorForOutcome, GATEWAY_ERRORS, HTTP_INTEGRATION_FAILURE, lambdaIntegrationStatus } from './errors.ts';
import { buildEventV1 } from './event-v1.ts';
import { buildEventV2 } from './event-v2.ts';
import { Exchange, type ExchangeHost } from './exchange.ts';
import type { GatewayFaults, RouteFault } from './faults.ts';
import { forwardableHeaders, forwardedHeader, type HttpProxyOutcome, proxyHttp } from './http-integration.ts';
import { nextTraceId } from './ids.ts';
import { BODY_TOO_LARGE, eventTooLarge, readBody } from './limits.ts';
import { decodePath, type GatewayRequest, type MatchedRoute, splitTarget, utf8HeaderValues } from './request.ts';
import { mapResponseV1 } from './response-v1.ts';
import { mapResponseV2 } from './response-v2.ts';
import type { RouteMatch } from './router.ts';

export interface HandlerHost extends ExchangeHost {
  /** The compiled config; replaced as a whole on reload, so a request sees one version throughout. */
  readonly api: CompiledApi;
  invoker: Invoker;
  agent: Agent;
  /** Set only while chaos faults exist (see faults.ts). */
  readonly faults: GatewayFaults | undefined;
}

export function createRequestHandler(host: HandlerHost): (req: IncomingMessage, res: ServerResponse) => void {
  return function handle(req, res) {
    const ex = new Exchange(host, host.api, req, res);
    try {
      route(host, ex);
    } catch {
      // A bug on the request path costs this request a 500, never the process.
      ex.fail();
    }
  };
}

function route(host: HandlerHost, ex: Exchange): void {
  const api = ex.api;
  const req = ex.req;
  const [encodedPath, rawQueryString] = splitTarget(req.url ?? '/');
  ex.rawPath = decodePath(encodedPath);
  ex.rawQueryString = rawQueryString;
  const cors = api.cors;
  if (cors) ex.allowOrigin = cors.allowOrigin(req.headers.origin);

  const routePath = api.stage.routePath(ex.rawPath);
  const match = routePath === undefined ? undefined : api.router.match(ex.method, routePath);
  if (match === undefined || routePath === undefined) {
    if (!api.throttle.allow(undefined, ex.start)) ex.sendError(GATEWAY_ERRORS.tooManyRequests);
    else if (
      routePath !== undefined &&
      cors &&
      isPreflight(ex.method, req.headers.origin, req.headers['access-control-request-method'])
    ) {
      ex.sendPreflight();
    } else ex.sendError(GATEWAY_ERRORS.notFound);
    return;
  }

  const route = api.routes.get(match.route)!;
  ex.routeKey = route.routeKey;
  if (!api.throttle.allow(match.route, ex.start)) {
    ex.sendError(GATEWAY_ERRORS.tooManyRequests);
    return;
  }

  const authorizer = route.authorizer;
  if (authorizer === undefined) integrate(host, ex, route, match, routePath, undefined, undefined);
  else authorizeThenIntegrate(host, ex, route, match, routePath, authorizer);
}

/** Hands an authorized request on, unless a chaos fault on its route resets it or holds it first. */
function integrate(
  host: HandlerHost,
  ex: Exchange,
  route: CompiledRoute,
  match: RouteMatch,
  routePath: string,
  authorizerData: AuthorizerData | undefined,
  traceId: string | undefined,
): void {
  const faults = host.faults;
  const fault = faults === undefined ? undefined : faults.route(route.routeKey);
  if (fault === undefined) readAndIntegrate(host, ex, route, match, routePath, authorizerData, traceId);
  else injectFault(ex, fault, () => readAndIntegrate(host, ex, route, match, routePath, authorizerData, traceId));
}

/** A chaos fault on the route: the connection is reset, or the request waits before its integration. */
function injectFault(ex: Exchange, fault: RouteFault, proceed: () => void): void {
  if (fault.reset) ex.reset();
  else setTimeout(proceed, fault.delayMs);
}

/** Reads the body (bounded) and hands the request to the route's integration. */
function readAndIntegrate(
  host: HandlerHost,
  ex: Exchange,
  route: CompiledRoute,
  match: RouteMatch,
  routePath: string,
  authorizerData: AuthorizerData | undefined,
  traceId: string | undefined,
): void {
  readBody(ex.req, HTTP_API_REQUEST_BODY_BYTES, (body) => {
    try {
      if (body === BODY_TOO_LARGE) {
        // The unread rest of the upload is drained; the connection cannot be reused after it.
        ex.closeConnection = true;
        return ex.sendError(GATEWAY_ERRORS.requestTooLarge);
      }
      if (body instanceof Error) return ex.abandon();
      ex.requestLength = body?.length ?? 0;
      if (route.integration.type === 'lambda') invokeLambda(host, ex, route, match, body, authorizerData, traceId);
      else proxyToHttp(host, ex, route, match, routePath, body).catch(() => ex.fail());
    } catch {
      ex.fail();
    }
  });
}

/**
 * The route's authorizer decides before the body is read and the integration runs: a refusal is
 * answered at once (the integration never sees the request), an allowance carries its data into the
 * event. A JWT verified before answers synchronously.
 */
function authorizeThenIntegrate(
  host: HandlerHost,
  ex: Exchange,
  route: CompiledRoute,
  match: RouteMatch,
  routePath: string,
  authorizer: RouteAuthorizer,
): void {
  const api = ex.api.api;
  let traceId: string | undefined;
  const input: AuthorizeInput = {
    view: {
      headers: ex.req.headers,
      rawQueryString: ex.rawQueryString,
      context: {
        routeKey: route.routeKey,
        stage: api.stage,
        apiId: api.apiId,
        accountId: api.accountId,
        domainName: api.domainName,
        domainPrefix: api.domainPrefix,
        requestId: ex.requestId,
        httpMethod: ex.method,
        'identity.sourceIp': ex.sourceIp,
        'identity.userAgent': ex.req.headers['user-agent'] ?? '',
      },
      stageVariables: api.stageVariables,
    },
    method: ex.method,
    routePath,
    matched: { routeKey: route.routeKey, resourcePath: route.resourcePath, pathParameters: match.pathParameters },
    request: () => gatewayRequest(ex, undefined, input.traceId()),
    traceId: () => {
      traceId ??= traceIdOf(ex);
      return traceId;
    },
  };
  const proceed = (result: Authorization): void => {
    if (ex.settled) return;
    if (isRefusal(result)) ex.send(result);
    else integrate(host, ex, route, match, routePath, result, traceId);
  };
  const result = authorizer.authorize(input);
  if (result instanceof Promise) result.then(proceed).catch(() => ex.fail());
  else proceed(result);
}

function gatewayRequest(ex: Exchange, body: Buffer | undefined, traceId: string): GatewayRequest {
  const req = ex.req;
  return {
    method: ex.method,
    rawPath: ex.rawPath,
    rawQueryString: ex.rawQueryString,
    rawHeaders: utf8HeaderValues(req.rawHeaders),
    protocol: `HTTP/${req.httpVersion}`,
    body,
    sourceIp: ex.sourceIp,
    port: req.socket.localPort ?? 0,
    requestId: ex.requestId,
    timeEpoch: ex.timeEpoch,
    traceId,
  };
}

function traceIdOf(ex: Exchange): string {
  const sent = ex.req.headers['x-amzn-trace-id'];
  return typeof sent === 'string' && sent !== '' ? sent : nextTraceId(ex.timeEpoch);
}

function invokeLambda(
  host: HandlerHost,
  ex: Exchange,
  route: CompiledRoute,
  match: RouteMatch,
  body: Buffer | undefined,
  authorizerData: AuthorizerData | undefined,
  knownTraceId: string | undefined,
): void {
  const integration = route.integration as Extract<CompiledRoute['integration'], { type: 'lambda' }>;
  const traceId = knownTraceId ?? traceIdOf(ex);
  const matched: MatchedRoute = {
    routeKey: route.routeKey,
    resourcePath: route.resourcePath,
    pathParameters: match.pathParameters,
  };
  const request = gatewayRequest(ex, body, traceId);
  const v2 = integration.payloadFormatVersion === '2.0';
  const event = JSON.stringify(
    v2
      ? buildEventV2(request, matched, ex.api.api, authorizerData)
      : buildEventV1(request, matched, ex.api.api, authorizerData),
  );
  if (eventTooLarge(event)) {
    ex.sendError(GATEWAY_ERRORS.requestTooLarge);
    return;
  }

  ex.functionName = integration.functionName;
  const invokedAt = performance.now();
  // Armed before the invoke, whose answer may come before it returns (a refusal, a chaos fault).
  const timer = setTimeout(() => {
    // API Gateway stops waiting; the invocation itself runs on (Lambda is not told).
    if (!ex.settled) ex.integrationLatencyMs = performance.now() - invokedAt;
    ex.sendError(GATEWAY_ERRORS.serviceUnavailable);
  }, route.timeoutInMillis);
  // A pending integration must not keep a closed gateway's process alive.
  timer.unref();
  const answered = (result: InvokeResult) => {
    clearTimeout(timer);
    if (ex.settled) return;
    try {
      ex.integrationLatencyMs = performance.now() - invokedAt;
      ex.integrationStatus = lambdaIntegrationStatus(result.outcome);
      const outcome = result.outcome;
      if (outcome.status !== 'success') return ex.sendError(errorForOutcome(outcome));
      ex.send(v2 ? mapResponseV2(outcome.payload) : mapResponseV1(outcome.payload));
    } catch {
      ex.fail();
    }
  };
  const invoker = host.invoker;
  if (invoker.invokeThen !== undefined) {
    invoker.invokeThen(integration.functionName, event, { traceId }, answered);
    return;
  }
  invoker.invoke(integration.functionName, event, { traceId }).then(answered, () => {
    // Invoker promises never reject by contract; a broken one is a function error for the client.
    clearTimeout(timer);
    ex.sendError(GATEWAY_ERRORS.internalError);
  });
}

async function proxyToHttp(
  host: HandlerHost,
  ex: Exchange,
  route: CompiledRoute,
  match: RouteMatch,
  routePath: string,
  body: Buffer | undefined,
): Promise<void> {
  const integration = route.integration as Extract<CompiledRoute['integration'], { type: 'http' }>;
  const req = ex.req;
  const headers = forwardableHeaders(req.rawHeaders);
  // node:http joins repeated x-forwarded-for lines into one string.
  const forwardedFor = req.headers['x-forwarded-for'] as string | undefined;
  const [forName, portName, protoName, traceName] = FORWARDING_HEADERS;
  headers.push(
    forName,
    appendForwardedFor(forwardedFor, ex.sourceIp),
    portName,
    `${req.socket.localPort ?? 0}`,
    protoName,
    FORWARDED_PROTO,
    traceName,
    traceIdOf(ex),
    'forwarded',
    forwardedHeader(req.socket.localAddress ?? '127.0.0.1', ex.sourceIp, req.headers.host),
    'via',
    'HTTP/1.1 AmazonAPIGateway',
  );
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), route.timeoutInMillis);
  timer.unref();
  const sentAt = performance.now();
  const outcome: HttpProxyOutcome = await proxyHttp(host.agent, {
    url: integration.target.url(match.pathParameters, routePath, ex.rawQueryString),
    method: integration.method ?? ex.method,
    headers,
    body,
    signal: controller.signal,
  });
  ex.integrationLatencyMs = performance.now() - sentAt;
  if (outcome.kind !== 'response') {
    clearTimeout(timer);
    return ex.sendError(outcome.kind === 'timeout' ? GATEWAY_ERRORS.serviceUnavailable : HTTP_INTEGRATION_FAILURE);
  }
  ex.integrationStatus = outcome.statusCode;
  if (outcome.contentLength !== undefined && outcome.contentLength > HTTP_API_REQUEST_BODY_BYTES) {
    // The same 10 MB bound as a chunked answer below, decided before anything is sent.
    outcome.body.destroy();
    clearTimeout(timer);
    return ex.sendError(HTTP_INTEGRATION_FAILURE);
  }
  if (outcome.contentLength !== undefined) {
    ex.stream(outcome.statusCode, outcome.headers, outcome.contentLength, outcome.body, () => clearTimeout(timer));
    return;
  }
  // No declared length (chunked): collect it, bounded, so the client still gets a content-length.
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of outcome.body) {
      size += (chunk as Buffer).length;
      if (size > HTTP_API_REQUEST_BODY_BYTES) {
        outcome.body.destroy();
        clearTimeout(timer);
        return ex.sendError(HTTP_INTEGRATION_FAILURE);
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    clearTimeout(timer);
    return ex.sendError(controller.signal.aborted ? GATEWAY_ERRORS.serviceUnavailable : HTTP_INTEGRATION_FAILURE);
  }
  clearTimeout(timer);
  ex.send({ statusCode: outcome.statusCode, headers: outcome.headers, body: Buffer.concat(chunks, size) });
}
