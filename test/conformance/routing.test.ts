// Route selection and stages (reference: "Routes and selection"), through a real gantry dev.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { call, echoed, startConformance } from './harness.ts';

let dev: DevServer;
before(async () => {
  dev = await startConformance();
});
after(() => dev.close());

describe('route selection', () => {
  const cases: [string, string, string][] = [
    ['GET', '/items/special', 'GET /items/special'],
    ['GET', '/items/other', 'GET /items/{id}'],
    ['GET', '/things/1', 'GET /things/{id}'],
    ['DELETE', '/things/1', 'ANY /things/{id}'],
    ['POST', '/things/1', 'ANY /things/{id}'],
    ['GET', '/files/a', 'GET /files/{path+}'],
    ['GET', '/files/a/b/c', 'GET /files/{path+}'],
  ];
  for (const [method, path, routeKey] of cases) {
    test(`${method} ${path} → ${routeKey}`, async () => {
      const event = await echoed(`${dev.url}${path}`, { method });
      assert.equal(event.routeKey, routeKey);
    });
  }

  test('no match and no $default → 404 {"message":"Not Found"}', async () => {
    const answer = await call(`${dev.url}/missing/route`);
    assert.equal(answer.status, 404);
    assert.equal(answer.text, '{"message":"Not Found"}');
    assert.equal(answer.headers.get('content-type'), 'application/json');
  });

  test('a method with no route on a known path → 404', async () => {
    const answer = await call(`${dev.url}/echo`, { method: 'DELETE' });
    assert.equal(answer.status, 404);
  });

  test('matching is case-sensitive', async () => {
    assert.equal((await call(`${dev.url}/ECHO`)).status, 404);
  });

  test('a path outside the named stage → 404', async () => {
    assert.equal((await call(`http://127.0.0.1:${dev.port}/echo`)).status, 404);
    assert.equal((await call(`http://127.0.0.1:${dev.port}/other/echo`)).status, 404);
  });
});

describe('$default route and $default stage', () => {
  let root: DevServer;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-default-'));
    writeFileSync(
      join(dir, 'fn.mjs'),
      'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ event }) });\n',
    );
    writeFileSync(
      join(dir, 'api.config.mjs'),
      `export default { name: 'default-api', functions: { fn: { handler: 'fn.handler' } },
         routes: { '$default': 'fn', 'GET /known': 'fn' } };\n`,
    );
    root = await startConformance(undefined, join(dir, 'api.config.mjs'));
  });
  after(() => root.close());

  test('the $default stage serves at the root, rawPath has no stage prefix', async () => {
    const event = await echoed(`${root.url}/known`);
    assert.equal(event.routeKey, 'GET /known');
    assert.equal(event.rawPath, '/known');
    assert.equal(event.requestContext.stage, '$default');
    assert.equal('stageVariables' in event, false);
  });

  test('$default catches everything unmatched', async () => {
    const event = await echoed(`${root.url}/anything/at/all`, { method: 'PATCH' });
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/anything/at/all');
  });
});
