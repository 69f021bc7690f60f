/**
 * The local issuer's signing key: one RSA key pair, generated the first time it is needed and kept in
 * `.gantry/issuer/signing-key.json` beside the config (`.gantry/` is git-ignored: never committed), so
 * tokens minted by `gantry token` keep working across `gantry dev` restarts. Created with `wx` and mode
 * 0600: two processes racing to create it end up with the one that won.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK } from 'jose';

export const SIGNING_ALGORITHM = 'RS256';

export interface IssuerKey {
  kid: string;
  /** For signing (jose's key object). */
  privateKey: CryptoKey;
  /** The public half as a JWK, as the JWKS serves it. */
  publicJwk: JWK;
}

/** Where the key of the config in `configDir` lives. */
export function signingKeyPath(configDir: string): string {
  return join(configDir, '.gantry', 'issuer', 'signing-key.json');
}

async function createKey(file: string): Promise<void> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, `${JSON.stringify({ ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' }, null, 2)}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function publicPart(jwk: JWK): JWK {
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: jwk.kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}

/** The local issuer's key for the config in `configDir`, created on first use. */
export async function loadIssuerKey(configDir: string): Promise<IssuerKey> {
  const file = signingKeyPath(configDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await createKey(file);
    text = await readFile(file, 'utf8');
  }
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
    if (jwk.kty !== 'RSA' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string')
      throw new Error('not an RSA key');
  } catch (error) {
    throw new Error(
      `${file} is not the local issuer's RSA signing key (${(error as Error).message}): delete it and a new one is generated (tokens signed with the old one stop working)`,
    );
  }
  const privateKey = (await importJWK(jwk, SIGNING_ALGORITHM)) as CryptoKey;
  return { kid: jwk.kid!, privateKey, publicJwk: publicPart(jwk) };
}

/** The JWKS the local issuer publishes. */
export function keySetOf(key: IssuerKey): JSONWebKeySet {
  return { keys: [key.publicJwk] };
}
