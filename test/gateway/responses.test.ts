import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorForOutcome, GATEWAY_ERRORS, lambdaIntegrationStatus } from '../../src/gateway/errors.ts';
import type { GatewayResponse } from '../../src/gateway/response.ts';
import { mapResponseV1 } from '../../src/gateway/response-v1.ts';
import { mapResponseV2 } from '../../src/gateway/response-v2.ts';
import type { InvokeOutcome } from '../../src/runtime/types.ts';

interface Expected {
  statusCode: number;
  headers: string[];
  body: string | Buffer;
  errorMessage?: string;
}

const JSON_TYPE = ['content-type', 'application/json'];
const TEXT_TYPE = ['content-type', 'text/plain; charset=utf-8'];
const ISE: Expected = {
  statusCode: 500,
  headers: JSON_TYPE,
  body: '{"message":"Internal Server Error"}',
  errorMessage: 'Internal Server Error',
};

function normalized(response: GatewayResponse): Expected {
  const body = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
  const out: Expected = { statusCode: response.statusCode, headers: response.headers, body };
  if (response.errorMessage !== undefined) out.errorMessage = response.errorMessage;
  return out;
}

function expect(expected: Expected): Expected {
  return { ...expected, body: Buffer.isBuffer(expected.body) ? expected.body : Buffer.from(expected.body) };
}

/** `payload` is what the handler returned; Lambda hands the gateway its JSON text. */
type Case = [name: string, payload: unknown, expected: Expected];

describe('payload 2.0 response mapping', () => {
  const cases: Case[] = [
    ['a string is sent unwrapped as JSON', 'hi', { statusCode: 200, headers: JSON_TYPE, body: 'hi' }],
    [
      'an object without statusCode is the body',
      { message: 'x' },
      { statusCode: 200, headers: JSON_TYPE, body: '{"message":"x"}' },
    ],
    ['a number', 42, { statusCode: 200, headers: JSON_TYPE, body: '42' }],
    ['null (a handler returning nothing)', null, { statusCode: 200, headers: JSON_TYPE, body: 'null' }],
    ['an array', [1, 2], { statusCode: 200, headers: JSON_TYPE, body: '[1,2]' }],
    ['a string mentioning statusCode', 'statusCode', { statusCode: 200, headers: JSON_TYPE, body: 'statusCode' }],
    [
      'statusCode nested deeper does not count',
      { data: { statusCode: 1 } },
      { statusCode: 200, headers: JSON_TYPE, body: '{"data":{"statusCode":1}}' },
    ],
    [
      'statusCode with no content-type gets text/plain',
      { statusCode: 201, body: 'created' },
      { statusCode: 201, headers: TEXT_TYPE, body: 'created' },
    ],
    ['no body is an empty body', { statusCode: 204 }, { statusCode: 204, headers: TEXT_TYPE, body: '' }],
    [
      'a null body is an empty body',
      { statusCode: 200, body: null },
      { statusCode: 200, headers: TEXT_TYPE, body: '' },
    ],
    [
      'headers are lower-cased; numbers and booleans become text; content-type kept',
      {
        statusCode: 200,
        headers: { 'Content-Type': 'application/json', 'X-A': 'b', 'x-n': 5, 'x-b': true },
        body: '{}',
      },
      {
        statusCode: 200,
        headers: ['content-type', 'application/json', 'x-a', 'b', 'x-n', '5', 'x-b', 'true'],
        body: '{}',
      },
    ],
    [
      'each cookie becomes one set-cookie',
      { statusCode: 200, cookies: ['a=1; Path=/', 'b=2'], headers: { 'content-type': 'text/html' }, body: '<p>' },
      {
        statusCode: 200,
        headers: ['content-type', 'text/html', 'set-cookie', 'a=1; Path=/', 'set-cookie', 'b=2'],
        body: '<p>',
      },
    ],
    [
      'headers the gateway owns are dropped',
      {
        statusCode: 200,
        headers: { 'content-length': '999', Date: 'x', connection: 'close', 'x-ok': '1' },
        body: 'ab',
      },
      { statusCode: 200, headers: ['x-ok', '1', ...TEXT_TYPE], body: 'ab' },
    ],
    [
      'isBase64Encoded sends the decoded bytes',
      { statusCode: 200, headers: { 'content-type': 'image/png' }, body: 'AAEC/w==', isBase64Encoded: true },
      { statusCode: 200, headers: ['content-type', 'image/png'], body: Buffer.from([0, 1, 2, 255]) },
    ],
    [
      'isBase64Encoded false keeps the text',
      { statusCode: 200, body: 'AAEC/w==', isBase64Encoded: false },
      { statusCode: 200, headers: TEXT_TYPE, body: 'AAEC/w==' },
    ],
    ['statusCode 0', { statusCode: 0, body: 'x' }, ISE],
    ['statusCode 99', { statusCode: 99 }, ISE],
    ['statusCode 600', { statusCode: 600 }, ISE],
    ['fractional statusCode', { statusCode: 200.5 }, ISE],
    ['statusCode as a string', { statusCode: '200' }, ISE],
    ['statusCode null', { statusCode: null }, ISE],
    ['a non-string body', { statusCode: 200, body: 123 }, ISE],
    ['an object body', { statusCode: 200, body: { a: 1 } }, ISE],
    ['an object header value', { statusCode: 200, headers: { a: { b: 1 } } }, ISE],
    ['headers not an object', { statusCode: 200, headers: ['a'] }, ISE],
    ['cookies not an array', { statusCode: 200, cookies: 'a=1' }, ISE],
    ['a non-string cookie', { statusCode: 200, cookies: [1] }, ISE],
  ];
  for (const [name, payload, expected] of cases) {
    test(name, () => assert.deepEqual(normalized(mapResponseV2(JSON.stringify(payload))), expect(expected)));
  }
  test('a payload that is not JSON is a 500', () => {
    assert.deepEqual(normalized(mapResponseV2('{"statusCode":')), expect(ISE));
    assert.deepEqual(normalized(mapResponseV2('"unterminated')), expect(ISE));
  });
  test('leading whitespace does not hide a response description', () => {
    assert.deepEqual(
      normalized(mapResponseV2(' \n{"statusCode":202}')),
      expect({ statusCode: 202, headers: TEXT_TYPE, body: '' }),
    );
  });
});

