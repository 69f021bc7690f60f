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

// Characters a client may put in a request target: percent signs (valid or not), UTF-8 mostly
// percent-encoded as clients send it, and now and then raw (which HTTP refuses with a 400).
const targetChar = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      ..."abcXYZ019-._~!$&'()*+,;=:@".split(''),
      '%',
      '%20',
      '%2F',
      '%25',
      '%zz',
      '%C3%A9',
      '%e2%82%ac',
      '%F0%9F%98%80',
      '%e2%82',
      '%ff',
      '..',
    ),
    weight: 20,
  },
  { arbitrary: fc.constantFrom('é', '€', '😀'), weight: 1 },
);
const segment = fc.array(targetChar, { minLength: 1, maxLength: 6 }).map((chars) => chars.join(''));
const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'X-CUSTOM');
// Mostly requests that reach the echo function (payload 2.0 and 1.0 routes), some that match nothing.
const methodAndPath = fc.oneof(
  {
    arbitrary: fc.tuple(
      anyMethod,
      segment.map((s) => `/dev/things/${s}`),
    ),
    weight: 3,
  },
  {
    arbitrary: fc.tuple(
      anyMethod,
      segment.map((s) => `/dev/v1/echo/${s}`),
    ),
    weight: 3,
  },
  { arbitrary: fc.tuple(fc.constantFrom('GET', 'POST'), fc.constant('/dev/echo')), weight: 2 },
  {
    arbitrary: fc.tuple(
      fc.constant('GET'),
      fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/dev/files/${s.join('/')}`),
    ),
    weight: 1,
  },
  {
    arbitrary: fc.tuple(
      anyMethod,
      fc
        .tuple(fc.constantFrom('/dev/', '/', '/other/', '/dev/items/'), fc.array(segment, { maxLength: 3 }))
        .map(([prefix, segments]) => prefix + segments.join('/')),
    ),
    weight: 2,
  },
);
const queryChar = fc.constantFrom(...'ab01=&+;,-_.~!*'.split(''), '%', '%26', '%3D', '%zz', '%e2%82%ac', '%C3%A9', ' ');
const query = fc.option(
  fc.array(queryChar, { maxLength: 12 }).map((chars) => chars.join('').replaceAll(' ', '%20')),
  { nil: undefined },
);
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
    const reached = { '2.0': 0, '1.0': 0, nonAscii: 0, bodies: 0 };
    await fc.assert(
      fc.asyncProperty(methodAndPath, query, headers, contentType, body, async ([m, p], q, h, ct, b) => {
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
        const v1 = event.version === '1.0';
        reached[v1 ? '1.0' : '2.0']++;
        if (h.some(([, value]) => /[é€]/.test(value))) reached.nonAscii++;
        assert.equal(v1 ? event.httpMethod : event.requestContext.http.method, m);
        // API Gateway passes the query string on as the client sent it (1.0 has only the decoded maps).
        if (!v1) assert.equal(event.rawQueryString, q ?? '');
        for (const [name, value] of h) {
          // 2.0 joins repeats with ","; 1.0 keeps the last in headers and every one in multiValueHeaders.
          const seen: string[] = v1 ? event.multiValueHeaders[name] : event.headers[name]?.split(',');
          assert.ok(
            seen?.includes(value),
            `header ${name}: ${JSON.stringify(value)} arrived as ${JSON.stringify(seen)}`,
          );
          if (v1) assert.equal(event.headers[name], h.filter(([n]) => n === name).at(-1)?.[1]);
        }
        if (b && b.length > 0) {
          reached.bodies++;
          // Text media types arrive as UTF-8 text, everything else base64-encoded: either way, the bytes sent.
          if (event.isBase64Encoded) assert.deepEqual(Buffer.from(event.body, 'base64'), Buffer.from(b));
          else assert.equal(event.body, Buffer.from(b).toString('utf8'));
        } else assert.ok(event.body === undefined || event.body === null, `body ${JSON.stringify(event.body)}`);
      }),
      { numRuns: 300 },
    );
    assert.equal((await call(`${dev.url}/echo`)).status, 200, 'still serving');
    // The generators must keep exercising the function, not only the gateway's refusals.
    const { '2.0': v2, '1.0': v1, nonAscii, bodies } = reached;
    assert.ok(v2 >= 60 && v1 >= 20 && nonAscii >= 20 && bodies >= 30, `coverage: ${JSON.stringify(reached)}`);
  });
});
