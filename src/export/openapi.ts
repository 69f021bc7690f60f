/**
 * OpenAPI 3.0 of the API, in the form API Gateway's own export and import use
 * (`aws apigatewayv2 export-api --specification OAS30`): one path item per route, the
 * `x-amazon-apigateway-*` extensions for integrations, authorizers and CORS. `portable` leaves the
 * AWS extensions and AWS-only syntax out, for tools and gateways that import plain OpenAPI.
 */
import { stringify } from 'yaml';
import { GATEWAY_MESSAGES, type GatewayStatus } from '../aws/gateway-answers.ts';
import type { AuthorizerConfig, ResolvedConfig, ResolvedRoute } from '../config/index.ts';
import type { Unmapped } from './result.ts';
import { concreteMethods, operationName, pathVariables, routeField, segmentsOf, uniqueNames } from './routes.ts';
import { throttleUnmapped } from './throttles.ts';

export interface OpenApiOptions {
  /** Leave out `x-amazon-apigateway-*`, `$default` and `{proxy+}` syntax. @default false */
  portable?: boolean;
}

type Json = Record<string, unknown>;

/** The Lambda invoke URI API Gateway integrations and authorizers name a function by. */
export function lambdaInvokeUri(config: ResolvedConfig, functionName: string): string {
  const region = config.regions.primary;
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${config.account}:function:${functionName}/invocations`;
}

function serverUrl(config: ResolvedConfig): string {
  if (config.domain) return `https://${config.domain.name}`;
  const base = `https://${config.apiId}.execute-api.${config.regions.primary}.amazonaws.com`;
  return config.stage.name === '$default' ? base : `${base}/${config.stage.name}`;
}

const ANSWERS: GatewayStatus[] = [401, 403, 429, 500, 503];
const responseName = (status: GatewayStatus) => GATEWAY_MESSAGES[status].replace(/ /g, '');

function response(status: GatewayStatus): Json {
  return { $ref: `#/components/responses/${responseName(status)}` };
}

function securityScheme(config: ResolvedConfig, auth: AuthorizerConfig, portable: boolean): Json {
  if (auth.type === 'jwt') {
    const scheme: Json = {
      type: 'openIdConnect',
      openIdConnectUrl: `${auth.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    };
    if (!portable)
      scheme['x-amazon-apigateway-authorizer'] = {
        type: 'jwt',
        identitySource: auth.identitySource ?? '$request.header.Authorization',
        jwtConfiguration: { issuer: auth.issuer, audience: auth.audience },
      };
    return scheme;
  }
  const sources = auth.identitySource ?? ['$request.header.Authorization'];
  // OpenAPI's apiKey scheme names one header or query parameter: the first such identity source.
  const first = sources.map((s) => /^\$request\.(header|querystring)\.(.+)$/.exec(s)).find(Boolean);
  const scheme: Json = {
    type: 'apiKey',
    in: first?.[1] === 'querystring' ? 'query' : 'header',
    name: first?.[2] ?? 'Authorization',
  };
  if (!portable) {
    const payloadFormatVersion = auth.payloadFormatVersion ?? '2.0';
    scheme['x-amazon-apigateway-authorizer'] = {
      type: 'request',
      identitySource: sources.join(', '),
      authorizerUri: lambdaInvokeUri(config, auth.function),
      authorizerPayloadFormatVersion: payloadFormatVersion,
      // AWS allows simple responses with payload 2.0 only.
      ...(payloadFormatVersion === '2.0' ? { enableSimpleResponses: auth.enableSimpleResponses ?? true } : {}),
      authorizerResultTtlInSeconds: auth.resultTtlSeconds ?? 0,
    };
  }
  return scheme;
}

function integration(config: ResolvedConfig, route: ResolvedRoute): Json {
  const target = route.integration;
  if (target.type === 'lambda')
    return {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: lambdaInvokeUri(config, target.functionName),
      payloadFormatVersion: target.payloadFormatVersion,
      timeoutInMillis: route.timeoutInMillis,
      connectionType: 'INTERNET',
    };
  return {
    type: 'http_proxy',
    httpMethod: target.method ?? 'ANY',
    uri: target.url,
    payloadFormatVersion: '1.0',
    timeoutInMillis: route.timeoutInMillis,
    connectionType: 'INTERNET',
  };
}

function operation(config: ResolvedConfig, route: ResolvedRoute, operationId: string, portable: boolean): Json {
  const path = route.path ?? '/';
  // A greedy `{proxy+}` stays undeclared in the AWS form: OpenAPI names cannot hold the "+", and the
  // linters reject a parameter named `proxy` or `proxy+` for it; API Gateway's import needs neither.
  const parameters = pathVariables(path)
    .filter((v) => portable || !v.greedy)
    .map((v) => ({
      name: v.name,
      in: 'path',
      required: true,
      description: v.greedy ? 'The rest of the path, slashes included (greedy).' : undefined,
      schema: { type: 'string' },
    }));
  const responses: Json = { '200': { description: 'The integration’s answer' } };
  if (route.authorizer) Object.assign(responses, { '401': response(401), '403': response(403) });
  Object.assign(responses, { '429': response(429), '500': response(500), '503': response(503) });
  const op: Json = {
    operationId,
    summary: route.routeKey,
    description: describe(route, portable),
    tags: [tagOf(route)],
    ...(parameters.length ? { parameters: parameters.map((p) => JSON.parse(JSON.stringify(p))) } : {}),
    responses,
  };
  // An explicit empty list says "public" (linters flag an operation that says nothing).
  op.security = route.authorizer ? [{ [route.authorizer]: route.scopes }] : [];
  if (!portable) op['x-amazon-apigateway-integration'] = integration(config, route);
  return op;
}

function describe(route: ResolvedRoute, portable: boolean): string {
  const auth = route.authorizer
    ? ` Authorized by \`${route.authorizer}\`${route.scopes.length ? ` with any of the scopes ${route.scopes.join(', ')}` : ''}.`
    : ' Public.';
  if (portable) return `Route \`${route.routeKey}\`.${auth}`;
  const target = route.integration;
  const by =
    target.type === 'lambda'
      ? `Lambda function \`${target.functionName}\` (payload format ${target.payloadFormatVersion})`
      : `HTTP proxy to ${target.url}`;
  return `Route \`${route.routeKey}\`: ${by}.${auth}`;
}

function tagOf(route: ResolvedRoute): string {
  const first = route.path ? segmentsOf(route.path)[0] : undefined;
  return first?.kind === 'literal' ? first.text : 'default';
}

const plainPath = (path: string) => path.replace(/\{([^}]+)\+\}/, '{$1}');
const shape = (path: string) => plainPath(path).replace(/\{[^}]+\}/g, '{}');