describe('payload 1.0 response mapping', () => {
  const cases: Case[] = [
    [
      'statusCode and body; content-type defaults to JSON',
      { statusCode: 200, body: 'x' },
      { statusCode: 200, headers: JSON_TYPE, body: 'x' },
    ],
    [
      'headers and multiValueHeaders merge into one list per name; a value in both appears once',
      {
        statusCode: 302,
        headers: { 'X-A': '1', 'X-B': '2', Location: '/next', 'set-cookie': 'b=2' },
        multiValueHeaders: { 'x-a': ['m1', 'm2'], 'Set-Cookie': ['a=1', 'b=2'] },
      },
      {
        statusCode: 302,
        headers: [
          'x-a',
          'm1',
          'x-a',
          'm2',
          'x-a',
          '1',
          'set-cookie',
          'a=1',
          'set-cookie',
          'b=2',
          'x-b',
          '2',
          'location',
          '/next',
          ...JSON_TYPE,
        ],
        body: '',
      },
    ],
    [
      'a content-type of its own is kept',
      { statusCode: 200, headers: { 'Content-Type': 'text/csv' }, body: 'a,b' },
      { statusCode: 200, headers: ['content-type', 'text/csv'], body: 'a,b' },
    ],
    [
      'isBase64Encoded',
      { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: '/w==', isBase64Encoded: true },
      { statusCode: 200, headers: ['content-type', 'application/octet-stream'], body: Buffer.from([255]) },
    ],
    ['statusCode is required', { body: 'x' }, ISE],
    ['a string is not a 1.0 response', 'hi', ISE],
    ['null is not a 1.0 response', null, ISE],
    ['fractional statusCode', { statusCode: 201.1 }, ISE],
    ['a non-string body', { statusCode: 200, body: 5 }, ISE],
    ['multiValueHeaders values must be arrays', { statusCode: 200, multiValueHeaders: { a: 'b' } }, ISE],
  ];
  for (const [name, payload, expected] of cases) {
    test(name, () => assert.deepEqual(normalized(mapResponseV1(JSON.stringify(payload))), expect(expected)));
  }
});

describe("API Gateway's own answers", () => {
  const table: [keyof typeof GATEWAY_ERRORS, number, string, string | undefined][] = [
    ['badRequest', 400, '{"message":"Bad Request"}', 'application/json'],
    ['notFound', 404, '{"message":"Not Found"}', 'application/json'],
    ['requestTooLarge', 413, '{"message":"Request Entity Too Large"}', 'application/json'],
    ['tooManyRequests', 429, '{"message":"Too Many Requests"}', 'application/json'],
    ['internalError', 500, '{"message":"Internal Server Error"}', 'application/json'],
    ['serviceUnavailable', 503, '{"message":"Service Unavailable"}', undefined],
  ];
  for (const [key, status, body, contentType] of table) {
    test(`${key}: ${status} ${body}`, () => {
      const error = GATEWAY_ERRORS[key];
      assert.equal(error.status, status);
      assert.equal(error.body.toString(), body);
      assert.equal(error.contentType, contentType);
    });
  }

  const failures: [InvokeOutcome, number][] = [
    [{ status: 'function-error', errorType: 'Error', errorMessage: 'boom', stackTrace: [] }, 200],
    [{ status: 'timeout', timeoutSeconds: 3 }, 200],
    [{ status: 'runtime-crash', errorType: 'Runtime.ExitError', errorMessage: 'exit 1' }, 200],
    [{ status: 'init-error', errorType: 'Runtime.ImportModuleError', errorMessage: 'missing' }, 200],
    [{ status: 'response-too-large', sizeBytes: 7_000_000 }, 200],
    [{ status: 'throttled', reason: 'reserved-concurrency' }, 429],
  ];
  for (const [outcome, integrationStatus] of failures) {
    test(`${outcome.status} → 500 Internal Server Error (Lambda answered ${integrationStatus})`, () => {
      assert.equal(outcome.status === 'success' ? undefined : errorForOutcome(outcome), GATEWAY_ERRORS.internalError);
      assert.equal(lambdaIntegrationStatus(outcome), integrationStatus);
    });
  }
});
