/**
 * Identity sources (`$request.header.Authorization`, `$request.querystring.token`, `$context.routeKey`,
 * `$stageVariables.tier`), compiled once into readers of one request.
 *
 * AWS: a header is matched case-insensitively; repeated query parameters are joined with `,` (as in
 * payload 2.0); a source that is absent or empty counts as missing (the request is refused with 401
 * before any authorizer runs).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseQuery } from '../request.ts';

/**
 * The `$context.*` variables an identity source can name under gantry dev. AWS takes any context
 * variable; one outside this list is never present locally, so gantry dev announces it at startup
 * (unenforced.ts) instead of refusing every request without saying why.
 */
export const CONTEXT_IDENTITY_VARIABLES = [
  'routeKey',
  'stage',
  'apiId',
  'accountId',
  'domainName',
  'domainPrefix',
  'requestId',
  'httpMethod',
  'identity.sourceIp',
  'identity.userAgent',
] as const;

export type ContextIdentityVariable = (typeof CONTEXT_IDENTITY_VARIABLES)[number];

/** What identity sources read of one request. */
export interface IdentityView {
  headers: IncomingHttpHeaders;
  rawQueryString: string;
  /** `$context.*` values. */
  context: Readonly<Record<ContextIdentityVariable, string>>;
  stageVariables: Readonly<Record<string, string>> | undefined;
}

export type IdentityReader = (view: IdentityView) => string | undefined;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Only a map's own string values count: `$context.constructor` is not a thing. */
function ownValue(map: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = Object.hasOwn(map, name) ? map[name] : undefined;
  return typeof value === 'string' ? nonEmpty(value) : undefined;
}

function queryValue(rawQueryString: string, name: string): string | undefined {
  if (rawQueryString === '') return undefined;
  let found: string | undefined;
  for (const [key, value] of parseQuery(rawQueryString)) {
    if (key === name) found = found === undefined ? value : `${found},${value}`;
  }
  return found;
}

const PREFIXES = ['$request.header', '$request.querystring', '$context', '$stageVariables'] as const;

/** A reader for one identity source expression; undefined for an expression it does not know. */
export function compileIdentitySource(expression: string): IdentityReader | undefined {
  const prefix = PREFIXES.find((p) => expression.startsWith(`${p}.`));
  if (prefix === undefined) return undefined;
  const name = expression.slice(prefix.length + 1);
  if (name === '') return undefined;
  switch (prefix) {
    case '$request.header': {
      const lower = name.toLowerCase();
      return (view) => {
        const value = view.headers[lower];
        return nonEmpty(Array.isArray(value) ? value.join(',') : value);
      };
    }
    case '$request.querystring':
      return (view) => nonEmpty(queryValue(view.rawQueryString, name));
    case '$context':
      return (view) => ownValue(view.context as Readonly<Record<string, string>>, name);
    case '$stageVariables':
      return (view) => (view.stageVariables === undefined ? undefined : ownValue(view.stageVariables, name));
  }
}
