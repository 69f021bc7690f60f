// Random function responses, both payload formats: whatever a handler returns, the client gets one
// complete, well-formed HTTP answer (the mapped response or API Gateway's 500), never a cut connection.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { call, startConformance } from './harness.ts';
import { type RawAnswer, rawRequest } from './raw-http.ts';

let dev: DevServer;
before(async () => {
  dev = await startConformance();
});
after(() => dev.close());

const INTERNAL_ERROR = '{"message":"Internal Server Error"}';

const weirdText = fc
  .array(
    fc.constantFrom('a', 'Z', '0', ' ', ';', '=', ',', ':', '"', 'é', '€', '😀', '\r', '\n', '\0', '\t', '\u007f'),
    {
      maxLength: 10,
    },
  )
  .map((chars) => chars.join(''));
// Mostly what handlers really return, with the broken cases often enough to be met in every run.
const headerName = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), weight: 6 },
  { arbitrary: weirdText, weight: 1 },
);
const headerValue = fc.oneof(
  { arbitrary: fc.stringMatching(/^[ -~]{0,20}$/), weight: 6 },
  { arbitrary: weirdText, weight: 1 },
  { arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)), weight: 1 },
);
const statusCode = fc.oneof(
  { arbitrary: fc.integer({ min: 100, max: 599 }), weight: 6 },
  { arbitrary: fc.constantFrom(0, -1, 99, 600, 1000, 200.5, '201', 'abc', null, true), weight: 1 },
);
const body = fc.oneof(fc.constant(undefined), weirdText, fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }));
const responseShape = fc.record(
  {
    statusCode,
    headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
    multiValueHeaders: fc.dictionary(headerName, fc.array(headerValue, { maxLength: 3 }), { maxKeys: 3 }),
    cookies: fc.array(
      fc.oneof(
        { arbitrary: fc.stringMatching(/^[a-z]{1,5}=[a-z0-9]{0,5}$/), weight: 4 },
        { arbitrary: weirdText, weight: 1 },
      ),
      { maxLength: 3 },
    ),
    body,
    isBase64Encoded: fc.oneof(
      { arbitrary: fc.boolean(), weight: 4 },
      { arbitrary: fc.constantFrom('true', 1), weight: 1 },
    ),
  },
  { requiredKeys: ['statusCode'] },
);
const returned = fc.oneof(
  { arbitrary: responseShape, weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

function post(path: string, value: unknown): Promise<RawAnswer> {
  const payload = Buffer.from(JSON.stringify({ return: value }), 'utf8');
  const head = `POST /dev${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\nConnection: close\r\n\r\n`;
  return rawRequest(dev.port, Buffer.concat([Buffer.from(head), payload]));
}

const header = (answer: RawAnswer, name: string) => answer.headers.find(([n]) => n === name)?.[1];

function wellFormed(answer: RawAnswer, value: unknown): void {
  const shown = JSON.stringify(value);
  assert.ok(answer.status >= 200 && answer.status <= 599, `status ${answer.status} for ${shown}`);
  assert.ok(header(answer, 'apigw-requestid'), `no apigw-requestid for ${shown}`);
  const length = header(answer, 'content-length');
  if (answer.status === 204 || answer.status === 304) {
    assert.equal(answer.body, '', `a body on ${answer.status}`);
    assert.equal(length, undefined, `content-length on ${answer.status}`);
  } else {
    // rawRequest reads the body as Latin-1: one character per byte, so its length is the byte count.
    assert.equal(Number(length), answer.body.length, `content-length for ${shown}`);
  }
  const declared =
    typeof value === 'object' && value !== null && 'statusCode' in value
      ? (value as { statusCode: unknown }).statusCode
      : undefined;
  // A 500 the function did not ask for is API Gateway's own, with its body.
  if (answer.status === 500 && declared !== 500) assert.equal(answer.body, INTERNAL_ERROR, `500 body for ${shown}`);
}

describe('random function responses (fast-check, 200 runs per format)', () => {
  for (const [format, path] of [
    ['2.0', '/respond'],
    ['1.0', '/v1/respond'],
  ] as const) {
    test(`payload ${format}: every response becomes one well-formed answer`, async () => {
      await fc.assert(
        fc.asyncProperty(returned, async (value) => {
          wellFormed(await post(path, value), value);
        }),
        { numRuns: 200 },
      );
      assert.equal((await call(`${dev.url}/echo`)).status, 200, 'still serving');
    });
  }

  test('a well-formed response is sent exactly as given', async () => {
    const plainHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z]{1,8}$/), fc.stringMatching(/^[!-~]{1,12}$/), {
      maxKeys: 3,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304),
        plainHeaders,
        fc.string({ maxLength: 40 }),
        async (status, headers, text) => {
          const answer = await post('/respond', { statusCode: status, headers, body: text });
          assert.equal(answer.status, status);
          for (const [name, value] of Object.entries(headers)) assert.equal(header(answer, name), value);
          assert.equal(Buffer.from(answer.body, 'latin1').toString('utf8'), text);
        },
      ),
      { numRuns: 100 },
    );
  });
});
