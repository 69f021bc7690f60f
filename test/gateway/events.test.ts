import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatClfTime } from '../../src/aws/clf-time.ts';
import { buildEventV1 } from '../../src/gateway/event-v1.ts';
import { buildEventV2 } from '../../src/gateway/event-v2.ts';
import { nextRequestId, nextTraceId } from '../../src/gateway/ids.ts';
import {
  type ApiContext,
  decodePath,
  encodeBody,
  type GatewayRequest,
  isTextMediaType,
  type MatchedRoute,
  parseQuery,
  splitTarget,
} from '../../src/gateway/request.ts';
import { REQUEST_ID } from './helpers.ts';

const fixtures = fileURLToPath(new URL('../fixtures/events/', import.meta.url));

interface Vector {
  description: string;
  request: Omit<GatewayRequest, 'body'> & { body: { utf8: string } | { base64: string } | null };
  route: MatchedRoute;
  api: ApiContext;
  expected: unknown;
}

function load(prefix: string): [string, Vector][] {
  return readdirSync(fixtures)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(fixtures + f, 'utf8')) as Vector]);
}

function requestOf(vector: Vector): GatewayRequest {
  const body = vector.request.body;
  return {
    ...vector.request,
    body: body === null ? undefined : 'utf8' in body ? Buffer.from(body.utf8) : Buffer.from(body.base64, 'base64'),
  };
}

/** What Lambda receives is the JSON text, so compare through it (absent fields stay absent). */
function asLambdaSeesIt(event: unknown): unknown {
  return JSON.parse(JSON.stringify(event));
}

describe('payload format 2.0 vectors', () => {
  const vectors = load('v2-');
  test('there are vectors', () => assert.equal(vectors.length, 4));
  for (const [file, vector] of vectors) {
    test(`${file}: ${vector.description}`, () => {
      assert.deepEqual(asLambdaSeesIt(buildEventV2(requestOf(vector), vector.route, vector.api)), vector.expected);
    });
  }
});

describe('payload format 1.0 vectors', () => {
  const vectors = load('v1-');
  test('there are vectors', () => assert.equal(vectors.length, 2));
  for (const [file, vector] of vectors) {
    test(`${file}: ${vector.description}`, () => {
      assert.deepEqual(asLambdaSeesIt(buildEventV1(requestOf(vector), vector.route, vector.api)), vector.expected);
    });
  }
});

describe('header and parameter names that exist on Object.prototype stay data', () => {
  const request: GatewayRequest = {
    method: 'GET',
    rawPath: '/',
    rawQueryString: '__proto__=x&constructor=y&toString=1&toString=2',
    rawHeaders: ['__proto__', 'h', 'constructor', 'c1', 'Constructor', 'c2', 'toString', 't'],
    protocol: 'HTTP/1.1',
    body: undefined,
    sourceIp: '127.0.0.1',
    port: 1,
    requestId: 'r',
    timeEpoch: 0,
    traceId: 't',
  };
  const route: MatchedRoute = { routeKey: '$default', resourcePath: '$default', pathParameters: undefined };
  const api: ApiContext = {
    accountId: 'a',
    apiId: 'b',
    domainName: 'c',
    domainPrefix: 'b',
    stage: '$default',
    stageVariables: undefined,
  };
  test('2.0', () => {
    const event = JSON.parse(JSON.stringify(buildEventV2(request, route, api)));
    assert.equal(Object.getOwnPropertyDescriptor(event.headers, '__proto__')?.value, 'h');
    assert.equal(event.headers.constructor, 'c1,c2');
    assert.equal(event.headers.tostring, 't');
    assert.deepEqual(event.queryStringParameters, JSON.parse('{"__proto__":"x","constructor":"y","toString":"1,2"}'));
  });
  test('1.0', () => {
    const event = JSON.parse(JSON.stringify(buildEventV1(request, route, api)));
    assert.equal(Object.getOwnPropertyDescriptor(event.headers, '__proto__')?.value, 'h');
    assert.equal(event.headers.constructor, 'c2');
    assert.deepEqual(event.multiValueHeaders.constructor, ['c1', 'c2']);
    assert.deepEqual(
      event.multiValueQueryStringParameters,
      JSON.parse('{"__proto__":["x"],"constructor":["y"],"toString":["1","2"]}'),
    );
    assert.equal(event.queryStringParameters.toString, '2');
  });
});