/**
 * Greedy routes whose plain form (`/files/{proxy}`) would be the same path as another route's
 * (`/files/{name}`): OpenAPI forbids equivalent paths, so these stay out of the portable form.
 */
function greedyCollisions(routes: readonly ResolvedRoute[]): Map<ResolvedRoute, ResolvedRoute> {
  const collisions = new Map<ResolvedRoute, ResolvedRoute>();
  for (const route of routes) {
    if (!route.path || !pathVariables(route.path).some((v) => v.greedy)) continue;
    const other = routes.find(
      (r) => r !== route && r.path && !r.path.includes('+}') && shape(r.path) === shape(route.path!),
    );
    if (other) collisions.set(route, other);
  }
  return collisions;
}

function unmappedOf(
  config: ResolvedConfig,
  portable: boolean,
  collisions: Map<ResolvedRoute, ResolvedRoute>,
): Unmapped[] {
  const unmapped: Unmapped[] = throttleUnmapped(config, 'OpenAPI has no throttling construct', 'omitted');
  for (const name of Object.keys(config.stage.variables))
    unmapped.push({
      feature: `stage.variables.${name}`,
      reason: 'OpenAPI describes an API, not a stage',
      instead: 'omitted: set them on the stage after import (aws apigatewayv2 update-stage --stage-variables)',
    });
  if (!portable) {
    const functions = [
      ...new Set(config.routes.flatMap((r) => (r.integration.type === 'lambda' ? [r.integration.functionName] : []))),
    ];
    if (functions.length)
      unmapped.push({
        feature: 'functions',
        reason:
          'deployed Lambda function names are chosen at deploy time (gantry deploy lets CloudFormation name them)',
        instead: `integration URIs name arn:aws:lambda:…:function:<config name> (${functions.join(', ')}); replace them with the deployed ARNs before import`,
      });
    return unmapped;
  }
  unmapped.push({
    feature: 'routes.*.integration',
    reason: 'plain OpenAPI has no integrations',
    instead:
      'the interface only (paths, parameters, security); Lambda functions, HTTP targets, payload formats and timeouts omitted',
  });
  for (const route of config.routes) {
    if (route.path === undefined)
      unmapped.push({ feature: routeField(route), reason: 'OpenAPI has no catch-all path', instead: 'omitted' });
    else if (collisions.has(route))
      unmapped.push({
        feature: routeField(route),
        reason: `greedy path variables ({proxy+}) have no OpenAPI form, and its plain form is the same as ${collisions.get(route)!.routeKey}`,
        instead: 'omitted',
      });
    else if (pathVariables(route.path).some((v) => v.greedy))
      unmapped.push({
        feature: routeField(route),
        reason: 'greedy path variables ({proxy+}) have no OpenAPI form',
        instead: 'a single-segment parameter described as greedy',
      });
  }
  if (config.cors)
    unmapped.push({
      feature: 'cors',
      reason: 'OpenAPI has no CORS construct',
      instead: 'omitted (x-amazon-apigateway-cors in the AWS form)',
    });
  for (const [name, auth] of Object.entries(config.authorizers))
    if (auth.type === 'jwt')
      unmapped.push({
        feature: `authorizers.${name}.audience`,
        reason: 'an OpenAPI security scheme has no audience',
        instead: `omitted (${auth.audience.join(', ')}); the AWS form carries it in jwtConfiguration`,
      });
    else if (auth.type === 'lambda')
      unmapped.push({
        feature: `authorizers.${name}`,
        reason: 'a Lambda authorizer is code, not a declarative scheme',
        instead: 'an apiKey security scheme naming its first identity source; caching and payload format omitted',
      });
  return unmapped;
}

