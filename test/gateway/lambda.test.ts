/**
 * What a Lambda integration receives and how its answer reaches the client, through real HTTP on
 * loopback with an in-test Invoker standing in for Lambda.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { configOf, type RunningGateway, send, sendRaw, startGateway, success } from './helpers.ts';

describe('requests reaching a Lambda integration', { timeout: 60_000 }, () => {
  let gw: RunningGateway;
  before(async () => {
    const config = configOf({
      stage: { name: 'dev', variables: { tier: 'test' } },
      routes: {
        'ANY /echo': 'hello',
        'GET /items/{id}': 'hello',
        'GET /page': 'hello',
        'ANY /any': 'hello',
        'POST /v1': { function: 'hello', payloadFormatVersion: '1.0' },
        'GET /binary': 'hello',
      },
    });
    gw = await startGateway(config);
  });
  after(() => gw.close());

  test('a named stage is served under its prefix and kept in rawPath; outside it: 404', async () => {
    const reply = await send(gw.port, { path: '/dev/items/a%20b' });
    assert.equal(reply.status, 200);
    const event = gw.invoker.calls.at(-1)!.event;
    assert.equal(event.rawPath, '/dev/items/a b');
    assert.equal(event.routeKey, 'GET /items/{id}');
    assert.deepEqual(event.pathParameters, { id: 'a b' });
    assert.equal(event.requestContext.stage, 'dev');
    assert.deepEqual(event.stageVariables, { tier: 'test' });
    assert.equal((await send(gw.port, { path: '/items/1' })).status, 404);
    assert.equal((await send(gw.port, { path: '/devitems/1' })).status, 404);
  });

  test('duplicate headers, cookies and query keys arrive exactly', async () => {
    const raw = await sendRaw(
      gw.port,
      'GET /dev/echo?a=1&a=2&b=%20x&c=y+z HTTP/1.1\r\n' +
        'Host: local\r\n' +
        'X-Multi: one\r\n' +
        'x-multi: two\r\n' +
        'Cookie: c1=v1; c2=v2\r\n' +
        'Cookie: c3=v3\r\n' +
        'User-Agent: raw-test\r\n' +
        'Connection: close\r\n\r\n',
    );
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
    const requestId = /\r\napigw-requestid: ([^\r]+)\r\n/.exec(raw)![1];
    const event = gw.invoker.calls.at(-1)!.event;
    const headers = event.headers as Record<string, string>;
    assert.match(headers['x-amzn-trace-id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.deepEqual(headers, {
      host: 'local',
      'x-multi': 'one,two',
      'user-agent': 'raw-test',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-port': `${gw.port}`,
      'x-forwarded-proto': 'http',
      'x-amzn-trace-id': headers['x-amzn-trace-id'],
    });
    assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2', 'c3=v3']);
    assert.equal(event.rawQueryString, 'a=1&a=2&b=%20x&c=y+z');
    assert.deepEqual(event.queryStringParameters, { a: '1,2', b: ' x', c: 'y z' });
    assert.equal(event.requestContext.requestId, requestId);
    assert.deepEqual(event.requestContext.http, {
      method: 'GET',
      path: '/dev/echo',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'raw-test',
    });
    assert.equal(gw.invoker.calls.at(-1)!.options?.traceId, headers['x-amzn-trace-id']);
  });

  const bodies: [contentType: string, body: Buffer, expectedBody: string, base64: boolean][] = [
    ['application/octet-stream', Buffer.from([0, 1, 2, 255, 254]), 'AAEC//4=', true],
    ['application/x-www-form-urlencoded', Buffer.from('a=1&b=%C3%A9'), 'YT0xJmI9JUMzJUE5', true],
    ['multipart/form-data; boundary=xyz', Buffer.from('--xyz--'), 'LS14eXotLQ==', true],
    ['application/json; charset=utf-8', Buffer.from('{"é":1}'), '{"é":1}', false],
    ['text/plain', Buffer.from('héllo'), 'héllo', false],
  ];
  for (const [contentType, body, expectedBody, base64] of bodies) {
    test(`a ${contentType} body arrives ${base64 ? 'base64-encoded' : 'as text'}`, async () => {
      await send(gw.port, { method: 'POST', path: '/dev/echo', headers: { 'content-type': contentType }, body });
      const event = gw.invoker.calls.at(-1)!.event;
      assert.equal(event.body, expectedBody);
      assert.equal(event.isBase64Encoded, base64);
      assert.equal(gw.samples.at(-1)!.requestLength, body.length);
    });
  }

  test('a body with no content-type arrives base64-encoded', async () => {
    await sendRaw(gw.port, 'POST /dev/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc');
    const event = gw.invoker.calls.at(-1)!.event;
    assert.equal(event.body, 'YWJj');
    assert.equal(event.isBase64Encoded, true);
  });

  test('isBase64Encoded responses return the exact bytes', async () => {
    const bytes = randomBytes(300);
    gw.invoker.respond = () =>
      success({
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      });
    try {
      const reply = await send(gw.port, { path: '/dev/binary' });
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, bytes);
      assert.equal(reply.headers['content-length'], '300');
      assert.equal(reply.headers['content-type'], 'application/octet-stream');
    } finally {
      gw.invoker.respond = (call) => success({ statusCode: 200, body: call.eventText });
    }
  });

  test('2.0 response: cookies become set-cookie headers, default content-type, status kept', async () => {
    gw.invoker.respond = () =>
      success({ statusCode: 201, cookies: ['a=1; HttpOnly', 'b=2'], headers: { 'X-Id': '7' }, body: 'made' });
    try {
      const reply = await send(gw.port, { path: '/dev/echo' });
      assert.equal(reply.status, 201);
      assert.equal(reply.text, 'made');
      assert.deepEqual(reply.headers['set-cookie'], ['a=1; HttpOnly', 'b=2']);
      assert.equal(reply.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(reply.headers['x-id'], '7');
      assert.equal(reply.headers['content-length'], '4');
    } finally {
      gw.invoker.respond = (call) => success({ statusCode: 200, body: call.eventText });
    }
  });

  test('payload format 1.0 end to end', async () => {
    gw.invoker.respond = () =>
      success({ statusCode: 202, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: 'ok' });
    try {
      const reply = await send(gw.port, {
        method: 'POST',
        path: '/dev/v1?k=1&k=2',
        headers: { 'X-Custom': 'v' },
        body: 'x',
      });
      assert.equal(reply.status, 202);
      assert.deepEqual(reply.headers['set-cookie'], ['a=1', 'b=2']);
      assert.equal(reply.headers['content-type'], 'application/json');
      const event = gw.invoker.calls.at(-1)!.event;
      assert.equal(event.version, '1.0');
      assert.equal(event.resource, '/v1');
      assert.equal(event.path, '/dev/v1');
      assert.equal((event.headers as Record<string, string>)['X-Custom'], 'v');
      assert.deepEqual(event.multiValueQueryStringParameters, { k: ['1', '2'] });
      assert.equal(event.body, 'eA==', 'no content-type: base64');
    } finally {
      gw.invoker.respond = (call) => success({ statusCode: 200, body: call.eventText });
    }
  });

  test('HEAD does not take a GET route; an ANY route answers it without a body', async () => {
    const head = await send(gw.port, { method: 'HEAD', path: '/dev/page' });
    assert.equal(head.status, 404);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], '23');
    gw.invoker.respond = () => success({ statusCode: 200, body: 'twelve bytes' });
    try {
      const any = await send(gw.port, { method: 'HEAD', path: '/dev/any' });
      assert.equal(any.status, 200);
      assert.equal(any.body.length, 0);
      assert.equal(any.headers['content-length'], '12');
      assert.deepEqual((gw.invoker.calls.at(-1)!.event.requestContext.http as { method: string }).method, 'HEAD');
    } finally {
      gw.invoker.respond = (call) => success({ statusCode: 200, body: call.eventText });
    }
  });

  test('every request id is unique and matches the event', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const reply = await send(gw.port, { path: '/dev/echo' });
      const id = reply.headers['apigw-requestid'] as string;
      assert.equal(JSON.parse(reply.text).requestContext.requestId, id);
      ids.add(id);
    }
    assert.equal(ids.size, 20);
  });

  test('the recorder hears about each answered request once, with the integration fields', async () => {
    const before = gw.samples.length;
    const reply = await send(gw.port, {
      method: 'POST',
      path: '/dev/echo',
      headers: { 'content-type': 'text/plain' },
      body: 'abcd',
    });
    assert.equal(gw.samples.length, before + 1);
    const sample = gw.samples.at(-1)!;
    assert.equal(sample.requestId, reply.headers['apigw-requestid']);
    assert.equal(sample.routeKey, 'ANY /echo');
    assert.equal(sample.stage, 'dev');
    assert.equal(sample.path, '/dev/echo');
    assert.equal(sample.httpMethod, 'POST');
    assert.equal(sample.status, 200);
    assert.equal(sample.requestLength, 4);
    assert.equal(sample.responseLength, reply.body.length);
    assert.equal(sample.functionName, 'hello');
    assert.equal(sample.integrationStatus, 200);
    assert.equal(sample.errorMessage, undefined);
    assert.ok(sample.integrationLatencyMs !== undefined && sample.integrationLatencyMs <= sample.latencyMs);
  });
});
