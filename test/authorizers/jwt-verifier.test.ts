import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JWT_FAILURES } from '../../src/gateway/authorizers/answers.ts';
import { claimsAsStrings, tokenScopes } from '../../src/gateway/authorizers/jwt/claims.ts';
import { REFETCH_INTERVAL_MS, RemoteKeys, staticKeys } from '../../src/gateway/authorizers/jwt/keys.ts';
import { JwtVerifier, tokenOf, type VerifiedToken } from '../../src/gateway/authorizers/jwt/verifier.ts';
import { foreignTokens, rsaKey, TestIssuer, type TestKey } from './issuer.ts';

function verifierFor(issuer: TestIssuer, keys = new RemoteKeys(issuer.url)) {
  return { keys, verifier: new JwtVerifier({ issuer: issuer.url, audience: ['orders-client'], keys }) };
}

async function refusal(verifier: JwtVerifier, token: string): Promise<string> {
  const result = await verifier.verify(token);
  assert.equal(typeof result, 'string', `expected a refusal, got ${JSON.stringify(result)}`);
  return result as string;
}

describe('JWT verification against an OIDC issuer on loopback', () => {
  let issuer: TestIssuer;
  let k1: TestKey;
  let k2: TestKey;
  before(async () => {
    [k1, k2] = await Promise.all([rsaKey('k1'), rsaKey('k2')]);
    issuer = await TestIssuer.start([k1]);
  });
  after(() => issuer.close());

  it('accepts a valid token and gives its claims as strings and its scopes', async () => {
    const { verifier } = verifierFor(issuer);
    const token = await issuer.sign(k1, { scope: 'orders/read orders/write', n: 5, ok: true });
    const result = (await verifier.verify(token)) as VerifiedToken;
    assert.equal(result.claims.iss, issuer.url);
    assert.equal(result.claims.n, '5');
    assert.equal(result.claims.ok, 'true');
    assert.equal(typeof result.claims.exp, 'string');
    assert.deepEqual(result.scopes, ['orders/read', 'orders/write']);
    assert.equal(issuer.discoveryFetches > 0 && issuer.jwksFetches > 0, true);
  });

  it('answers a token verified before synchronously, from its cache', async () => {
    const { verifier } = verifierFor(issuer);
    const token = await issuer.sign(k1);
    const first = await verifier.verify(token);
    assert.equal(typeof first, 'object');
    const second = verifier.verify(token);
    assert.equal(second instanceof Promise, false);
    assert.equal(second, first);
  });

  it('refuses expired, not-yet-valid and future-issued tokens, also once cached', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { verifier } = verifierFor(issuer);
    assert.equal(await refusal(verifier, await issuer.sign(k1, { exp: now - 1 })), JWT_FAILURES.expired);
    assert.equal(await refusal(verifier, await issuer.sign(k1, { exp: undefined })), JWT_FAILURES.expired);
    assert.equal(await refusal(verifier, await issuer.sign(k1, { nbf: now + 300 })), JWT_FAILURES.notYetValid);
    assert.equal(await refusal(verifier, await issuer.sign(k1, { iat: now + 300 })), JWT_FAILURES.issuedInFuture);

    let clock = now;
    const timed = new JwtVerifier({
      issuer: issuer.url,
      audience: ['orders-client'],
      keys: new RemoteKeys(issuer.url),
      now: () => clock,
    });
    const token = await issuer.sign(k1, { iat: now, exp: now + 10 });
    assert.equal(typeof (await timed.verify(token)), 'object');
    clock = now + 10;
    assert.equal(await refusal(timed, token), JWT_FAILURES.expired);
  });

  it('checks iss exactly, and aud before client_id', async () => {
    const { verifier } = verifierFor(issuer);
    assert.equal(await refusal(verifier, await issuer.sign(k1, { iss: `${issuer.url}/` })), JWT_FAILURES.issuer);
    assert.equal(await refusal(verifier, await issuer.sign(k1, { aud: 'someone-else' })), JWT_FAILURES.audience);
    assert.equal(
      typeof (await verifier.verify(await issuer.sign(k1, { aud: ['x', 'orders-client'] }))),
      'object',
      'one of several audiences is enough',
    );
    assert.equal(
      typeof (await verifier.verify(await issuer.sign(k1, { aud: undefined, client_id: 'orders-client' }))),
      'object',
      'client_id counts when there is no aud',
    );
    assert.equal(
      await refusal(verifier, await issuer.sign(k1, { aud: 'someone-else', client_id: 'orders-client' })),
      JWT_FAILURES.audience,
      'aud wins over client_id when both are present',
    );
    assert.equal(await refusal(verifier, await issuer.sign(k1, { aud: undefined })), JWT_FAILURES.audience);
  });

  it('refuses alg none, HMAC and EC tokens, malformed tokens and bad signatures', async () => {
    const { verifier } = verifierFor(issuer);
    const foreign = await foreignTokens(issuer.url, 'k1');
    assert.equal(await refusal(verifier, foreign.none), 'signing method none is invalid');
    assert.equal(await refusal(verifier, foreign.HS256), 'signing method HS256 is invalid');
    assert.equal(await refusal(verifier, foreign.ES256), 'signing method ES256 is invalid');
    for (const bad of ['', 'abc', 'a.b', 'a.b.c', '...', 'a.b.c.d', '%%%.e30.sig']) {
      assert.equal(await refusal(verifier, bad), JWT_FAILURES.malformed, bad);
    }
    const good = await issuer.sign(k1);
    const [h, p, s] = good.split('.');
    const flipped = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    assert.equal(await refusal(verifier, flipped), JWT_FAILURES.signature);
    const forged = await issuer.sign(k2, {}, { kid: 'k1' });
    assert.equal(await refusal(verifier, forged), JWT_FAILURES.signature);
  });

  it('refetches the JWKS for an unknown kid, at most once per interval', async () => {
    const local = await TestIssuer.start([k1]);
    try {
      let clock = 0;
      const keys = new RemoteKeys(local.url, () => clock);
      const { verifier } = verifierFor(local, keys);
      assert.equal(typeof (await verifier.verify(await local.sign(k1))), 'object');
      assert.equal(local.jwksFetches, 1);
      local.published = [k1, k2];
      assert.equal(typeof (await verifier.verify(await local.sign(k2))), 'object', 'rotated key found');
      assert.equal(local.jwksFetches, 2);
      for (let i = 0; i < 20; i++) {
        assert.equal(
          await refusal(verifier, await local.sign(k2, {}, { kid: `made-up-${i}` })),
          JWT_FAILURES.unknownKey,
        );
      }
      assert.equal(local.jwksFetches, 2, 'a flood of unknown kids does not refetch within the interval');
      clock += REFETCH_INTERVAL_MS;
      await refusal(verifier, await local.sign(k2, {}, { kid: 'made-up-late' }));
      assert.equal(local.jwksFetches, 3);
    } finally {
      await local.close();
    }
  });

  it('refuses promptly when the issuer is down, and asks again only after a pause', async () => {
    const down = await TestIssuer.start([k1]);
    try {
      down.mode = 'error';
      const { verifier } = verifierFor(down);
      const token = await down.sign(k1);
      assert.equal(await refusal(verifier, token), JWT_FAILURES.keysUnavailable);
      assert.equal(await refusal(verifier, token), JWT_FAILURES.keysUnavailable);
      assert.equal(down.requests, 1, 'the second refusal did not ask the failing issuer again');
    } finally {
      await down.close();
    }
  });

  it('verifies with keys given directly (the local issuer)', async () => {
    const verifier = new JwtVerifier({
      issuer: issuer.url,
      audience: ['orders-client'],
      keys: staticKeys({ keys: [k1.publicJwk] }),
    });
    assert.equal(typeof (await verifier.verify(await issuer.sign(k1))), 'object');
    assert.equal(await refusal(verifier, await issuer.sign(k2)), JWT_FAILURES.unknownKey);
  });
});

describe('token text, claims and scopes', () => {
  it('takes the token bare or after Bearer', () => {
    assert.equal(tokenOf('Bearer abc.def.ghi'), 'abc.def.ghi');
    assert.equal(tokenOf('bearer abc.def.ghi'), 'abc.def.ghi');
    assert.equal(tokenOf('abc.def.ghi'), 'abc.def.ghi');
    assert.equal(tokenOf('Bearer'), 'Bearer');
  });

  it('renders claims as strings, lists and maps as AWS does', () => {
    assert.deepEqual(claimsAsStrings({ a: 'x', n: 1787996002, b: false, g: ['admin', 'users'], m: { z: 1, a: 'b' } }), {
      a: 'x',
      n: '1787996002',
      b: 'false',
      g: '[admin users]',
      m: 'map[a:b z:1]',
    });
  });

  it('reads scopes from scope, else scp', () => {
    assert.deepEqual(tokenScopes({ scope: 'a b' }), ['a', 'b']);
    assert.deepEqual(tokenScopes({ scp: ['a', 'b', 3] }), ['a', 'b']);
    assert.deepEqual(tokenScopes({ scp: 'a b' }), ['a', 'b']);
    assert.deepEqual(tokenScopes({}), []);
  });
});
