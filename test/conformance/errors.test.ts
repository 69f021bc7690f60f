// API Gateway's own answers (reference: "API Gateway's own answers"), through a real gantry dev and real workers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { call, startConformance } from './harness.ts';

let dev: DevServer;
before(async () => {
  dev = await startConformance();
});
after(() => dev.close());

const INTERNAL_ERROR = '{"message":"Internal Server Error"}';

async function assertInternalError(path: string) {
  const answer = await call(`${dev.url}${path}`);
  assert.equal(answer.status, 500, answer.text);
  assert.equal(answer.text, INTERNAL_ERROR);
  assert.equal(answer.headers.get('content-type'), 'application/json');
  assert.ok(answer.headers.get('apigw-requestid'));
}

describe('function failures → 500', () => {
  test('a handler that throws', () => assertInternalError('/fail'));
  test('a handler over its timeoutSeconds (Lambda "Task timed out")', () => assertInternalError('/sleep?ms=5000'));
  test('a function whose reserved concurrency is 0 (throttled by Lambda)', () => assertInternalError('/capped'));
});

describe('integration timeout → 503', () => {
  test('a route whose timeoutInMillis passes before the function answers', async () => {
    const answer = await call(`${dev.url}/integration-timeout?ms=3000`);
    assert.equal(answer.status, 503);
    assert.equal(answer.text, '{"message":"Service Unavailable"}');
    assert.equal(answer.headers.get('content-type'), null, 'AWS sends the 503 without content-type');
  });
});

describe('request limits', () => {
  test('a body over 10 MB → 413', async () => {
    const answer = await call(`${dev.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 'a'),
    });
    assert.equal(answer.status, 413);
    assert.equal(answer.text, '{"message":"Request Entity Too Large"}');
  });

  test('a body under 10 MB whose Lambda event would pass 6 MB → 413', async () => {
    const answer = await call(`${dev.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(5 * 1024 * 1024, 1), // 5 MB of binary is ~6.7 MB once base64-encoded
    });
    assert.equal(answer.status, 413);
  });
});

describe('throttling → 429', () => {
  test('a route throttled at rate 0 / burst 0 refuses every request', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await call(`${dev.url}/limited`);
      assert.equal(answer.status, 429);
      assert.equal(answer.text, '{"message":"Too Many Requests"}');
    }
  });
});
