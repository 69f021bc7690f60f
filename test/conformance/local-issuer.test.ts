/**
 * The local issuer end to end: `gantry token` (the real CLI, no gantry dev running) mints a token,
 * a `gantry dev` started afterwards accepts it over HTTP; Cognito-shaped claims for a cognitoUserPool
 * authorizer; the discovery documents and JWKS gantry dev serves verify those tokens with jose; and random Authorization values at a protected route never get a 2xx or a 5xx.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { createRemoteJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { AUTHORIZERS_CONFIG, call, startConformance } from './harness.ts';

const run = promisify(execFile);
const GANTRY = fileURLToPath(new URL('../../bin/gantry.mjs', import.meta.url));

async function gantryToken(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [GANTRY, 'token', '--config', AUTHORIZERS_CONFIG, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('local issuer and gantry token', () => {
  let localToken: string;
  let poolToken: string;
  let dev: DevServer;

  before(async () => {
    // Minted before any gantry dev runs.
    const [local, pool] = await Promise.all([
      gantryToken('--authorizer', 'local', '--claim', 'tenant=acme', '--claim', 'level=3'),
      gantryToken('--authorizer', 'pool', '--scope', 'orders/write', '--sub', 'grace'),
    ]);
    assert.equal(local.code, 0, local.stderr);
    assert.equal(pool.code, 0, pool.stderr);
    localToken = local.stdout.trim();
    poolToken = pool.stdout.trim();
    dev = await startConformance(undefined, AUTHORIZERS_CONFIG);
  });
  after(() => dev?.close());

  it('mints a token gantry dev accepts, with iss the configured issuer', async () => {
    const answer = await call(`${dev.url}/local`, { headers: { authorization: `Bearer ${localToken}` } });
    assert.equal(answer.status, 200, answer.text);
    const claims = answer.json<{
      event: { requestContext: { authorizer: { jwt: { claims: Record<string, string> } } } };
    }>().event.requestContext.authorizer.jwt.claims;
    assert.equal(claims.iss, 'https://auth.example.com/local');
    assert.equal(claims.aud, 'local-client');
    assert.equal(claims.sub, 'local-user');
    assert.equal(claims.tenant, 'acme');
    assert.equal(claims.level, '3');
  });

  it('mints Cognito-shaped access tokens for a cognitoUserPool authorizer, scopes included', async () => {
    const answer = await call(`${dev.url}/pool`, { headers: { authorization: poolToken } });
    assert.equal(answer.status, 200, answer.text);
    const jwt = answer.json<{
      event: { requestContext: { authorizer: { jwt: { claims: Record<string, string>; scopes: string[] } } } };
    }>().event.requestContext.authorizer.jwt;
    assert.equal(jwt.claims.token_use, 'access');
    assert.equal(jwt.claims.client_id, 'app-client-id');
    assert.equal(jwt.claims.username, 'grace');
    assert.equal(jwt.claims.aud, undefined);
    assert.deepEqual(jwt.scopes, ['orders/write']);
    const withoutScope = await gantryToken('--authorizer', 'pool');
    const refused = await call(`${dev.url}/pool`, { headers: { authorization: withoutScope.stdout.trim() } });
    assert.equal(refused.status, 403);
  });

  it('does not accept a local token for an authorizer of another issuer', async () => {
    const answer = await call(`${dev.url}/pool`, { headers: { authorization: localToken } });
    assert.equal(answer.status, 401);
  });

  it('serves each local-issuer authorizer its discovery document and JWKS on the console, and the tokens verify with them', async () => {
    assert.deepEqual(
      dev.issuers.map((i) => [i.authorizer, i.issuer, i.discoveryUrl]),
      [
        ['local', 'https://auth.example.com/local', `${dev.consoleUrl}/issuers/local/.well-known/openid-configuration`],
        [
          'pool',
          'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example',
          `${dev.consoleUrl}/issuers/pool/.well-known/openid-configuration`,
        ],
      ],
    );
    for (const [issuer, token, expected] of [
      [dev.issuers[0], localToken, { aud: 'local-client', tenant: 'acme' }],
      [dev.issuers[1], poolToken, { client_id: 'app-client-id', scope: 'orders/write' }],
    ] as const) {
      const answer = await call(issuer.discoveryUrl);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), '*');
      const discovery = answer.json<{
        issuer: string;
        jwks_uri: string;
        id_token_signing_alg_values_supported: string[];
      }>();
      assert.equal(discovery.issuer, issuer.issuer, 'the issuer its tokens carry in iss');
      assert.equal(discovery.jwks_uri, issuer.jwksUrl);
      assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
      // As any OIDC relying party would: keys from jwks_uri, then iss, aud, exp and the signature.
      const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
        issuer: discovery.issuer,
        algorithms: ['RS256'],
      });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.deepEqual({ ...payload, ...expected }, payload);
    }
    const pool = await call(dev.issuers[1].discoveryUrl);
    assert.deepEqual(pool.json<{ scopes_supported: string[] }>().scopes_supported, ['orders/write']);
    // A token signed by another key does not verify against the served JWKS.
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'mallory' })
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(localToken).kid })
      .setIssuer('https://auth.example.com/local')
      .setExpirationTime('1h')
      .sign(privateKey);
    await assert.rejects(
      jwtVerify(forged, createRemoteJWKSet(new URL(dev.issuers[0].jwksUrl)), {
        issuer: 'https://auth.example.com/local',
      }),
      /signature verification failed/,
    );
    assert.equal(
      (await call(`${dev.consoleUrl}/issuers/users/.well-known/jwks.json`)).status,
      404,
      'users trusts its own issuer',
    );
  });

  it('exits 1 with a clear message when it cannot mint', async () => {
    const cases: [string[], RegExp][] = [
      [[], /several authorizers use the local issuer \(local, pool\): pass --authorizer NAME/],
      [['--authorizer', 'simple'], /is a Lambda authorizer/],
      [['--authorizer', 'users'], /trusts https:\/\/issuer\.invalid.*localIssuer: true/],
      [['--authorizer', 'nope'], /no authorizer "nope"/],
    ];
    for (const [args, message] of cases) {
      const result = await gantryToken(...args);
      assert.equal(result.code, 1, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
    }
  });

  it('never answers a random Authorization value with a 2xx or a 5xx, and keeps serving', async () => {
    const [header, payload] = localToken.split('.');
    const value = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary-ascii', maxLength: 200 }),
      fc.tuple(fc.string(), fc.string(), fc.string()).map((parts) => parts.join('.')),
      fc.base64String({ maxLength: 120 }).map((sig) => `${header}.${payload}.${sig.replace(/=/g, '')}`),
      fc.string({ maxLength: 80 }).map((s) => `Bearer ${s}`),
      fc.json().map((j) => `${Buffer.from(j).toString('base64url')}.${payload}.x`),
    );
    await fc.assert(
      fc.asyncProperty(value, async (authorization) => {
        // Header values HTTP cannot carry are refused by the client itself, not by gantry.
        const sendable = authorization.replace(/[^\t\x20-\x7e]/g, '').trim();
        const answer = await call(`${dev.url}/local`, { headers: { authorization: sendable } });
        assert.ok(answer.status === 401 || answer.status === 403, `${answer.status} for ${JSON.stringify(sendable)}`);
      }),
      { numRuns: 150 },
    );
    const still = await call(`${dev.url}/local`, { headers: { authorization: `Bearer ${localToken}` } });
    assert.equal(still.status, 200);
  });
});
