// Payload format 2.0 as API Gateway HTTP APIs build it (shared/reference/apigw-http-api.md), through a real gantry dev.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { echoed, startConformance } from './harness.ts';
import { rawGet, rawRequest } from './raw-http.ts';

let dev: DevServer;
before(async () => {
  dev = await startConformance();
});
after(() => dev.close());

const CLF_TIME = /^\d{2}\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

describe('payload format 2.0 event', () => {
  test('top-level fields for a request with path parameters, query and cookies', async () => {
    const before = Date.now();
    const event = await echoed(`${dev.url}/items/a%20b?a=1&a=2&b=x%20y&flag`, {
      headers: { cookie: 'c1=v1; c2=v2', 'user-agent': 'conformance/1.0', 'X-Mixed-Case': 'Yes' },
    });
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'GET /items/{id}');
    assert.equal(event.rawPath, '/dev/items/a b', 'rawPath is URL-decoded and keeps the stage prefix');
    assert.equal(event.rawQueryString, 'a=1&a=2&b=x%20y&flag', 'rawQueryString is passed as received');
    assert.deepEqual(event.queryStringParameters, { a: '1,2', b: 'x y', flag: '' });
    assert.deepEqual(event.pathParameters, { id: 'a b' });
    assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2']);
    assert.equal(event.headers.cookie, undefined, 'the cookie header travels in cookies only');
    const unspaced = await echoed(`${dev.url}/items/x`, { headers: { cookie: 'a=1;b=2; c=3' } });
    assert.deepEqual(unspaced.cookies, ['a=1;b=2', 'c=3'], 'split on "; " only, as the reference says');
    assert.equal(event.headers['x-mixed-case'], 'Yes', 'header names are lower-cased');
    assert.deepEqual(event.stageVariables, { tier: 'test', color: 'blue' });
    assert.equal(event.isBase64Encoded, false);
    assert.equal('body' in event, false, 'no body field without a body');

    const rc = event.requestContext;
    assert.equal(rc.accountId, '123456789012');
    assert.equal(rc.apiId, dev.config.apiId);
    assert.match(rc.apiId, /^[a-z0-9]{10}$/);
    assert.equal(rc.domainName, `${dev.config.apiId}.execute-api.us-east-1.amazonaws.com`);
    assert.equal(rc.domainPrefix, dev.config.apiId);
    assert.deepEqual(rc.http, {
      method: 'GET',
      path: '/dev/items/a b',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'conformance/1.0',
    });
    assert.equal(rc.routeKey, 'GET /items/{id}');
    assert.equal(rc.stage, 'dev');
    assert.match(rc.time, CLF_TIME);
    assert.ok(rc.timeEpoch >= before - 1000 && rc.timeEpoch <= Date.now() + 1000, `timeEpoch ${rc.timeEpoch}`);
    assert.equal(typeof rc.requestId, 'string');
    assert.equal(rc.authorizer, undefined, 'no authorizer ran');
  });

  test('optional maps are absent, not empty, when the request has none', async () => {
    const event = await echoed(`${dev.url}/echo`);
    assert.equal('queryStringParameters' in event, false);
    assert.equal('pathParameters' in event, false);
    assert.equal('cookies' in event, false);
    assert.equal(event.rawQueryString, '');
  });

  test('repeated headers are joined with commas; a missing User-Agent is an empty string', async () => {
    const answer = await rawGet(dev.port, '/dev/echo', ['X-Dup: a', 'X-Dup: b', 'Accept: */*']);
    assert.equal(answer.status, 200, answer.body);
    const { event } = JSON.parse(answer.body);
    assert.equal(event.headers['x-dup'], 'a,b');
    assert.equal(event.requestContext.http.userAgent, '');
  });

  test("a header value sent as UTF-8 arrives as that text (a CDN's `cf-ipcity: Córdoba`), not as Latin-1", async () => {
    const answer = await rawGet(dev.port, '/dev/echo', ['CF-IPCity: Córdoba', 'X-Price: 5 €', 'X-Plain: ascii']);
    assert.equal(answer.status, 200, answer.body);
    // rawRequest reads bytes as Latin-1; the function's JSON answer is UTF-8.
    const { event } = JSON.parse(Buffer.from(answer.body, 'latin1').toString('utf8'));
    assert.equal(event.headers['cf-ipcity'], 'Córdoba');
    assert.equal(event.headers['x-price'], '5 €');
    assert.equal(event.headers['x-plain'], 'ascii');
  });

  test('a header value that is not UTF-8 (a lone Latin-1 byte) arrives byte for character, nothing replaced', async () => {
    const request = Buffer.concat([
      Buffer.from('GET /dev/echo HTTP/1.1\r\nHost: x\r\nX-Latin: caf'),
      Buffer.from([0xe9]),
      Buffer.from('\r\nConnection: close\r\n\r\n'),
    ]);
    const answer = await rawRequest(dev.port, request);
    assert.equal(answer.status, 200, answer.body);
    const { event } = JSON.parse(Buffer.from(answer.body, 'latin1').toString('utf8'));
    assert.equal(event.headers['x-latin'], 'café');
  });

  test('the request id is unique per request and returned in apigw-requestid', async () => {
    const first = await fetch(`${dev.url}/echo`);
    const second = await fetch(`${dev.url}/echo`);
    const a = (await first.json()).event.requestContext.requestId;
    const b = (await second.json()).event.requestContext.requestId;
    assert.notEqual(a, b);
    assert.equal(first.headers.get('apigw-requestid'), a);
    assert.equal(second.headers.get('apigw-requestid'), b);
  });

  test('integrations receive x-forwarded-* and x-amzn-trace-id headers', async () => {
    const event = await echoed(`${dev.url}/echo`);
    assert.equal(event.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(event.headers['x-forwarded-port'], String(dev.port));
    assert.equal(event.headers['x-forwarded-proto'], 'http');
    assert.match(event.headers['x-amzn-trace-id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  test('greedy path variables carry the rest of the path, decoded, without the +', async () => {
    const event = await echoed(`${dev.url}/files/docs/2026/report%20v2.pdf`);
    assert.equal(event.routeKey, 'GET /files/{path+}');
    assert.deepEqual(event.pathParameters, { path: 'docs/2026/report v2.pdf' });
  });

  const bodies: [string, string | undefined, boolean][] = [
    ['application/json', '{"a":1}', false],
    ['application/json; charset=utf-8', '{"a":1}', false],
    ['text/plain', 'hello', false],
    ['text/csv', 'a,b', false],
    ['application/xml', '<a/>', false],
    ['application/javascript', 'x()', false],
    ['application/vnd.api+json', '{"a":1}', false],
    ['application/atom+xml', '<feed/>', false],
    ['application/x-www-form-urlencoded', 'a=1&b=2', true],
    ['multipart/form-data; boundary=x', '--x--', true],
    ['application/octet-stream', 'bytes', true],
    ['image/png', 'png', true],
    [undefined as unknown as string, 'no type', true],
  ];
  for (const [contentType, body, base64] of bodies) {
    test(`a ${contentType ?? 'type-less'} body arrives ${base64 ? 'base64-encoded' : 'as text'}`, async () => {
      const headers: Record<string, string> = {};
      if (contentType) headers['content-type'] = contentType;
      // A byte body: fetch labels a string body text/plain, which would hide the type-less case.
      const event = await echoed(`${dev.url}/echo`, { method: 'POST', headers, body: Buffer.from(body as string) });
      assert.equal(event.isBase64Encoded, base64);
      assert.equal(event.body, base64 ? Buffer.from(body as string).toString('base64') : body);
    });
  }

  test('binary bytes survive the base64 round trip exactly', async () => {
    const bytes = Buffer.from([0, 1, 2, 127, 128, 254, 255]);
    const event = await echoed(`${dev.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    assert.deepEqual(Buffer.from(event.body, 'base64'), bytes);
  });
});
