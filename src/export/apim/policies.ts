/**
 * Azure API Management policy documents for the API (CORS, API Gateway-shaped errors) and for each
 * operation (JWT validation and scopes, the route's throttle, backend, timeout).
 * Element order inside each section follows the policy reference; every section keeps `<base />`.
 */

import { GATEWAY_MESSAGES, type GatewayStatus, gatewayBody } from '../../aws/gateway-answers.ts';
import type {
  CorsConfig,
  JwtAuthorizerConfig,
  ResolvedConfig,
  ResolvedRoute,
  ThrottleConfig,
} from '../../config/index.ts';
import { windowFor } from '../throttles.ts';
import { el, renderXml, type XmlElement } from '../xml.ts';

/** `<return-response>` with API Gateway's status and `{"message":…}` body. */
export function gatewayAnswer(status: GatewayStatus): XmlElement {
  return el(
    'return-response',
    null,
    el('set-status', { code: status, reason: GATEWAY_MESSAGES[status] }),
    el('set-header', { name: 'Content-Type', 'exists-action': 'override' }, el('value', null, 'application/json')),
    el('set-body', null, gatewayBody(status)),
  );
}

function document(inbound: XmlElement[], backend: XmlElement[], onError: XmlElement[]): string {
  return renderXml(
    el(
      'policies',
      null,
      el('inbound', null, el('base'), ...inbound),
      el('backend', null, ...(backend.length ? backend : [el('base')])),
      el('outbound', null, el('base')),
      el('on-error', null, el('base'), ...onError),
    ),
  );
}

type Cors = Required<Omit<CorsConfig, 'maxAge'>> & { maxAge?: number };

function corsPolicy(cors: Cors): XmlElement {
  // APIM takes "*" or whole origins; API Gateway's "https://*" prefixes are reported as unmapped.
  const origins = cors.allowOrigins.filter((o) => o === '*' || !o.includes('*'));
  const methods = cors.allowMethods.map((m) => (m === 'ANY' ? '*' : m));
  return el(
    'cors',
    // API Gateway still serves a request whose Origin is not allowed (without CORS headers).
    { 'allow-credentials': cors.allowCredentials, 'terminate-unmatched-request': false },
    el('allowed-origins', null, ...(origins.length ? origins : ['*']).map((o) => el('origin', null, o))),
    methods.length > 0 &&
      el('allowed-methods', { 'preflight-result-max-age': cors.maxAge }, ...methods.map((m) => el('method', null, m))),
    cors.allowHeaders.length > 0 && el('allowed-headers', null, ...cors.allowHeaders.map((h) => el('header', null, h))),
    cors.exposeHeaders.length > 0 &&
      el('expose-headers', null, ...cors.exposeHeaders.map((h) => el('header', null, h))),
  );
}

/** API Gateway answers 429 to every request of a route throttled to 0; APIM's windows need ≥ 1 call. */
function ratePolicy(throttle: ThrottleConfig, counterKey: string): XmlElement {
  if (throttle.rateLimit === 0 || throttle.burstLimit === 0) return gatewayAnswer(429);
  const { calls, periodSeconds } = windowFor(throttle.rateLimit);
  return el('rate-limit-by-key', { calls, 'renewal-period': periodSeconds, 'counter-key': counterKey });
}

const errorWhen = (condition: string, status: GatewayStatus) => el('when', { condition }, gatewayAnswer(status));

/** The API's policy: CORS, and errors answered with API Gateway's bodies. */
export function apiPolicy(config: ResolvedConfig): string {
  const inbound: XmlElement[] = [];
  if (config.cors) inbound.push(corsPolicy(config.cors));
  const onError = [
    el(
      'choose',
      null,
      errorWhen('@(context.LastError.Reason == "OperationNotFound")', 404),
      errorWhen('@(context.LastError.Source == "validate-jwt")', 401),
      errorWhen('@(context.LastError.Source == "rate-limit-by-key")', 429),
      el('otherwise', null, gatewayAnswer(500)),
    ),
  ];
  return document(inbound, [], onError);
}

function csharpString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function validateJwt(auth: JwtAuthorizerConfig, tokenVariable: string): XmlElement {
  const source = /^\$request\.(header|querystring)\.(.+)$/.exec(auth.identitySource ?? '$request.header.Authorization');
  const inQuery = source?.[1] === 'querystring';
  const name = source?.[2] ?? 'Authorization';
  return el(
    'validate-jwt',
    {
      'header-name': inQuery ? undefined : name,
      'query-parameter-name': inQuery ? name : undefined,
      'failed-validation-httpcode': 401,
      'failed-validation-error-message': GATEWAY_MESSAGES[401],
      'require-scheme': !inQuery && name.toLowerCase() === 'authorization' ? 'Bearer' : undefined,
      'require-expiration-time': true,
      'require-signed-tokens': true,
      'output-token-variable-name': tokenVariable,
    },
    el('openid-config', { url: `${auth.issuer.replace(/\/$/, '')}/.well-known/openid-configuration` }),
    el('audiences', null, ...auth.audience.map((a) => el('audience', null, a))),
    el('issuers', null, el('issuer', null, auth.issuer)),
  );
}

/** API Gateway admits a token carrying any one of the route's scopes, in `scope` or `scp`; else 403. */
function scopeCheck(scopes: string[], tokenVariable: string): XmlElement {
  const claims = '(jwt.Claims.GetValueOrDefault("scope", "") + " " + jwt.Claims.GetValueOrDefault("scp", ""))';
  const condition =
    `@{ var jwt = (Jwt)context.Variables[${csharpString(tokenVariable)}]; ` +
    `var granted = ${claims}.Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries); ` +
    `return !granted.Intersect(new[] { ${scopes.map(csharpString).join(', ')} }).Any(); }`;
  return el('choose', null, el('when', { condition }, gatewayAnswer(403)));
}

export interface OperationTarget {
  /** `service/backends` entity name. */
  backendId: string;
  /** Path on the backend, with the operation's template parameters (`/{proxy}`); undefined: as requested. */
  rewrite?: string;
  /** Method forced by an HTTP integration. */
  method?: string;
}

/** One operation's policy: authorizer, route throttle, backend and integration timeout. */
export function operationPolicy(config: ResolvedConfig, route: ResolvedRoute, target: OperationTarget): string {
  const inbound: XmlElement[] = [];
  const auth = route.authorizer ? config.authorizers[route.authorizer] : undefined;
  if (auth?.type === 'jwt') {
    const variable = `jwt-${route.authorizer}`;
    inbound.push(validateJwt(auth, variable));
    if (route.scopes.length) inbound.push(scopeCheck(route.scopes, variable));
  } else if (auth?.type === 'lambda') {
    // No declarative twin for a Lambda authorizer: fail closed rather than serve the route unprotected.
    inbound.push(gatewayAnswer(401));
  }
  // API Gateway keeps one bucket per route, sized by the route's throttle or else the stage's default.
  const throttle = route.throttle ?? config.stage.throttle;
  if (throttle) inbound.push(ratePolicy(throttle, `@(context.Api.Id + ${csharpString(`|${route.routeKey}`)})`));
  inbound.push(el('set-backend-service', { 'backend-id': target.backendId }));
  if (target.method) inbound.push(el('set-method', null, target.method));
  if (target.rewrite) inbound.push(el('rewrite-uri', { template: target.rewrite, 'copy-unmatched-params': true }));
  const backend = [el('forward-request', { timeout: Math.ceil(route.timeoutInMillis / 1000) })];
  return document(inbound, backend, []);
}