export function exportOpenApi(
  config: ResolvedConfig,
  options: OpenApiOptions = {},
): { document: Json; unmapped: Unmapped[] } {
  const portable = options.portable ?? false;
  const collisions = portable ? greedyCollisions(config.routes) : new Map<ResolvedRoute, ResolvedRoute>();
  const routes = config.routes.filter((r) => !(portable && (r.path === undefined || collisions.has(r))));
  const paths: Record<string, Json> = {};
  // Operation ids first, all at once, so a collision is settled the same way every run.
  const entries = routes.flatMap((route) =>
    route.method === 'ANY' && portable
      ? concreteMethods(route, config.routes).map((method) => ({ route, method: method as string }))
      : [{ route, method: route.method ?? 'ANY' }],
  );
  const ids = uniqueNames(entries.map((e) => operationName(e.method, e.route.path)));
  entries.forEach(({ route, method }, i) => {
    const path = route.path === undefined ? '/$default' : portable ? plainPath(route.path) : route.path;
    paths[path] ??= {};
    const item = paths[path];
    const key = method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase();
    item[key] = operation(config, route, ids[i], portable);
  });
  const usedSchemes = new Set(routes.flatMap((r) => (r.authorizer ? [r.authorizer] : [])));
  const securitySchemes = Object.fromEntries(
    Object.entries(config.authorizers)
      .filter(([name]) => usedSchemes.has(name))
      .map(([name, auth]) => [name, securityScheme(config, auth, portable)]),
  );
  const document: Json = {
    openapi: '3.0.1',
    info: {
      title: config.name,
      version: '1.0.0',
      ...(config.description ? { description: config.description } : {}),
    },
    servers: [{ url: serverUrl(config), description: `stage ${config.stage.name}` }],
    tags: [...new Set(routes.map(tagOf))].map((name) => ({
      name,
      description: name === 'default' ? 'Routes outside a named first segment' : `Routes under /${name}`,
    })),
    paths,
    components: {
      schemas: {
        GatewayError: {
          type: 'object',
          description: 'The body API Gateway answers with when it refuses a request itself',
          properties: { message: { type: 'string' } },
          required: ['message'],
        },
      },
      responses: Object.fromEntries(
        ANSWERS.map((status) => [
          responseName(status),
          {
            description: `${GATEWAY_MESSAGES[status]}, answered by the gateway itself`,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } },
          },
        ]),
      ),
      ...(Object.keys(securitySchemes).length ? { securitySchemes } : {}),
    },
  };
  if (!portable && config.cors) {
    const cors = config.cors;
    document['x-amazon-apigateway-cors'] = {
      allowOrigins: cors.allowOrigins,
      allowMethods: cors.allowMethods,
      allowHeaders: cors.allowHeaders,
      exposeHeaders: cors.exposeHeaders,
      allowCredentials: cors.allowCredentials,
      ...(cors.maxAge !== undefined ? { maxAge: cors.maxAge } : {}),
    };
  }
  return { document, unmapped: unmappedOf(config, portable, collisions) };
}

/** YAML unless the file name ends in `.json`. */
export function serializeOpenApi(document: Json, file = 'openapi.yaml'): string {
  // JSON.parse(JSON.stringify()) drops the undefined optionals so neither form prints them.
  const clean = JSON.parse(JSON.stringify(document));
  return file.endsWith('.json') ? `${JSON.stringify(clean, null, 2)}\n` : stringify(clean, { lineWidth: 0 });
}
