/**
 * HTTP proxy integrations against a second loopback server.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { compileHttpTarget } from '../../src/gateway/http-integration.ts';
import { configOf, REQUEST_ID, type RunningGateway, send, startGateway } from './helpers.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('HTTP proxy integration', { timeout: 60_000 }, () => {
  let target: Server;
  let gw: RunningGateway;
  const seen: Seen[] = [];
  const held: ServerResponse[] = [];

  before(async () => {
    target = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        if (req.url === '/never') {
          held.push(res);
          return;
        }
        if (req.url === '/huge') {
          // Declares 11 MB: the gateway must refuse before reading it.
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': `${11 * 1024 * 1024}` });
          res.write(Buffer.alloc(64 * 1024));
          held.push(res);
          return;
        }
        if (req.url === '/chunked') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('part1-');
          setTimeout(() => res.end('part2'), 5);
          return;
        }
        const body = `proxied ${req.method} ${req.url}`;
        res.writeHead(201, [
          'content-type',
          'text/plain',
          'x-target',
          'yes',
          'set-cookie',
          'a=1',
          'set-cookie',
          'b=2',
          'access-control-allow-origin',
          '*',
          'content-length',
          `${Buffer.byteLength(body)}`,
        ]);
        res.end(body);
      });
    });
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    const t = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const config = configOf({
      stage: { name: 'dev', variables: { backend: t.slice('http://'.length) } },
      routes: {
        'ANY /legacy/{proxy+}': { http: `${t}/base/{proxy}` },
        'POST /forced/{id}': { http: `http://\${stageVariables.backend}/items/{id}?fixed=1`, method: 'PUT' },
        'GET /down': { http: 'http://127.0.0.1:1/' },
        'GET /never': { http: `${t}/never`, timeoutInMillis: 50 },
        'GET /chunked': { http: `${t}/chunked` },
        'GET /huge': { http: `${t}/huge` },
        $default: { http: `${t}/fallback` },
      },
    });
    gw = await startGateway(config);
  });
  after(async () => {
    for (const res of held) res.end();
    await gw.close();
    target.close();
  });

  test('path variables, query string, body and headers reach the target; its answer comes back', async () => {
    const reply = await send(gw.port, {
      method: 'POST',
      path: '/dev/legacy/a%20b/c.txt?x=1&x=2',
      headers: {
        'x-custom': 'v',
        'content-type': 'text/plain',
        'x-forwarded-for': '203.0.113.5',
        forwarded: 'for=198.51.100.7;proto=https',
        via: '1.1 spoofed',
      },
      body: 'payload',
    });
    const request = seen.at(-1)!;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/base/a%20b/c.txt?x=1&x=2');
    assert.equal(request.body, 'payload');
    assert.equal(request.headers['x-custom'], 'v');
    assert.equal(request.headers['content-type'], 'text/plain');
    assert.equal(request.headers['x-forwarded-for'], '203.0.113.5, 127.0.0.1');
    assert.equal(request.headers['x-forwarded-proto'], 'http');
    assert.equal(request.headers['x-forwarded-port'], `${gw.port}`);
    assert.match(request.headers['x-amzn-trace-id'] as string, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    // As captured from an HTTP API: the original Host travels in Forwarded (the request's own is the target's).
    assert.equal(request.headers.forwarded, `by=127.0.0.1;for=127.0.0.1;host="127.0.0.1:${gw.port}";proto=http`);
    assert.equal(request.headers.via, 'HTTP/1.1 AmazonAPIGateway');

    assert.equal(reply.status, 201);
    assert.equal(reply.text, 'proxied POST /base/a%20b/c.txt?x=1&x=2');
    assert.equal(reply.headers['x-target'], 'yes');
    assert.deepEqual(reply.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(reply.headers['access-control-allow-origin'], '*', 'no CORS configuration: passed through');
    assert.equal(reply.headers['content-length'], `${reply.body.length}`);
    assert.match(reply.headers['apigw-requestid'] as string, REQUEST_ID);
    const sample = gw.samples.at(-1)!;
    assert.equal(sample.routeKey, 'ANY /legacy/{proxy+}');
    assert.equal(sample.status, 201);
    assert.equal(sample.integrationStatus, 201);
    assert.equal(sample.responseLength, reply.body.length);
    assert.equal(sample.functionName, undefined);
  });

  test('a stage variable in the URL, a fixed method and a fixed query merged with the request query', async () => {
    const reply = await send(gw.port, { method: 'POST', path: '/dev/forced/42?y=2' });
    assert.equal(reply.status, 201);
    assert.equal(seen.at(-1)!.method, 'PUT');
    assert.equal(seen.at(-1)!.url, '/items/42?fixed=1&y=2');
  });

  test('the $default route sends the full path to the integration', async () => {
    const reply = await send(gw.port, { path: '/dev/store/check%20out?z=1' });
    assert.equal(reply.status, 201);
    assert.equal(seen.at(-1)!.url, '/fallback/store/check%20out?z=1');
  });

  test('a target that refuses the connection: 500 {"message":"Internal Server Error"}', async () => {
    const reply = await send(gw.port, { path: '/dev/down' });
    assert.equal(reply.status, 500);
    assert.equal(reply.text, '{"message":"Internal Server Error"}');
  });

  test('a target slower than timeoutInMillis: 503 {"message":"Service Unavailable"}', async () => {
    const reply = await send(gw.port, { path: '/dev/never' });
    assert.equal(reply.status, 503);
    assert.equal(reply.text, '{"message":"Service Unavailable"}');
    assert.equal(reply.headers['content-type'], undefined);
  });

  test('an answer declaring more than 10 MB: 500 {"message":"Internal Server Error"}, as an over-size chunked one', async () => {
    const reply = await send(gw.port, { path: '/dev/huge' });
    assert.equal(reply.status, 500);
    assert.equal(reply.text, '{"message":"Internal Server Error"}');
  });

  test('a $default URL with its own query: the request path goes before it, the request query after', () => {
    const target = compileHttpTarget('http://backend.internal/root/?v=2', {}, true);
    assert.equal(target.url(undefined, '/a b/c', 'x=1'), 'http://backend.internal/root/a%20b/c?v=2&x=1');
    assert.equal(target.url(undefined, '/p', ''), 'http://backend.internal/root/p?v=2');
  });

  test('a chunked answer is collected and sent with a content-length', async () => {
    const reply = await send(gw.port, { path: '/dev/chunked' });
    assert.equal(reply.status, 200);
    assert.equal(reply.text, 'part1-part2');
    assert.equal(reply.headers['content-length'], '11');
    assert.equal(reply.headers['transfer-encoding'], undefined);
  });
});
