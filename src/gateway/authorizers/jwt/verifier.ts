/**
 * A JWT authorizer's check of one token, in the order AWS documents ("Control access to HTTP APIs
 * with JWT authorizers"): decode; algorithm (RSA-based only: RS256/384/512, PS256/384/512; `none`,
 * HMAC and EC tokens are refused) and signature with the issuer's key named by `kid`; then `iss`
 * (exact), `aud` (or `client_id` when there is no `aud`) against the audience, `exp`, `nbf`, `iat`.
 * Scopes are the route's business (authorize.ts).
 *
 * `verify` answers synchronously for a token it verified before (VerifiedTokenCache): the warm path
 * allocates nothing and performs no crypto.
 */
import { compactVerify, decodeProtectedHeader, type JWTHeaderParameters } from 'jose';
import { invalidSigningMethod, JWT_FAILURES } from '../answers.ts';
import { claimsAsStrings, tokenScopes } from './claims.ts';
import type { JwtKeySource } from './keys.ts';
import { VerifiedTokenCache } from './token-cache.ts';

export const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const RSA = new Set(RSA_ALGORITHMS);

export interface VerifiedToken {
  /** Claims as the integration sees them: values as strings. */
  claims: Record<string, string>;
  scopes: string[];
  /** Seconds since the epoch. */
  exp: number;
  nbf: number;
}

/** A verified token, or why it was refused (a description for www-authenticate). */
export type Verification = VerifiedToken | string;

export interface JwtVerifierOptions {
  issuer: string;
  audience: readonly string[];
  keys: JwtKeySource;
  /** Seconds since the epoch. */
  now?: () => number;
}

const decoder = new TextDecoder();

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The token inside an identity source value: AWS takes it bare or after `Bearer `. */
export function tokenOf(value: string): string {
  return value.length > 7 && value.charCodeAt(6) === 32 && value.slice(0, 6).toLowerCase() === 'bearer'
    ? value.slice(7).trim()
    : value.trim();
}

export class JwtVerifier {
  private readonly cache = new VerifiedTokenCache();
  private readonly audience: Set<string>;
  private readonly now: () => number;

  constructor(private readonly options: JwtVerifierOptions) {
    this.audience = new Set(options.audience);
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  verify(token: string): Verification | Promise<Verification> {
    const cached = this.cache.get(token, this.now());
    if (cached !== undefined) return cached;
    return this.verifyFully(token);
  }

  private async verifyFully(token: string): Promise<Verification> {
    if (token.split('.').length !== 3) return JWT_FAILURES.malformed;
    let header: JWTHeaderParameters;
    try {
      header = decodeProtectedHeader(token) as JWTHeaderParameters;
    } catch {
      return JWT_FAILURES.malformed;
    }
    if (typeof header.alg !== 'string' || !RSA.has(header.alg)) return invalidSigningMethod(header.alg);
    const key = await this.options.keys.key(header);
    if (typeof key === 'string') return key;
    let payload: unknown;
    try {
      const verified = await compactVerify(token, key, { algorithms: RSA_ALGORITHMS });
      payload = JSON.parse(decoder.decode(verified.payload));
    } catch (error) {
      return (error as { code?: string }).code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
        ? JWT_FAILURES.signature
        : JWT_FAILURES.malformed;
    }
    if (!isObject(payload)) return JWT_FAILURES.malformed;
    const failure = this.checkClaims(payload);
    if (failure !== undefined) return failure;
    const verified: VerifiedToken = {
      claims: claimsAsStrings(payload),
      scopes: tokenScopes(payload),
      exp: payload.exp as number,
      nbf: typeof payload.nbf === 'number' ? payload.nbf : Number.NEGATIVE_INFINITY,
    };
    this.cache.set(token, verified);
    return verified;
  }

  private checkClaims(payload: Record<string, unknown>): string | undefined {
    if (payload.iss !== this.options.issuer) return JWT_FAILURES.issuer;
    // AWS: `aud` when present (a string or a list), `client_id` only when there is no `aud`.
    const aud = payload.aud;
    if (aud !== undefined) {
      const values = Array.isArray(aud) ? aud : [aud];
      if (!values.some((v) => typeof v === 'string' && this.audience.has(v))) return JWT_FAILURES.audience;
    } else if (typeof payload.client_id !== 'string' || !this.audience.has(payload.client_id)) {
      return JWT_FAILURES.audience;
    }
    const now = this.now();
    // exp is required (AWS: "must be after the current time"); nbf and iat are checked when present.
    if (typeof payload.exp !== 'number' || !(now < payload.exp)) return JWT_FAILURES.expired;
    if (payload.nbf !== undefined && !(typeof payload.nbf === 'number' && payload.nbf <= now)) {
      return JWT_FAILURES.notYetValid;
    }
    if (payload.iat !== undefined && !(typeof payload.iat === 'number' && payload.iat <= now)) {
      return JWT_FAILURES.issuedInFuture;
    }
    return undefined;
  }
}
