/**
 * What a Lambda authorizer answered, read as API Gateway reads it. With simple responses (payload 2.0
 * and `enableSimpleResponses`): `{ isAuthorized: boolean, context? }`. Otherwise an IAM policy:
 * `{ principalId?, policyDocument: { Version, Statement }, context? }`. Anything else is a failed
 * authorizer (500).
 */
import { type PolicyStatement, parsePolicyDocument } from './iam-policy.ts';

export type AuthorizerAnswer =
  | { kind: 'simple'; isAuthorized: boolean; context: Record<string, unknown> }
  | {
      kind: 'policy';
      statements: PolicyStatement[];
      principalId: string | undefined;
      context: Record<string, unknown>;
    };

function contextOf(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return {};
  return typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `payload` is the function's JSON result text; undefined when it cannot be read as an answer. */
export function parseAuthorizerAnswer(payload: string, simpleResponses: boolean): AuthorizerAnswer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const answer = value as Record<string, unknown>;
  const context = contextOf(answer.context);
  if (context === undefined) return undefined;
  if (simpleResponses) {
    return typeof answer.isAuthorized === 'boolean'
      ? { kind: 'simple', isAuthorized: answer.isAuthorized, context }
      : undefined;
  }
  const statements = parsePolicyDocument(answer.policyDocument);
  if (statements === undefined) return undefined;
  const principalId = typeof answer.principalId === 'string' ? answer.principalId : undefined;
  return { kind: 'policy', statements, principalId, context };
}
