/**
 * API Gateway's own answers (404, 500, 503, 429, 413, 400) through real HTTP on loopback, with an
 * in-test Invoker standing in for Lambda.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { InvokeOutcome } from '../../src/runtime/types.ts';
import {
  configOf,
  HTTP_DATE,
  headerNames,
  REQUEST_ID,
  type RunningGateway,
  send,
  sendRaw,
  startGateway,
  success,
  TestInvoker,
} from './helpers.ts';

describe('API Gateway answers', { timeout: 60_000 }, () => {
  let gw: RunningGateway;
  before(async () => {
    const config = configOf({
      stage: { name: '$default', throttle: { rateLimit: 0, burstLimit: 0 } },
      routes: {
        'GET /hello': { function: 'hello', throttle: { rateLimit: 1000, burstLimit: 1000 } },
        'GET /fail': { function: 'hello', throttle: { rateLimit: 1000, burstLimit: 1000 } },
        'GET /throttled': 'hello',
        'GET /slow': { function: 'hello', timeoutInMillis: 50, throttle: { rateLimit: 1000, burstLimit: 1000 } },
        'POST /upload': { function: 'hello', throttle: { rateLimit: 1000, burstLimit: 1000 } },
      },
    });
    const failures: Record<string, InvokeOutcome> = {
      'function-error': { status: 'function-error', errorType: 'Error', errorMessage: 'boom', stackTrace: ['at x'] },
      timeout: { status: 'timeout', timeoutSeconds: 3 },
      'runtime-crash': { status: 'runtime-crash', errorType: 'Runtime.ExitError', errorMessage: 'exited' },
      'init-error': { status: 'init-error', errorType: 'Runtime.ImportModuleError', errorMessage: 'nope' },
      'response-too-large': { status: 'response-too-large', sizeBytes: 6_300_000 },
      throttled: { status: 'throttled', reason: 'reserved-concurrency' },
      malformed: { status: 'success', payload: '{"statusCode":"x"}' },
    };
    gw = await startGateway(
      config,
      new TestInvoker((call) => {
        if (call.event.rawPath === '/slow') return new Promise<InvokeOutcome>(() => {});
        if (call.event.rawPath === '/fail') return failures[call.event.rawQueryString as string];
        return success({ statusCode: 200, body: 'ok' });
      }),
    );
  });
  after(() => gw.close());

  test('no route: 404 {"message":"Not Found"} with exact headers, recorded with routeKey "-"', async () => {
    const before = gw.samples.length;
    const reply = await send(gw.port, { path: '/missing?q=1', headers: { 'user-agent': 'test-agent' } });
    assert.equal(reply.status, 404);
    assert.equal(reply.text, '{"message":"Not Found"}');
    assert.deepEqual(headerNames(reply).sort(), [
      'apigw-requestid',
      'connection',
      'content-length',
      'content-type',
      'date',
    ]);
    assert.equal(reply.headers['content-type'], 'application/json');
    assert.equal(reply.headers['content-length'], '23');
    assert.match(reply.headers['apigw-requestid'] as string, REQUEST_ID);
    assert.match(reply.headers.date as string, HTTP_DATE);
    assert.equal(gw.samples.length, before + 1);
    const sample = gw.samples[gw.samples.length - 1];
    assert.ok(sample.latencyMs >= 0 && sample.latencyMs < 60_000);
    assert.ok(Math.abs(sample.requestTimeEpoch - Date.now()) < 60_000);
    assert.deepEqual(
      { ...sample, latencyMs: 0, requestTimeEpoch: 0 },
      {
        apiId: configOf({ routes: { 'GET /x': 'hello' } }).apiId,
        stage: '$default',
        routeKey: '-',
        requestId: reply.headers['apigw-requestid'],
        requestTimeEpoch: 0,
        httpMethod: 'GET',
        path: '/missing',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test-agent',
        status: 404,
        responseLength: 23,
        requestLength: 0,
        latencyMs: 0,
        integrationLatencyMs: undefined,
        integrationStatus: undefined,
        errorMessage: 'Not Found',
        functionName: undefined,
      },
    );
  });

  for (const failure of [
    'function-error',
    'timeout',
    'runtime-crash',
    'init-error',
    'response-too-large',
    'throttled',
    'malformed',
  ]) {
    test(`${failure}: 500 {"message":"Internal Server Error"} as application/json`, async () => {
      const reply = await send(gw.port, { path: `/fail?${failure}` });
      assert.equal(reply.status, 500);
      assert.equal(reply.text, '{"message":"Internal Server Error"}');
      assert.equal(reply.headers['content-type'], 'application/json');
      assert.equal(reply.headers['content-length'], '35');
      const sample = gw.samples.find((s) => s.requestId === reply.headers['apigw-requestid'])!;
      assert.equal(sample.status, 500);
      assert.equal(sample.routeKey, 'GET /fail');
      assert.equal(sample.functionName, 'hello');
      assert.equal(sample.integrationStatus, failure === 'throttled' ? 429 : 200);
      assert.equal(sample.errorMessage, 'Internal Server Error');
    });
  }

  test('integration timeout: 503 {"message":"Service Unavailable"} without content-type', async () => {
    const reply = await send(gw.port, { path: '/slow' });
    assert.equal(reply.status, 503);
    assert.equal(reply.text, '{"message":"Service Unavailable"}');
    assert.equal(reply.headers['content-type'], undefined);
    assert.equal(reply.headers['content-length'], '33');
    const sample = gw.samples.find((s) => s.requestId === reply.headers['apigw-requestid'])!;
    assert.equal(sample.errorMessage, 'Service Unavailable');
    assert.ok((sample.integrationLatencyMs ?? 0) >= 40, `integration latency ${sample.integrationLatencyMs}`);
  });

  test('rate 0 / burst 0 on the stage: 429 {"message":"Too Many Requests"}, function not invoked', async () => {
    const calls = gw.invoker.calls.length;
    for (let i = 0; i < 3; i++) {
      const reply = await send(gw.port, { path: '/throttled' });
      assert.equal(reply.status, 429);
      assert.equal(reply.text, '{"message":"Too Many Requests"}');
      assert.equal(reply.headers['content-type'], 'application/json');
    }
    assert.equal(gw.invoker.calls.length, calls);
    const ok = await send(gw.port, { path: '/hello' });
    assert.equal(ok.status, 200, 'a route with its own throttle is not affected');
  });

  test('a body over 10 MB: 413, not invoked, and the server keeps serving', async () => {
    const calls = gw.invoker.calls.length;
    const reply = await send(gw.port, {
      method: 'POST',
      path: '/upload',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(11 * 1024 * 1024, 1),
    });
    assert.equal(reply.status, 413);
    assert.equal(reply.text, '{"message":"Request Entity Too Large"}');
    assert.equal(reply.headers.connection, 'close');
    assert.equal(gw.invoker.calls.length, calls);
    assert.equal((await send(gw.port, { path: '/hello' })).status, 200);
  });

  test('a chunked body that grows past 10 MB: 413 while it streams', async () => {
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: gw.port, method: 'POST', path: '/upload', agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 2);
      for (let i = 0; i < 11; i++) req.write(chunk);
      req.end();
    });
    assert.deepEqual(reply, { status: 413, text: '{"message":"Request Entity Too Large"}' });
  });

  test('an event over 6 MB (a 5 MB binary body grows by a third in base64): 413', async () => {
    const calls = gw.invoker.calls.length;
    const reply = await send(gw.port, {
      method: 'POST',
      path: '/upload',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(5 * 1024 * 1024, 3),
    });
    assert.equal(reply.status, 413);
    assert.equal(reply.text, '{"message":"Request Entity Too Large"}');
    assert.equal(gw.invoker.calls.length, calls);
  });

  test('malformed HTTP is answered 400 and the server keeps serving', async () => {
    const raw = await sendRaw(gw.port, 'THIS IS NOT HTTP\r\n\r\n');
    assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(raw, /\r\ncontent-type: application\/json\r\n/);
    assert.match(raw, /\r\napigw-requestid: [A-Za-z0-9+/]{15}=\r\n/);
    assert.ok(raw.endsWith('\r\n\r\n{"message":"Bad Request"}'), raw);
    const overflow = await sendRaw(gw.port, `GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(overflow, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    const broken = await sendRaw(gw.port, 'GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
    assert.match(broken, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.equal((await send(gw.port, { path: '/hello' })).status, 200);
  });
});

describe('a broken invoker never takes the server down', { timeout: 60_000 }, () => {
  const broken: [string, () => Promise<never>][] = [
    [
      'throws synchronously',
      () => {
        throw new Error('sync boom');
      },
    ],
    ['rejects', () => Promise.reject(new Error('async boom'))],
  ];
  for (const [name, invoke] of broken) {
    test(`an invoker that ${name}: 500, and the next request is served`, async () => {
      const config = configOf({ routes: { 'GET /x': 'hello' } });
      const gw = await startGateway(config, { invoke } as unknown as TestInvoker);
      try {
        const reply = await send(gw.port, { path: '/x' });
        assert.equal(reply.status, 500);
        assert.equal(reply.text, '{"message":"Internal Server Error"}');
        assert.equal((await send(gw.port, { path: '/nope' })).status, 404);
        assert.deepEqual(
          gw.samples.map((s) => s.status),
          [500, 404],
        );
      } finally {
        await gw.close();
      }
    });
  }
});
