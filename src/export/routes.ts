/**
 * Route facts every exporter needs, computed one way: path segments, stable operation names, the
 * methods an `ANY` route stands for, API Gateway's precedence order, and config paths for messages.
 */
import { HTTP_METHODS, type HttpMethod, type ResolvedRoute } from '../config/index.ts';

export type Segment = { kind: 'literal'; text: string } | { kind: 'variable' | 'greedy'; name: string };

const VARIABLE = /^\{([^}+]+)(\+?)\}$/;

export function segmentsOf(path: string): Segment[] {
  if (path === '/') return [];
  return path
    .slice(1)
    .split('/')
    .map((text) => {
      const match = VARIABLE.exec(text);
      if (!match) return { kind: 'literal', text };
      return { kind: match[2] ? 'greedy' : 'variable', name: match[1] };
    });
}

/** Path variable names in order, greedy last (`{proxy+}` → `proxy`). */
export function pathVariables(path: string): { name: string; greedy: boolean }[] {
  return segmentsOf(path).flatMap((s) => (s.kind === 'literal' ? [] : [{ name: s.name, greedy: s.kind === 'greedy' }]));
}

function words(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/**
 * `getOrdersById` for `GET /orders/{id}`, `anyLegacyByProxy` for `ANY /legacy/{proxy+}`, `defaultRoute`
 * for `$default`: stable across runs (derived from the route key only), letters and digits only.
 */
export function operationName(method: string, path: string | undefined): string {
  if (path === undefined) return 'defaultRoute';
  const parts = segmentsOf(path).map((s) => (s.kind === 'literal' ? words(s.text) : `By${words(s.name)}`));
  return `${method.toLowerCase()}${parts.join('') || 'Root'}`;
}

/** Names made unique by a numeric suffix, in order (two keys can differ only in punctuation). */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const count = seen.get(n) ?? 0;
    seen.set(n, count + 1);
    return count === 0 ? n : `${n}${count + 1}`;
  });
}

/**
 * The concrete methods an `ANY` route answers: every method not routed explicitly on the same path,
 * since API Gateway prefers `GET /x` over `ANY /x` for a GET.
 */
export function concreteMethods(route: ResolvedRoute, routes: readonly ResolvedRoute[]): HttpMethod[] {
  if (route.method === undefined) return [...HTTP_METHODS];
  if (route.method !== 'ANY') return [route.method];
  const explicit = new Set(routes.filter((r) => r.path === route.path && r.method !== 'ANY').map((r) => r.method));
  return HTTP_METHODS.filter((m) => !explicit.has(m));
}

const RANK = { literal: 0, variable: 1, greedy: 2 } as const;

/**
 * API Gateway's precedence, most specific first: segment by segment a literal beats a variable, a
 * variable beats a greedy variable; a longer path wins over its prefix; a method beats `ANY`;
 * `$default` last. Gateways that evaluate conditions in order (Apigee flows) need exactly this order.
 */
export function bySpecificity(a: ResolvedRoute, b: ResolvedRoute): number {
  if (a.path === undefined || b.path === undefined)
    return (a.path === undefined ? 1 : 0) - (b.path === undefined ? 1 : 0);
  const sa = segmentsOf(a.path);
  const sb = segmentsOf(b.path);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const diff = RANK[sa[i].kind] - RANK[sb[i].kind];
    if (diff !== 0) return diff;
  }
  const greedyA = sa.at(-1)?.kind === 'greedy';
  const greedyB = sb.at(-1)?.kind === 'greedy';
  if (greedyA !== greedyB) return greedyA ? 1 : -1;
  if (sa.length !== sb.length) return sb.length - sa.length;
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

/** `routes["GET /orders"]`: how messages name a route, as the config writes it. */
export function routeField(route: ResolvedRoute, field?: string): string {
  return `routes[${JSON.stringify(route.routeKey)}]${field ? `.${field}` : ''}`;
}

/** `${stageVariables.name}` replaced by the stage's value, as API Gateway does when it deploys a stage. */
export function withStageVariables(url: string, variables: Record<string, string>): string {
  return url.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => variables[name] ?? '');
}

/** Every authorizer name a route uses, in config order. */
export function usedAuthorizers(routes: readonly ResolvedRoute[]): string[] {
  return [...new Set(routes.flatMap((r) => (r.authorizer ? [r.authorizer] : [])))];
}
