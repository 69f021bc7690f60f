/**
 * A route behind a JWT authorizer: the token from the identity source, verified (verifier.ts), then the
 * route's scopes. 401 with AWS's www-authenticate for a missing or invalid token, 403 when none of the
 * route's scopes is granted; the integration never runs on either.
 */
import { errorResponse } from '../../response.ts';
import { AUTHORIZER_ERRORS, JWT_FAILURES, jwtUnauthorized } from '../answers.ts';
import type { IdentityReader } from '../identity-source.ts';
import type { Authorization, AuthorizeInput, AuthorizerData, RouteAuthorizer } from '../types.ts';
import { type JwtVerifier, tokenOf, type Verification, type VerifiedToken } from './verifier.ts';

/** The authorizer data of a verified token, built once per token and route kind (see grantedTo). */
const withoutScopes = new WeakMap<VerifiedToken, AuthorizerData>();

export function jwtRouteAuthorizer(verifier: JwtVerifier, identity: IdentityReader, scopes: string[]): RouteAuthorizer {
  const required = new Set(scopes);
  const decide = (verification: Verification): Authorization => {
    if (typeof verification === 'string') return jwtUnauthorized(verification);
    if (required.size === 0) {
      let data = withoutScopes.get(verification);
      if (data === undefined) {
        data = { jwt: { claims: verification.claims, scopes: null } };
        withoutScopes.set(verification, data);
      }
      return data;
    }
    // AWS: the token must carry at least one of the route's scopes.
    if (!verification.scopes.some((s) => required.has(s))) return errorResponse(AUTHORIZER_ERRORS.forbidden);
    return { jwt: { claims: verification.claims, scopes: verification.scopes } };
  };
  return {
    authorize(input: AuthorizeInput) {
      const value = identity(input.view);
      if (value === undefined) return jwtUnauthorized(JWT_FAILURES.missing);
      const verification = verifier.verify(tokenOf(value));
      return verification instanceof Promise
        ? verification.then(decide, () => jwtUnauthorized(JWT_FAILURES.malformed))
        : decide(verification);
    },
  };
}
