/**
 * JWT authorizers through real HTTP against `gantry dev`, with an OIDC issuer of the test's own on
 * loopback: the cases of AWS's JWT authorizer workflow, its 401 / 403 answers, and the claims and
 * scopes the integration receives in payload 2.0 and 1.0.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { JWT_FAILURES } from '../../src/gateway/authorizers/answers.ts';
import { foreignTokens, rsaKey, TestIssuer, type TestKey } from '../authorizers/issuer.ts';
import { type Answer, AUTHORIZERS_CONFIG, call, startConformance } from './harness.ts';

const challenge = (description: string) => `Bearer scope="" error="invalid_token" error_description="${description}"`;

function assertUnauthorized(answer: Answer, description: string): void {
  assert.equal(answer.status, 401, answer.text);
  assert.equal(answer.text, '{"message":"Unauthorized"}');
  assert.equal(answer.headers.get('www-authenticate'), challenge(description));
  assert.equal(answer.headers.get('content-type'), null);
  assert.ok(answer.headers.get('apigw-requestid'));
}

describe('JWT authorizer conformance', () => {
  let issuer: TestIssuer;
  let dev: DevServer;
  let k1: TestKey;
  let k2: TestKey;
  const get = (path: string, authorization?: string, init: RequestInit = {}) =>
    call(`${dev.url}${path}`, {
      ...init,
      headers: { ...(authorization === undefined ? {} : { authorization }), ...(init.headers as object) },
    });

  before(async () => {
    [k1, k2] = await Promise.all([rsaKey('k1'), rsaKey('k2')]);
    issuer = await TestIssuer.start([k1]);
    dev = await startConformance((config) => {
      for (const name of ['users', 'byQuery']) {
        const authorizer = config.authorizers[name];
        if (authorizer.type === 'jwt') authorizer.issuer = issuer.url;
      }
    }, AUTHORIZERS_CONFIG);
  });
  after(async () => {
    await dev?.close();
    await issuer?.close();
  });

  it('lets a valid token through, bare or after Bearer, with its claims as strings', async () => {
    const token = await issuer.sign(k1, { scope: 'orders/read', groups: ['a', 'b'] });
    for (const authorization of [`Bearer ${token}`, token]) {
      const answer = await get('/jwt', authorization);
      assert.equal(answer.status, 200, answer.text);
      const event = answer.json<{ event: { requestContext: { authorizer: unknown } } }>().event;
      const authorizer = event.requestContext.authorizer as { jwt: { claims: Record<string, string>; scopes: null } };
      assert.equal(authorizer.jwt.claims.sub, 'ada');
      assert.equal(authorizer.jwt.claims.iss, issuer.url);
      assert.match(authorizer.jwt.claims.exp, /^\d+$/);
      assert.equal(authorizer.jwt.claims.groups, '[a b]');
      assert.equal(authorizer.jwt.scopes, null, 'a route without scopes gets scopes: null');
    }
  });

  it('answers 401 with AWS challenge for a missing, malformed or invalid token', async () => {
    const now = Math.floor(Date.now() / 1000);
    assertUnauthorized(await get('/jwt'), JWT_FAILURES.missing);
    assertUnauthorized(await get('/jwt', ''), JWT_FAILURES.missing);
    assertUnauthorized(await get('/jwt', 'Bearer not-a-jwt'), JWT_FAILURES.malformed);
    assertUnauthorized(await get('/jwt', 'Basic dXNlcjpwYXNz'), JWT_FAILURES.malformed);
    assertUnauthorized(await get('/jwt', await issuer.sign(k1, { exp: now - 5 })), JWT_FAILURES.expired);
    assertUnauthorized(await get('/jwt', await issuer.sign(k1, { nbf: now + 600 })), JWT_FAILURES.notYetValid);
    assertUnauthorized(
      await get('/jwt', await issuer.sign(k1, { iss: 'https://evil.example.com' })),
      JWT_FAILURES.issuer,
    );
    assertUnauthorized(await get('/jwt', await issuer.sign(k1, { aud: 'other-client' })), JWT_FAILURES.audience);
    const forged = await issuer.sign(k2, {}, { kid: 'k1' });
    assertUnauthorized(await get('/jwt', forged), JWT_FAILURES.signature);
  });

  it('accepts client_id in place of aud', async () => {
    const answer = await get('/jwt', await issuer.sign(k1, { aud: undefined, client_id: 'orders-client' }));
    assert.equal(answer.status, 200, answer.text);
  });

  it('refuses alg none, HS256 and ES256', async () => {
    const foreign = await foreignTokens(issuer.url, 'k1');
    assertUnauthorized(await get('/jwt', foreign.none), 'signing method none is invalid');
    assertUnauthorized(await get('/jwt', foreign.HS256), 'signing method HS256 is invalid');
    assertUnauthorized(await get('/jwt', foreign.ES256), 'signing method ES256 is invalid');
  });

  it('checks route scopes against scope or scp: 403 when none is granted', async () => {
    const post = (token: string) => get('/jwt/write', `Bearer ${token}`, { method: 'POST' });
    const missing = await post(await issuer.sign(k1, { scope: 'orders/read' }));
    assert.equal(missing.status, 403);
    assert.equal(missing.text, '{"message":"Forbidden"}');
    assert.equal(missing.headers.get('www-authenticate'), null);

    const granted = await post(await issuer.sign(k1, { scope: 'orders/read orders/write' }));
    assert.equal(granted.status, 200, granted.text);
    const jwt = granted.json<{ event: { requestContext: { authorizer: { jwt: { scopes: string[] } } } } }>().event
      .requestContext.authorizer.jwt;
    assert.deepEqual(jwt.scopes, ['orders/read', 'orders/write']);

    const scp = await post(await issuer.sign(k1, { scp: ['orders/admin'] }));
    assert.equal(scp.status, 200, scp.text);
  });

  it('gives claims and scopes in the 1.0 shape to a 1.0 route', async () => {
    const answer = await get('/jwt/v1', `Bearer ${await issuer.sign(k1, { scope: 'orders/read' })}`);
    assert.equal(answer.status, 200, answer.text);
    const event = answer.json<{ event: { version: string; requestContext: { authorizer: Record<string, unknown> } } }>()
      .event;
    assert.equal(event.version, '1.0');
    const authorizer = event.requestContext.authorizer as { claims: Record<string, string>; scopes: string[] };
    assert.equal(authorizer.claims.sub, 'ada');
    assert.deepEqual(authorizer.scopes, ['orders/read']);
  });

  it('reads the token from a query string identity source', async () => {
    const token = await issuer.sign(k1);
    assert.equal((await get(`/jwt/query?access_token=${token}`)).status, 200);
    assertUnauthorized(await get('/jwt/query', `Bearer ${token}`), JWT_FAILURES.missing);
  });

  it('finds a rotated key by refetching the JWKS once for an unknown kid', async () => {
    const before = issuer.jwksFetches;
    issuer.published = [k1, k2];
    const answer = await get('/jwt', `Bearer ${await issuer.sign(k2)}`);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(issuer.jwksFetches, before + 1);
    for (let i = 0; i < 10; i++) {
      assertUnauthorized(await get('/jwt', await issuer.sign(k2, {}, { kid: `nope-${i}` })), JWT_FAILURES.unknownKey);
    }
    assert.equal(issuer.jwksFetches, before + 1, 'unknown kids within the refetch interval do not reach the issuer');
  });

  it('answers a CORS preflight without authorization, but an OPTIONS an ANY route takes needs a token', async () => {
    const preflight = await call(`${dev.url}/jwt`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example.com');
    const routed = await call(`${dev.url}/jwt/any`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    assertUnauthorized(routed, JWT_FAILURES.missing);
  });

  it('keeps open routes open', async () => {
    const answer = await get('/open');
    assert.equal(answer.status, 200);
    assert.equal(
      answer.json<{ event: { requestContext: Record<string, unknown> } }>().event.requestContext.authorizer,
      undefined,
    );
  });
});
