/**
 * Access tokens from the local issuer, for a JWT authorizer it stands in for (`gantry token`).
 * Cognito-backed authorizers get what a Cognito user pool's access token carries (`token_use`,
 * `client_id` instead of `aud`, `scope`, `username`, `auth_time`, `jti`); others a plain OAuth 2.0
 * access token (`aud`, `scope`). `iss` is the authorizer's `issuer`: a fixed value of the config,
 * not of any port, so a token minted before `gantry dev` starts (or after it restarts) still verifies.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { type JwtAuthorizerConfig, type ResolvedConfig, usesLocalIssuer } from '../config/index.ts';
import { type IssuerKey, SIGNING_ALGORITHM } from './keys.ts';

/** A token cannot be minted: the message says why and what to change. */
export class MintError extends Error {
  override name = 'MintError';
}

export interface MintOptions {
  /** The authorizer's name; optional when exactly one JWT authorizer uses the local issuer. */
  authorizer?: string;
  scopes?: string[];
  /** @default 'local-user' */
  subject?: string;
  /** Extra claims; they override the defaults. */
  claims?: Record<string, unknown>;
  /** @default 3600 */
  expiresInSeconds?: number;
  /** Seconds since the epoch. @default now */
  now?: number;
}

export const DEFAULT_SUBJECT = 'local-user';

/** The authorizer a token is minted for, or a MintError naming the choices. */
export function localAuthorizer(config: ResolvedConfig, name: string | undefined): [string, JwtAuthorizerConfig] {
  const all = Object.entries(config.authorizers);
  const local = all.filter(([, a]) => usesLocalIssuer(a)) as [string, JwtAuthorizerConfig][];
  if (name === undefined) {
    if (local.length === 1) return local[0];
    if (local.length === 0) {
      throw new MintError(
        all.length === 0
          ? `${config.file} defines no authorizers: there is nothing to mint a token for`
          : `no JWT authorizer of ${config.file} uses the local issuer (${all.map(([n, a]) => `${n}: ${a.type}`).join(', ')}): set localIssuer: true (or cognitoUserPool: true) on the JWT authorizer gantry dev should stand in for`,
      );
    }
    throw new MintError(
      `several authorizers use the local issuer (${local.map(([n]) => n).join(', ')}): pass --authorizer NAME`,
    );
  }
  const authorizer = config.authorizers[name];
  if (authorizer === undefined || !Object.hasOwn(config.authorizers, name)) {
    throw new MintError(
      `no authorizer "${name}" in ${config.file} (known: ${all.map(([n]) => n).join(', ') || 'none'})`,
    );
  }
  if (authorizer.type !== 'jwt') {
    throw new MintError(
      `authorizer "${name}" is a Lambda authorizer: its function decides what it accepts, so there is no token to mint; send the identity source it reads (${(authorizer.identitySource ?? ['$request.header.Authorization']).join(', ')})`,
    );
  }
  if (!usesLocalIssuer(authorizer)) {
    throw new MintError(
      `authorizer "${name}" trusts ${authorizer.issuer}, whose tokens gantry dev verifies with that issuer's keys: get a token there, or set localIssuer: true on it to have gantry dev stand in for it`,
    );
  }
  return [name, authorizer];
}

/** A signed access token the gateway accepts for that authorizer. */
export async function mintToken(config: ResolvedConfig, key: IssuerKey, options: MintOptions = {}): Promise<string> {
  const [, authorizer] = localAuthorizer(config, options.authorizer);
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const expiresIn = options.expiresInSeconds ?? 3600;
  const subject = options.subject ?? DEFAULT_SUBJECT;
  const scopes = options.scopes ?? [];
  const clientId = authorizer.audience[0];
  const claims: Record<string, unknown> = authorizer.cognitoUserPool
    ? {
        sub: subject,
        iss: authorizer.issuer,
        client_id: clientId,
        origin_jti: randomUUID(),
        token_use: 'access',
        ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
        auth_time: now,
        exp: now + expiresIn,
        iat: now,
        jti: randomUUID(),
        username: subject,
      }
    : {
        sub: subject,
        iss: authorizer.issuer,
        aud: clientId,
        ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
        exp: now + expiresIn,
        iat: now,
        jti: randomUUID(),
      };
  Object.assign(claims, options.claims);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}
