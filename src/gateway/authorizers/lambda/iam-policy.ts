/**
 * An IAM policy a Lambda authorizer returns, evaluated as IAM evaluates it for `execute-api:Invoke` on
 * the route's ARN: an explicit Deny wins, else an Allow grants, else the request is denied. `Action`
 * and `Resource` take a string or a list; `*` matches any run of characters (`/` included) and `?` one
 * character; actions compare case-insensitively, resources case-sensitively (IAM's rules).
 */

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
}

/** Glob matching without regular expressions (no backtracking blow-up on hostile patterns). */
export function wildcardMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 63 /* ? */ || c === value.charCodeAt(v))) {
      p++;
      v++;
    } else if (p < pattern.length && c === 42 /* * */) {
      star = p++;
      resume = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

function listOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** The statements of a policy document, or undefined when it is not one API Gateway could read. */
export function parsePolicyDocument(document: unknown): PolicyStatement[] | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const raw = (document as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? undefined : [raw];
  if (list === undefined) return undefined;
  const statements: PolicyStatement[] = [];
  for (const statement of list) {
    if (typeof statement !== 'object' || statement === null) return undefined;
    const { Effect, Action, Resource } = statement as Record<string, unknown>;
    const actions = listOf(Action);
    const resources = listOf(Resource);
    if ((Effect !== 'Allow' && Effect !== 'Deny') || actions === undefined || resources === undefined) return undefined;
    statements.push({ effect: Effect, actions: actions.map((a) => a.toLowerCase()), resources });
  }
  return statements;
}

const INVOKE = 'execute-api:invoke';

export function policyAllows(statements: readonly PolicyStatement[], routeArn: string): boolean {
  let allowed = false;
  for (const statement of statements) {
    if (!statement.actions.some((a) => wildcardMatch(a, INVOKE))) continue;
    if (!statement.resources.some((r) => wildcardMatch(r, routeArn))) continue;
    if (statement.effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
