/**
 * A verified token's claims as API Gateway hands them to an integration: every value a string
 * (`"exp": "1787996002"`), and the scopes it carries.
 *
 * Strings pass as they are, numbers and booleans as their text. Lists and objects are rendered the way
 * users report seeing them from AWS's (Go) authorizer: `"[admin users]"` and `"map[a:1 b:2]"` (keys
 * sorted), which is why `cognito:groups` arrives as `"[admin users]"` (unverified beyond those reports).
 */

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return '';
  if (Array.isArray(value)) return `[${value.map(render).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${k}:${render((value as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return '';
}

export function claimsAsStrings(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(payload)) {
    Object.defineProperty(out, key, { value: render(payload[key]), enumerable: true, writable: true });
  }
  return out;
}

/** The token's scopes: `scope` (space-separated, OAuth 2.0) or else `scp` (a list, or a space-separated string). */
export function tokenScopes(payload: Record<string, unknown>): string[] {
  const scope = payload.scope;
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s !== '');
  const scp = payload.scp;
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === 'string');
  if (typeof scp === 'string') return scp.split(' ').filter((s) => s !== '');
  return [];
}