describe('body: text or base64 by content-type', () => {
  const cases: [contentType: string | undefined, text: boolean][] = [
    ['text/plain', true],
    ['text/html; charset=utf-8', true],
    ['TEXT/CSV', true],
    ['application/json', true],
    ['application/json; charset=UTF-8', true],
    ['application/xml', true],
    ['application/javascript', true],
    ['application/vnd.api+json', true],
    ['application/atom+xml', true],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    ['application/octet-stream', false],
    ['image/png', false],
    ['application/jsonx', false],
    ['', false],
    [undefined, false],
  ];
  for (const [contentType, text] of cases) {
    test(`${JSON.stringify(contentType)} → ${text ? 'text' : 'base64'}`, () => {
      assert.equal(isTextMediaType(contentType), text);
      assert.deepEqual(
        encodeBody(Buffer.from('hé'), contentType),
        text ? { body: 'hé', isBase64Encoded: false } : { body: 'aMOp', isBase64Encoded: true },
      );
    });
  }
  test('an empty body is absent and not base64', () => {
    assert.deepEqual(encodeBody(Buffer.alloc(0), 'image/png'), { body: undefined, isBase64Encoded: false });
    assert.deepEqual(encodeBody(undefined, undefined), { body: undefined, isBase64Encoded: false });
  });
});

describe('URL parsing', () => {
  const targets: [string, [string, string]][] = [
    ['/a/b?x=1&y', ['/a/b', 'x=1&y']],
    ['/a?', ['/a', '']],
    ['/a', ['/a', '']],
    ['/a?b?c', ['/a', 'b?c']],
    ['http://example.com/p/q?z=1', ['/p/q', 'z=1']],
    ['*', ['*', '']],
  ];
  for (const [target, expected] of targets) {
    test(`splitTarget(${target})`, () => assert.deepEqual(splitTarget(target), expected));
  }
  const paths: [string, string][] = [
    ['/a%20b', '/a b'],
    ['/a%2Fb', '/a/b'],
    ['/a+b', '/a+b'],
    ['/%E2%82%AC', '/€'],
    ['/bad%zz', '/bad%zz'],
    ['/plain', '/plain'],
  ];
  for (const [raw, decoded] of paths) {
    test(`decodePath(${raw})`, () => assert.equal(decodePath(raw), decoded));
  }
  test('parseQuery decodes, keeps order and repeats, treats + as space', () => {
    assert.deepEqual(parseQuery('a=1&b=x+y&a=%2B2&&c&d=&e=%zz&=v'), [
      ['a', '1'],
      ['b', 'x y'],
      ['a', '+2'],
      ['c', ''],
      ['d', ''],
      ['e', '%zz'],
      ['', 'v'],
    ]);
    assert.deepEqual(parseQuery(''), []);
  });
});

describe('ids and times', () => {
  test('request ids look like HTTP API ids and do not repeat', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const id = nextRequestId();
      assert.match(id, REQUEST_ID);
      ids.add(id);
    }
    assert.equal(ids.size, 20_000);
  });
  test('trace ids: Root=1-{8 hex epoch seconds}-{24 hex}', () => {
    const a = nextTraceId(1583348638390);
    const b = nextTraceId(1583348638390);
    assert.match(a, /^Root=1-5e5ffb9e-[0-9a-f]{24}$/);
    assert.notEqual(a, b);
  });
  test('CLF time in UTC with zero padding', () => {
    assert.equal(formatClfTime(Date.UTC(2026, 10, 23, 23, 42, 45)), '23/Nov/2026:23:42:45 +0000');
    assert.equal(formatClfTime(Date.UTC(2020, 0, 5, 3, 4, 5, 999)), '05/Jan/2020:03:04:05 +0000');
  });
});
