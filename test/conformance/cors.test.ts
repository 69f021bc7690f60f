// CORS handled by the gateway (reference: "CORS"), through a real gantry dev.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { call, startConformance } from './harness.ts';

let dev: DevServer;
before(async () => {
  dev = await startConformance();
});
after(() => dev.close());

describe('CORS', () => {
  test('the gateway answers a preflight for an allowed origin', async () => {
    const answer = await call(`${dev.url}/echo`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.match(answer.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(answer.headers.get('access-control-allow-headers') ?? '', /content-type/);
    assert.equal(answer.headers.get('access-control-max-age'), '300');
  });

  test('a preflight from an origin not allowed gets no CORS headers', async () => {
    const answer = await call(`${dev.url}/echo`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    assert.equal(answer.headers.get('access-control-allow-methods'), null);
  });

  test('integration responses get the configured headers; the function’s own CORS headers are dropped', async () => {
    const answer = await call(`${dev.url}/echo`, { headers: { origin: 'https://app.example.com' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(answer.headers.get('access-control-expose-headers'), 'x-request-cost');
  });

  test('a disallowed origin gets no CORS headers, not even the function’s', async () => {
    const answer = await call(`${dev.url}/echo`, { headers: { origin: 'https://evil.example' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
  });

  test('no Origin header, no CORS headers', async () => {
    const answer = await call(`${dev.url}/echo`);
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
  });
});
