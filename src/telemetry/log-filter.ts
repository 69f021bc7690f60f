/**
 * A subset of CloudWatch Logs filter patterns, so `gantry logs --filter` reads like `aws logs tail
 * --filter-pattern`. Terms are case-sensitive. Supported:
 *   `ERROR timeout`        every term must occur
 *   `"Task timed out"`     a quoted phrase must occur as written
 *   `?ERROR ?WARN`         at least one `?` term must occur
 *   `ERROR -Exiting`       a `-` term must not occur
 *   `{ $.level = "ERROR" }` JSON messages (Powertools): `=`, `!=`, and `<`, `>`, `<=`, `>=` for numbers;
 *                          a string value may end in `*` (prefix match)
 */

export type LogMatcher = (message: string, json: () => unknown) => boolean;

export class FilterPatternError extends Error {
  override name = 'FilterPatternError';
}

export function compileFilter(pattern: string | undefined): LogMatcher {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return compileJsonFilter(text);
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  const tokens = text.match(/[?-]?"[^"]*"|\S+/g) ?? [];
  for (const token of tokens) {
    const prefix = token[0] === '?' || token[0] === '-' ? token[0] : '';
    let term = prefix ? token.slice(1) : token;
    if (term.startsWith('"') && term.endsWith('"') && term.length >= 2) term = term.slice(1, -1);
    if (term === '') continue;
    if (prefix === '?') any.push(term);
    else if (prefix === '-') none.push(term);
    else all.push(term);
  }
  return (message) =>
    all.every((t) => message.includes(t)) &&
    !none.some((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t)));
}

const JSON_FILTER =
  /^\{\s*\$((?:\.[A-Za-z_][\w-]*|\[\d+\])+)\s*(=|!=|<=|>=|<|>)\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)\s*\}$/;

function compileJsonFilter(text: string): LogMatcher {
  const match = JSON_FILTER.exec(text);
  if (!match) {
    throw new FilterPatternError(
      `--filter: "${text}" is not a supported JSON pattern; expected e.g. { $.level = "ERROR" } or { $.duration > 100 }`,
    );
  }
  const [, path, operator, literal] = match;
  const keys = [...path.matchAll(/\.([A-Za-z_][\w-]*)|\[(\d+)\]/g)].map((m) => m[1] ?? Number(m[2]));
  const expected: unknown = JSON.parse(literal);
  const prefix = typeof expected === 'string' && expected.endsWith('*') ? expected.slice(0, -1) : undefined;
  return (_message, json) => {
    let value: unknown = json();
    for (const key of keys) {
      if (value === null || typeof value !== 'object') return false;
      value = (value as Record<string | number, unknown>)[key];
    }
    if (value === undefined) return false;
    switch (operator) {
      case '=':
        return prefix !== undefined ? typeof value === 'string' && value.startsWith(prefix) : value === expected;
      case '!=':
        return prefix !== undefined ? !(typeof value === 'string' && value.startsWith(prefix)) : value !== expected;
      default: {
        if (typeof value !== 'number' || typeof expected !== 'number') return false;
        if (operator === '<') return value < expected;
        if (operator === '>') return value > expected;
        if (operator === '<=') return value <= expected;
        return value >= expected;
      }
    }
  };
}

/**
 * The JSON object carried by a log message, if any: a bare JSON line (Powertools Logger writes these
 * through its own console, bypassing Lambda's prefix) or the text part of `{time}\t{requestId}\t{LEVEL}\t{json}`.
 */
export function structuredPayload(message: string): Record<string, unknown> | undefined {
  let text = message.trim();
  if (!text.startsWith('{')) {
    const parts = text.split('\t');
    if (parts.length < 4) return undefined;
    text = parts.slice(3).join('\t').trim();
    if (!text.startsWith('{')) return undefined;
  }
  if (!text.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
