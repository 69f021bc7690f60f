/**
 * Route selection as HTTP APIs do it, compiled once from the config:
 * a full literal match, then the most specific path with `{var}` segments, then greedy `{proxy+}`
 * paths, then `$default`. For equal paths a route with the request's method beats `ANY`.
 * Matching works on the URL-decoded path (API Gateway decodes before routing) and is case-sensitive.
 */
import type { ResolvedRoute } from '../config/resolved.ts';

export interface RouteMatch {
  route: ResolvedRoute;
  /** Decoded values of `{name}` / `{name+}` (without the `+`); undefined when the route has none. */
  pathParameters: Record<string, string> | undefined;
}

export interface Router {
  /** `path` is the URL-decoded path inside the stage (no stage prefix, no query). */
  match(method: string, path: string): RouteMatch | undefined;
}

const LITERAL = 0;
const VARIABLE = 1;
const GREEDY = 2;

interface Segment {
  kind: typeof LITERAL | typeof VARIABLE | typeof GREEDY;
  /** The literal text, or the variable's name. */
  value: string;
}

interface PatternRoute {
  route: ResolvedRoute;
  method: string;
  segments: Segment[];
  greedy: boolean;
  literalCount: number;
}

interface LiteralPath {
  byMethod: Map<string, ResolvedRoute>;
  any?: ResolvedRoute;
}

function parseSegments(path: string): Segment[] {
  if (path === '/') return [{ kind: LITERAL, value: '' }];
  return path
    .slice(1)
    .split('/')
    .map((part): Segment => {
      if (part.startsWith('{') && part.endsWith('}')) {
        const name = part.slice(1, -1);
        return name.endsWith('+') ? { kind: GREEDY, value: name.slice(0, -1) } : { kind: VARIABLE, value: name };
      }
      return { kind: LITERAL, value: part };
    });
}

/** Negative when `a` is more specific than `b`. */
function compareSpecificity(a: PatternRoute, b: PatternRoute): number {
  if (a.literalCount !== b.literalCount) return b.literalCount - a.literalCount;
  const shared = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < shared; i++) {
    const diff = a.segments[i].kind - b.segments[i].kind;
    if (diff !== 0) return diff;
  }
  if (a.segments.length !== b.segments.length) return b.segments.length - a.segments.length;
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

function methodMatches(routeMethod: string, method: string): boolean {
  return routeMethod === method || routeMethod === 'ANY';
}

function matchPattern(pattern: PatternRoute, parts: string[]): Record<string, string> | undefined {
  const segments = pattern.segments;
  const fixed = pattern.greedy ? segments.length - 1 : segments.length;
  if (pattern.greedy ? parts.length <= fixed : parts.length !== fixed) return undefined;
  let params: Record<string, string> | undefined;
  for (let i = 0; i < fixed; i++) {
    const segment = segments[i];
    const part = parts[i];
    if (segment.kind === LITERAL) {
      if (segment.value !== part) return undefined;
    } else {
      if (part === '') return undefined;
      if (params === undefined) params = {};
      params[segment.value] = part;
    }
  }
  if (pattern.greedy) {
    const rest = fixed === parts.length - 1 ? parts[fixed] : parts.slice(fixed).join('/');
    // A greedy variable needs at least one character: `/{proxy+}` does not catch `/` (unverified for
    // HTTP APIs; REST APIs behave so, and the opposite error would hide a 404 until deployment).
    if (rest === '') return undefined;
    if (params === undefined) params = {};
    params[segments[fixed].value] = rest;
  }
  return params;
}

/** Compiles the route table. Call once per config; `match` allocates only the parameters it returns. */
export function compileRouter(routes: readonly ResolvedRoute[]): Router {
  const literals = new Map<string, LiteralPath>();
  const exact: PatternRoute[] = [];
  const greedy: PatternRoute[] = [];
  let defaultRoute: ResolvedRoute | undefined;

  for (const route of routes) {
    if (route.path === undefined || route.method === undefined) {
      defaultRoute = route;
      continue;
    }
    const segments = parseSegments(route.path);
    const literalCount = segments.filter((s) => s.kind === LITERAL).length;
    if (literalCount === segments.length) {
      let entry = literals.get(route.path);
      if (!entry) {
        entry = { byMethod: new Map() };
        literals.set(route.path, entry);
      }
      if (route.method === 'ANY') entry.any = route;
      else entry.byMethod.set(route.method, route);
      continue;
    }
    const pattern: PatternRoute = {
      route,
      method: route.method,
      segments,
      greedy: segments[segments.length - 1].kind === GREEDY,
      literalCount,
    };
    (pattern.greedy ? greedy : exact).push(pattern);
  }
  exact.sort(compareSpecificity);
  greedy.sort(compareSpecificity);
  const patterns = [...exact, ...greedy];

  return {
    match(method, path) {
      const literal = literals.get(path);
      if (literal) {
        const route = literal.byMethod.get(method) ?? literal.any;
        if (route) return { route, pathParameters: undefined };
      }
      if (patterns.length > 0) {
        const parts = path.length > 1 ? path.slice(1).split('/') : [''];
        for (const pattern of patterns) {
          if (!methodMatches(pattern.method, method)) continue;
          // Every pattern has a variable, so a match always carries parameters.
          const pathParameters = matchPattern(pattern, parts);
          if (pathParameters !== undefined) return { route: pattern.route, pathParameters };
        }
      }
      return defaultRoute ? { route: defaultRoute, pathParameters: undefined } : undefined;
    },
  };
}
