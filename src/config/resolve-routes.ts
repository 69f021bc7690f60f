/** `routes`: keys parsed as API Gateway parses them, integrations and authorizers checked by name. */
import { ROUTE_DEFAULTS } from '../aws/defaults.ts';
import { listKnown } from './errors.ts';
import type { ResolvedFunction, ResolvedRoute } from './resolved.ts';
import { parseRouteKey } from './route-key.ts';
import type { ApiConfig, RouteConfig } from './types.ts';

export function resolveRoutes(
  input: ApiConfig['routes'],
  functions: Record<string, ResolvedFunction>,
  authorizerNames: string[],
  problems: string[],
): ResolvedRoute[] {
  const functionNames = Object.keys(functions);
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
