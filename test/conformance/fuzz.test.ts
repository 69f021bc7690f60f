// Random requests through real HTTP: whatever a client sends, gantry dev answers with a well-formed
// API Gateway answer, never a crash or a 5xx of its own, and the echo function sees what was sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { call, startConformance } from './harness.ts';
import { type RawAnswer, rawRequest } from './raw-http.ts';

let dev: DevServer;
let port: number;
before(async () => {
  dev = await startConformance();
  port = Number(new URL(dev.url).port);
});
after(() => dev.close());

// Characters a client may put in a request target, percent signs (valid or not) and UTF-8 included.
const targetChar = fc.constantFrom(
  ..."abcXYZ019-._~!$&'()*+,;=:@".split(''),
  '%',
  '%20',
  '%2F',
  '%25',
  '%zz',
  '%e2%82%ac',
  '%e2%82',
  '%ff',
  'é',
  '€',
  '😀',
  '..',
);
const segment = fc.array(targetChar, { minLength: 0, maxLength: 6 }).map((chars) => chars.join(''));
const routePrefix = fc.constantFrom(
  '/dev/echo',
  '/dev/items/',
  '/dev/things/',
  '/dev/files/',
  '/dev/v1/echo/',
  '/dev/',
  '/',
  '/other/',
);
const path = fc
  .tuple(routePrefix, fc.array(segment, { maxLength: 3 }))
  .map(([prefix, segments]) => prefix + segments.join('/'));
const queryChar = fc.constantFrom(...'ab01=&+;,-_.~!*'.split(''), '%', '%26', '%3D', '%zz', '%e2%82%ac', 'é', ' ');
const query = fc.option(
  fc.array(queryChar, { maxLength: 12 }).map((chars) => chars.join('').replaceAll(' ', '%20')),
  { nil: undefined },
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'X-CUSTOM');
const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,12}$/);
const headerValue = fc
  .array(fc.constantFrom(...'abc XYZ 019;=/"\'()'.split(''), 'é', '€'), { maxLength: 16 })
  .map((chars) => chars.join('').trim());
const headers = fc.array(fc.tuple(headerName, headerValue), { maxLength: 5 });
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'text/plain; charset=utf-8',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'image/png',
  'nonsense',
);
const body = fc.option(fc.uint8Array({ maxLength: 256 }), { nil: undefined });

interface Sent {
  method: string;
  target: string;
  headers: [string, string][];
  contentType: string | undefined;
  body: Uint8Array | undefined;
}

function encode(request: Sent): Buffer {
  const lines = [`${request.method} ${request.target} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  if (request.contentType) lines.push(`Content-Type: ${request.contentType}`);
  if (request.body) lines.push(`Content-Length: ${request.body.length}`);
  lines.push('Connection: close', '', '');
  // Header values go out as UTF-8 bytes, as a client sending non-ASCII would.
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), Buffer.from(request.body ?? [])]);
}

const header = (answer: RawAnswer, name: string) => answer.headers.find(([n]) => n === name)?.[1];

describe('random requests (fast-check, 300 runs)', () => {
  test('every request gets a well-formed answer from the gateway or the function, never a crash or a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, query, headers, contentType, body, async (m, p, q, h, ct, b) => {
        const sent: Sent = {
          method: m,
          target: q === undefined ? p : `${p}?${q}`,
          headers: h,
          contentType: ct,
          body: b,
        };
        const answer = await rawRequest(port, encode(sent));
        // 200 from the echo function, 204 for a preflight, 400 for what HTTP itself refuses, 404 for no route.
        assert.ok(
          [200, 204, 400, 404].includes(answer.status),
          `status ${answer.status} for ${sent.method} ${sent.target}: ${answer.body}`,
        );
        if (answer.status !== 400) assert.ok(header(answer, 'apigw-requestid'), 'an apigw-requestid header');
        // A 400 answers a request HTTP could not parse, whose method nobody knows for sure.
        if (m === 'HEAD' && answer.status !== 400) {
          assert.equal(answer.body, '', 'no body after a HEAD');
          return;
        }
        if (m === 'HEAD') return;
        if (answer.status === 404) assert.equal(answer.body, '{"message":"Not Found"}');
        if (answer.status !== 200) return;
        const { event } = JSON.parse(Buffer.from(answer.body, 'latin1').toString('utf8'));
        const httpMethod = event.version === '1.0' ? event.httpMethod : event.requestContext.http.method;
        assert.equal(httpMethod, m);
        if (event.version === '2.0') {
          // API Gateway passes the query string on as the client sent it.
          assert.equal(event.rawQueryString, q ?? '');
          for (const [name, value] of h) {
            const seen: string = event.headers[name];
            assert.ok(
              seen?.split(',').includes(value),
              `header ${name}: ${JSON.stringify(value)} arrived as ${JSON.stringify(seen)}`,
            );
          }
          if (b && b.length > 0) {
            // Text media types arrive as UTF-8 text, everything else base64-encoded: either way, the bytes sent.
            if (event.isBase64Encoded) assert.deepEqual(Buffer.from(event.body, 'base64'), Buffer.from(b));
            else assert.equal(event.body, Buffer.from(b).toString('utf8'));
          } else assert.equal(event.body, undefined);
        }
      }),
      { numRuns: 300 },
    );
    assert.equal((await call(`${dev.url}/echo`)).status, 200, 'still serving');
  });
});
