// Payload format 1.0 on HTTP APIs (shared/reference/apigw-http-api.md), through a real gantry dev.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { call, startConformance } from './harness.ts';
import { rawGet, rawRequest } from './raw-http.ts';

let dev: DevServer;
before(async () => {
  dev = await startConformance();
});
after(() => dev.close());

describe('payload format 1.0 event', () => {
  test('fields, multi-value maps, last-value-wins maps and client header casing', async () => {
    const answer = await rawRequest(
      dev.port,
      [
        'GET /dev/v1/echo/x%20y?a=1&a=2&b=z HTTP/1.1',
        'Host: 127.0.0.1',
        'X-Dup: first',
        'X-Dup: second',
        'Cookie: c1=v1',
        'User-Agent: v1-test',
        'Connection: close',
        '',
        '',
      ].join('\r\n'),
    );
    assert.equal(answer.status, 200, answer.body);
    const { event } = JSON.parse(answer.body);
    assert.equal(event.version, '1.0');
    assert.equal(event.resource, '/v1/echo/{id}');
    assert.equal(event.httpMethod, 'GET');
    assert.equal(event.headers['X-Dup'], 'second', 'last value wins, name keeps the client casing');
    assert.deepEqual(event.multiValueHeaders['X-Dup'], ['first', 'second']);
    assert.equal(event.headers.Cookie, 'c1=v1', 'Cookie stays a header in 1.0');
    assert.deepEqual(event.queryStringParameters, { a: '2', b: 'z' });
    assert.deepEqual(event.multiValueQueryStringParameters, { a: ['1', '2'], b: ['z'] });
    assert.deepEqual(event.pathParameters, { id: 'x y' });
    assert.deepEqual(event.stageVariables, { tier: 'test', color: 'blue' });
    assert.equal(event.body, null);
    assert.equal(event.isBase64Encoded, false);
    const rc = event.requestContext;
    assert.equal(rc.accountId, '123456789012');
    assert.equal(rc.apiId, dev.config.apiId);
    assert.equal(rc.httpMethod, 'GET');
    assert.equal(rc.resourcePath, '/v1/echo/{id}');
    assert.equal(rc.stage, 'dev');
    assert.equal(rc.protocol, 'HTTP/1.1');
    assert.equal(rc.identity.sourceIp, '127.0.0.1');
    assert.equal(rc.identity.userAgent, 'v1-test');
    assert.equal(rc.requestId, answer.headers.find(([n]) => n === 'apigw-requestid')?.[1]);
    assert.equal(typeof rc.requestTimeEpoch, 'number');
    assert.equal(typeof rc.extendedRequestId, 'string');
  });

  test('a header value sent as UTF-8 arrives as that text in both header maps', async () => {
    const answer = await rawGet(dev.port, '/dev/v1/echo/utf8', ['CF-IPCity: Córdoba']);
    assert.equal(answer.status, 200, answer.body);
    const { event } = JSON.parse(Buffer.from(answer.body, 'latin1').toString('utf8'));
    assert.equal(event.headers['CF-IPCity'], 'Córdoba');
    assert.deepEqual(event.multiValueHeaders['CF-IPCity'], ['Córdoba']);
  });

  test('unset maps are null', async () => {
    const answer = await call(`${dev.url}/v1/echo/plain`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    const { event } = answer.json<{ event: Record<string, unknown> }>();
    assert.equal(event.queryStringParameters, null);
    assert.equal(event.multiValueQueryStringParameters, null);
    assert.equal(event.body, '{}');
    assert.equal(event.httpMethod, 'POST');
  });
});
