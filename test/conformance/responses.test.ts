// How API Gateway turns a Lambda response into an HTTP response (reference: "Lambda response → HTTP response").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { call, startConformance } from './harness.ts';
import { rawRequest } from './raw-http.ts';

let dev: DevServer;
before(async () => {
  dev = await startConformance();
});
after(() => dev.close());

/** Makes the `respond` function return `value`, through payload format `version`. */
function respond(value: unknown, version: '2.0' | '1.0' = '2.0') {
  return call(`${dev.url}${version === '1.0' ? '/v1' : ''}/respond`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ return: value }),
  });
}

const INTERNAL_ERROR = '{"message":"Internal Server Error"}';

describe('format 2.0 responses', () => {
  test('statusCode, headers and body are used as given', async () => {
    const answer = await respond({
      statusCode: 201,
      headers: { 'x-a': '1', 'content-type': 'text/html' },
      body: '<p>hi</p>',
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.headers.get('x-a'), '1');
    assert.equal(answer.headers.get('content-type'), 'text/html');
    assert.equal(answer.text, '<p>hi</p>');
  });

  test('a statusCode response without content-type is sent as text/plain; charset=utf-8', async () => {
    const answer = await respond({ statusCode: 200, body: 'plain' });
    assert.equal(answer.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(answer.text, 'plain');
  });

  test('a non-ASCII header value goes out as its UTF-8 bytes (a filename in Content-Disposition)', async () => {
    const disposition = 'attachment; filename="中文 é.pdf"';
    const answer = await respond({ statusCode: 200, headers: { 'content-disposition': disposition }, body: 'pdf' });
    assert.equal(answer.status, 200);
    // fetch exposes header bytes as Latin-1 code units: decode them back as UTF-8.
    assert.equal(Buffer.from(answer.headers.get('content-disposition') ?? '', 'latin1').toString('utf8'), disposition);
    assert.equal(answer.text, 'pdf');
  });

  for (const status of [204, 304]) {
    test(`a ${status} carries no body and no content-length, whatever body the function gave`, async () => {
      const answer = await rawRequest(
        dev.port,
        `POST /dev/respond HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${
          JSON.stringify({ return: { statusCode: status, body: 'ignored' } }).length
        }\r\n\r\n${JSON.stringify({ return: { statusCode: status, body: 'ignored' } })}`,
      );
      assert.equal(answer.status, status);
      assert.equal(answer.body, '');
      assert.equal(
        answer.headers.find(([name]) => name === 'content-length'),
        undefined,
        JSON.stringify(answer.headers),
      );
      assert.ok(answer.headers.find(([name]) => name === 'apigw-requestid'));
    });
  }

  test('cookies become one Set-Cookie header each', async () => {
    const answer = await respond({ statusCode: 200, cookies: ['a=1; Path=/; HttpOnly', 'b=2'], body: '' });
    assert.deepEqual(answer.headers.getSetCookie(), ['a=1; Path=/; HttpOnly', 'b=2']);
  });

  test('isBase64Encoded: the body is decoded to the exact bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 127, 128, 255]);
    const answer = await respond({
      statusCode: 200,
      isBase64Encoded: true,
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes.toString('base64'),
    });
    assert.deepEqual(answer.bytes, bytes);
    assert.equal(answer.headers.get('content-length'), String(bytes.length));
  });

  const inferred: [string, unknown, string][] = [
    ['a string is sent unwrapped', 'hi', 'hi'],
    ['a number as its JSON text', 42, '42'],
    ['an object without statusCode as JSON', { a: 1, b: [true] }, '{"a":1,"b":[true]}'],
    ['an array as JSON', [1, 2], '[1,2]'],
  ];
  for (const [name, value, body] of inferred) {
    test(`inferred 200 application/json: ${name}`, async () => {
      const answer = await respond(value);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('content-type'), 'application/json');
      assert.equal(answer.text, body);
    });
  }

  const malformed: [string, unknown][] = [
    ['statusCode 0', { statusCode: 0, body: 'x' }],
    ['a fractional statusCode', { statusCode: 200.5, body: 'x' }],
    ['a statusCode that is not a number', { statusCode: 'abc', body: 'x' }],
    ['a body that is not a string', { statusCode: 200, body: { a: 1 } }],
    // 1xx is never a final answer: sent as such, the client would wait forever.
    ['statusCode 100', { statusCode: 100, body: 'x' }],
    ['statusCode 101', { statusCode: 101, body: 'x' }],
    // What HTTP cannot carry: a name that is not a token, a value with CR/LF or NUL.
    ['a header name with a space', { statusCode: 200, headers: { 'bad name': 'a' }, body: 'x' }],
    ['a header value with a line break', { statusCode: 200, headers: { 'x-a': 'one\r\nx-injected: 1' }, body: 'x' }],
    ['a header value with NUL', { statusCode: 200, headers: { 'x-a': 'a\u0000b' }, body: 'x' }],
    ['a cookie with a line break', { statusCode: 200, cookies: ['a=1\nb=2'], body: 'x' }],
  ];
  for (const [name, value] of malformed) {
    test(`malformed response (${name}) → 500 Internal Server Error`, async () => {
      const answer = await respond(value);
      assert.equal(answer.status, 500);
      assert.equal(answer.text, INTERNAL_ERROR);
      assert.equal(answer.headers.get('content-type'), 'application/json');
    });
  }
});

describe('format 1.0 responses', () => {
  test('multiValueHeaders are honoured', async () => {
    const answer = await respond({ statusCode: 202, multiValueHeaders: { 'x-m': ['a', 'b'] }, body: 'ok' }, '1.0');
    assert.equal(answer.status, 202);
    assert.equal(answer.headers.get('x-m'), 'a, b');
    assert.equal(answer.text, 'ok');
  });

  test('headers and multiValueHeaders are merged into one list, a value given in both once', async () => {
    const answer = await respond(
      {
        statusCode: 200,
        headers: { 'X-A': 'h', 'x-b': 'same' },
        multiValueHeaders: { 'x-a': ['m1', 'm2'], 'X-B': ['same', 'other'] },
        body: 'ok',
      },
      '1.0',
    );
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-a'), 'm1, m2, h');
    assert.equal(answer.headers.get('x-b'), 'same, other');
  });

  test('a header value with a line break → 500 Internal Server Error', async () => {
    const answer = await respond({ statusCode: 200, multiValueHeaders: { 'x-a': ['ok', 'a\nb'] }, body: 'x' }, '1.0');
    assert.equal(answer.status, 500);
    assert.equal(answer.text, INTERNAL_ERROR);
  });

  test('a 1.0 response must have a statusCode', async () => {
    const answer = await respond({ body: 'no status' }, '1.0');
    assert.equal(answer.status, 500);
    assert.equal(answer.text, INTERNAL_ERROR);
  });
});

describe('headers on every answer', () => {
  for (const [name, path] of [
    ['a function response', '/echo'],
    ['a 404', '/nowhere'],
    ['a 500', '/fail'],
  ] as const) {
    test(`${name} carries apigw-requestid, date and content-length`, async () => {
      const answer = await call(`${dev.url}${path}`);
      assert.ok(answer.headers.get('apigw-requestid'), 'apigw-requestid');
      assert.ok(!Number.isNaN(Date.parse(answer.headers.get('date') ?? '')), 'date');
      assert.equal(answer.headers.get('content-length'), String(answer.bytes.length));
    });
  }
});
