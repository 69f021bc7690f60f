/**
 * An OIDC issuer of the test's own on loopback: discovery document, JWKS (rotatable, fetches counted,
 * can be made to fail or hang), and signing helpers for good and bad tokens.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose';

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function rsaKey(kid: string, alg = 'RS256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { modulusLength: 2048 });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export class TestIssuer {
  readonly server: Server;
  url = '';
  /** Keys published in the JWKS. */
  published: TestKey[] = [];
  jwksFetches = 0;
  discoveryFetches = 0;
  /** Every request, answered or not. */
  requests = 0;
  mode: 'ok' | 'error' | 'hang' = 'ok';

  private constructor() {
    this.server = createServer((req, res) => {
      this.requests++;
      if (this.mode === 'hang') return; // never answers
      if (this.mode === 'error') {
        res.writeHead(500).end('down');
        return;
      }
      if (req.url === '/.well-known/openid-configuration') {
        this.discoveryFetches++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: this.url, jwks_uri: `${this.url}/keys` }));
      } else if (req.url === '/keys') {
        this.jwksFetches++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: this.published.map((k) => k.publicJwk) }));
      } else res.writeHead(404).end();
    });
  }

  static async start(keys: TestKey[]): Promise<TestIssuer> {
    const issuer = new TestIssuer();
    issuer.published = keys;
    issuer.server.listen(0, '127.0.0.1');
    await once(issuer.server, 'listening');
    issuer.url = `http://127.0.0.1:${(issuer.server.address() as AddressInfo).port}`;
    return issuer;
  }

  /** A token signed by `key` with the usual claims of this issuer, overridden by `claims`. */
  sign(key: TestKey, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: this.url, aud: 'orders-client', sub: 'ada', iat: now, exp: now + 600, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header })
      .sign(key.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** `alg: none`, HS256 and ES256 tokens with otherwise valid claims. */
export async function foreignTokens(issuer: string, kid: string): Promise<Record<'none' | 'HS256' | 'ES256', string>> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, aud: 'orders-client', sub: 'ada', iat: now, exp: now + 600 };
  const ec = await generateKeyPair('ES256');
  return {
    none: new UnsecuredJWT(claims).encode(),
    HS256: await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(new Uint8Array(32).fill(7)),
    ES256: await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).sign(ec.privateKey),
  };
}
