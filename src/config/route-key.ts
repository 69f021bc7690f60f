import type { HttpMethod } from './types.ts';

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export type ParsedRouteKey = { kind: 'default' } | { kind: 'route'; method: HttpMethod | 'ANY'; path: string };

const SEGMENT_VARIABLE = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

/**
 * Parses an API Gateway route key (`$default`, `GET /items/{id}`, `ANY /files/{proxy+}`).
 * Returns a message naming what is wrong when the key is not one API Gateway would accept.
 */
export function parseRouteKey(key: string): ParsedRouteKey | { error: string } {
  if (key === '$default') return { kind: 'default' };
  const space = key.indexOf(' ');
  if (space < 0) return { error: 'expected "$default" or "METHOD /path" (e.g. "GET /orders/{id}")' };
  const method = key.slice(0, space);
  const path = key.slice(space + 1);
  if (method !== 'ANY' && !HTTP_METHODS.includes(method as HttpMethod)) {
    return { error: `unknown method "${method}" (expected ANY, ${HTTP_METHODS.join(', ')})` };
  }
  if (!path.startsWith('/')) return { error: `path "${path}" must start with "/"` };
  if (path.length > 1 && path.endsWith('/')) return { error: `path "${path}" must not end with "/"` };
  const segments = path.slice(1).split('/');
  const seen = new Set<string>();
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === '' && path !== '/') return { error: `path "${path}" has an empty segment` };
    if (segment.includes('{') || segment.includes('}')) {
      const match = SEGMENT_VARIABLE.exec(segment);
      if (!match) {
        return { error: `segment "${segment}" must be a whole path variable like {name} or {name+}` };
      }
      if (match[2] === '+' && i !== segments.length - 1) {
        return { error: `greedy variable "${segment}" must be the last segment` };
      }
      if (seen.has(match[1])) return { error: `path variable "${match[1]}" appears twice` };
      seen.add(match[1]);
    }
  }
  return { kind: 'route', method: method as HttpMethod | 'ANY', path };
}
