/**
 * `routes`: keys parsed as API Gateway parses them, integrations and authorizers checked by name, and
 * authorization scopes only where API Gateway takes them: with a JWT authorizer. Elsewhere it refuses
 * the route at deploy ("Authorization Scopes are only valid for COGNITO_USER_POOLS and JWT
 * authorization types"), so gantry refuses it at load rather than running something AWS will not.
 */
import { ROUTE_DEFAULTS } from '../aws/defaults.ts';
import { listKnown } from './errors.ts';
import type { ResolvedFunction, ResolvedRoute } from './resolved.ts';
import { parseRouteKey } from './route-key.ts';
import type { ApiConfig, AuthorizerConfig, RouteConfig } from './types.ts';

export function resolveRoutes(
  input: ApiConfig['routes'],
  functions: Record<string, ResolvedFunction>,
  authorizers: Record<string, AuthorizerConfig>,
  problems: string[],
): ResolvedRoute[] {
  const functionNames = Object.keys(functions);
  const authorizerNames = Object.keys(authorizers);
  const routes: ResolvedRoute[] = [];
  const seenRoutes = new Set<string>();
  for (const [routeKey, value] of Object.entries(input) as [string, RouteConfig][]) {
    const where = `routes[${JSON.stringify(routeKey)}]`;
    const key = parseRouteKey(routeKey);
    if ('error' in key) {
      problems.push(`${where}: invalid route key: ${key.error}`);
      continue;
    }
    const normalized = key.kind === 'default' ? '$default' : `${key.method} ${key.path}`;
    if (seenRoutes.has(normalized)) problems.push(`${where}: duplicate route key`);
    seenRoutes.add(normalized);
    const route = typeof value === 'string' ? { function: value } : value;
    if ('function' in route && !functions[route.function]) {
      problems.push(
        `${where}${typeof value === 'string' ? '' : '.function'}: unknown function "${route.function}" (known: ${listKnown(functionNames)})`,
      );
    }
    if (route.authorizer !== undefined && !authorizerNames.includes(route.authorizer)) {
      problems.push(
        `${where}.authorizer: unknown authorizer "${route.authorizer}" (known: ${listKnown(authorizerNames)})`,
      );
    } else if (route.scopes !== undefined && route.scopes.length > 0) {
      const problem = scopesProblem(route.authorizer, authorizers);
      if (problem) problems.push(`${where}.scopes: ${JSON.stringify(route.scopes)} ${problem}`);
    }
    routes.push({
      routeKey: normalized,
      method: key.kind === 'route' ? key.method : undefined,
      path: key.kind === 'route' ? key.path : undefined,
      integration:
        'function' in route
          ? {
              type: 'lambda',
              functionName: route.function,
              payloadFormatVersion: route.payloadFormatVersion ?? ROUTE_DEFAULTS.payloadFormatVersion,
            }
          : { type: 'http', url: route.http, method: route.method },
      authorizer: route.authorizer,
      scopes: route.scopes ?? [],
      throttle: route.throttle,
      timeoutInMillis: route.timeoutInMillis ?? ROUTE_DEFAULTS.timeoutInMillis,
    });
  }
  if (Object.keys(input).length === 0) problems.push('routes: expected at least one route');
  return routes;
}

/** Why a route's scopes cannot be deployed, or undefined when its authorizer is a JWT one. */
function scopesProblem(name: string | undefined, authorizers: Record<string, AuthorizerConfig>): string | undefined {
  if (name === undefined) {
    return 'on a route without an authorizer: authorization scopes need a JWT authorizer (API Gateway refuses them otherwise); add authorizer: NAME of a JWT authorizer, or remove scopes';
  }
  if (authorizers[name].type === 'lambda') {
    return `with the Lambda authorizer "${name}": API Gateway takes authorization scopes only with JWT authorizers (a Lambda authorizer's function decides what a caller may do); remove scopes, or check them in the authorizer's function`;
  }
  return undefined;
}
