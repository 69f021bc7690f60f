/**
 * Where a JWT authorizer finds its issuer's public keys: the issuer's OIDC discovery document →
 * `jwks_uri` → the key set, fetched once and kept; or a key set given directly (the local issuer of
 * `gantry dev`, whose keys live under `.gantry/`).
 *
 * A token whose `kid` is not in the kept set triggers one refetch (the issuer may have rotated its
 * keys), at most once per REFETCH_INTERVAL_MS per issuer, so a flood of tokens with made-up `kid`s
 * cannot hammer it. An issuer that cannot be reached answers within FETCH_TIMEOUT_MS and is not asked
 * again for FAILURE_BACKOFF_MS: requests are refused meanwhile instead of waiting on it.
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWK, type JWTHeaderParameters } from 'jose';
import { JWT_FAILURES } from '../answers.ts';

export const FETCH_TIMEOUT_MS = 3_000;
export const REFETCH_INTERVAL_MS = 10_000;
export const FAILURE_BACKOFF_MS = 1_000;
/** A discovery document or key set larger than this is refused (real ones are a few KB). */
const MAX_DOCUMENT_BYTES = 512 * 1024;

type KeyGetter = ReturnType<typeof createLocalJWKSet>;
/** The CryptoKey jose verifies with, or why there is none (a JWT_FAILURES description). */
export type KeyLookup = CryptoKey | Uint8Array | string;

export interface JwtKeySource {
  key(header: JWTHeaderParameters): Promise<KeyLookup>;
}

class KeySet {
  readonly kids: Set<string>;
  readonly getKey: KeyGetter;
  constructor(jwks: JSONWebKeySet) {
    this.kids = new Set(jwks.keys.map((k) => k.kid).filter((kid): kid is string => typeof kid === 'string'));
    this.getKey = createLocalJWKSet(jwks);
  }

  async key(header: JWTHeaderParameters): Promise<KeyLookup> {
    try {
      return await this.getKey(header);
    } catch {
      // No key of that kid fits the algorithm (an RSA kid used with another alg, say).
      return JWT_FAILURES.unknownKey;
    }
  }
}

/** Keeps only well-formed JWKs: a malformed key set is refused as a whole by jose otherwise. */
export function parseKeySet(value: unknown): JSONWebKeySet {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
    throw new Error('the key set is not a JSON object with a "keys" array');
  }
  const keys = (value as { keys: unknown[] }).keys.filter(
    (k): k is JWK => typeof k === 'object' && k !== null && typeof (k as JWK).kty === 'string',
  );
  return { keys };
}

/** Keys given directly: the local issuer's. */
export function staticKeys(jwks: JSONWebKeySet): JwtKeySource {
  const set = new KeySet(jwks);
  return {
    key: (header) =>
      typeof header.kid === 'string' && set.kids.has(header.kid)
        ? set.key(header)
        : Promise.resolve(JWT_FAILURES.unknownKey),
  };
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    redirect: 'follow',
    headers: { accept: 'application/json' },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  if (text.length > MAX_DOCUMENT_BYTES) throw new Error(`${url} sent more than ${MAX_DOCUMENT_BYTES} bytes`);
  return JSON.parse(text);
}

/** The discovery URL of an issuer: `{issuer}/.well-known/openid-configuration`. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** Keys discovered from the issuer over HTTP(S). */
export class RemoteKeys implements JwtKeySource {
  private set: KeySet | undefined;
  private jwksUri: string | undefined;
  private inflight: Promise<void> | undefined;
  private lastRefetchAt = Number.NEGATIVE_INFINITY;
  private failedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly issuer: string,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async key(header: JWTHeaderParameters): Promise<KeyLookup> {
    const kid = header.kid;
    if (typeof kid !== 'string') return JWT_FAILURES.unknownKey;
    if (this.set === undefined) {
      if (this.now() - this.failedAt < FAILURE_BACKOFF_MS && this.inflight === undefined) {
        return JWT_FAILURES.keysUnavailable;
      }
      try {
        await this.load();
      } catch {
        return JWT_FAILURES.keysUnavailable;
      }
    }
    if (!this.set!.kids.has(kid)) {
      const now = this.now();
      if (this.inflight === undefined && now - this.lastRefetchAt < REFETCH_INTERVAL_MS) return JWT_FAILURES.unknownKey;
      if (this.inflight === undefined) this.lastRefetchAt = now;
      try {
        await this.load();
      } catch {
        // The kept keys still serve; the refused token names its unknown key.
      }
      if (!this.set!.kids.has(kid)) return JWT_FAILURES.unknownKey;
    }
    return this.set!.key(header);
  }

  /** One fetch at a time: concurrent callers share it. */
  private load(): Promise<void> {
    this.inflight ??= this.fetchKeys().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    try {
      if (this.jwksUri === undefined) {
        const discovery = (await fetchJson(discoveryUrl(this.issuer))) as { jwks_uri?: unknown } | null;
        const uri = discovery?.jwks_uri;
        if (typeof uri !== 'string' || !URL.canParse(uri)) {
          throw new Error(`${discoveryUrl(this.issuer)} has no jwks_uri`);
        }
        this.jwksUri = uri;
      }
      this.set = new KeySet(parseKeySet(await fetchJson(this.jwksUri)));
    } catch (error) {
      this.failedAt = this.now();
      throw error;
    }
  }
}
