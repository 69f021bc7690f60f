/**
 * API Gateway's answers when authorization fails (facts and provenance in src/aws/gateway-answers.ts).
 *
 * A JWT authorizer's 401 carries `www-authenticate: Bearer scope="" error="invalid_token"
 * error_description="…"` and no content-type. AWS documents one description, for the audience
 * ("the token does not have a valid audience", in "Troubleshooting issues with HTTP API JWT
 * authorizers"); the others are unverified wordings in the same style, kept here so a capture can
 * correct them in one place.
 */
import { GATEWAY_ANSWERS } from '../../aws/gateway-answers.ts';
import { answer, type GatewayError } from '../errors.ts';
import type { GatewayResponse } from '../response.ts';

export const AUTHORIZER_ERRORS = {
  unauthorized: answer(GATEWAY_ANSWERS.unauthorized),
  forbidden: answer(GATEWAY_ANSWERS.forbidden),
  /** Documented: the Lambda authorizer failed (threw, timed out, answered something unreadable). */
  authorizerFailure: answer(GATEWAY_ANSWERS.internalError),
} as const satisfies Record<string, GatewayError>;

/** Why a JWT was refused: the `error_description` AWS sends back. */
export const JWT_FAILURES = {
  /** Documented. */
  audience: 'the token does not have a valid audience',
  /** Unverified wordings below. */
  missing: 'the token is missing',
  malformed: 'the token is malformed',
  issuer: 'the token does not have a valid issuer',
  expired: 'the token has expired',
  notYetValid: 'the token is not valid yet',
  issuedInFuture: 'the token was issued in the future',
  signature: 'the token signature is invalid',
  unknownKey: 'the signing key of the token was not found in the issuer keys',
  keysUnavailable: "the issuer's signing keys could not be retrieved",
} as const;

/** `signing method RS… is invalid` for anything but the RSA algorithms AWS accepts (unverified wording). */
export function invalidSigningMethod(alg: unknown): string {
  return `signing method ${typeof alg === 'string' ? alg.replace(/[^\x20-\x7e]|"/g, '?').slice(0, 32) : 'none'} is invalid`;
}

/** The 401 for one refusal; the body buffer is shared, the header list is the exchange's to append to. */
export function jwtUnauthorized(description: string): GatewayResponse {
  return {
    statusCode: 401,
    headers: ['www-authenticate', `Bearer scope="" error="invalid_token" error_description="${description}"`],
    body: AUTHORIZER_ERRORS.unauthorized.body,
    errorMessage: AUTHORIZER_ERRORS.unauthorized.message,
  };
}
