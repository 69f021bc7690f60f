import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodePath } from '../../src/gateway/request.ts';
import { compileRouter } from '../../src/gateway/router.ts';
import { compileStage } from '../../src/gateway/stage.ts';
import { configOf } from './helpers.ts';

type Case = [method: string, path: string, routeKey: string | undefined, params?: Record<string, string>];

function routerFor(keys: string[]) {
  const config = configOf({ routes: Object.fromEntries(keys.map((key) => [key, 'hello'])) });
  return compileRouter(config.routes);
}

function runTable(name: string, keys: string[], cases: Case[]): void {
  describe(name, () => {
    const router = routerFor(keys);
    for (const [method, path, routeKey, params] of cases) {
      test(`${method} ${path} → ${routeKey ?? 'no match'}`, () => {
        const match = router.match(method, decodePath(path));
        assert.equal(match?.route.routeKey, routeKey);
        assert.deepEqual(match?.pathParameters, params);
      });
    }
  });
}

// The example table of AWS's "Routing API requests" (HTTP APIs), plus neighbours.
runTable(
  "AWS's documented routing example",
  ['GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}', '$default'],
  [
    ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
    ['POST', '/test/5', 'ANY /{proxy+}', { proxy: 'test/5' }],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}', { proxy: 'pets/dog/1' }],
    ['GET', '/pets', 'ANY /{proxy+}', { proxy: 'pets' }],
    ['GET', '/', '$default'],
    ['GET', '/pets%2Fdog%2F1', 'GET /pets/dog/1'],
    ['GET', '/pets%2fdog/a%20b', 'GET /pets/dog/{id}', { id: 'a b' }],
    ['GET', '/pets/dog/%E2%82%AC', 'GET /pets/dog/{id}', { id: '€' }],
  ],
);

runTable(
  'literal > variables > ANY; methods; case; trailing slash',
  [
    'GET /items',
    'POST /items',
    'ANY /items',
    'GET /items/{id}',
    'ANY /items/{id}',
    'GET /items/special',
    'GET /items/{id}/parts/{part}',
    'GET /{a}/b/c',
    'GET /a/{x}/{y}',
    'HEAD /head',
    'ANY /any',
    'GET /',
  ],
  [
    ['GET', '/items', 'GET /items'],
    ['POST', '/items', 'POST /items'],
    ['DELETE', '/items', 'ANY /items'],
    ['GET', '/items/7', 'GET /items/{id}', { id: '7' }],
    ['PUT', '/items/7', 'ANY /items/{id}', { id: '7' }],
    ['GET', '/items/special', 'GET /items/special'],
    ['POST', '/items/special', 'ANY /items/{id}', { id: 'special' }],
    ['GET', '/items/7/parts/9', 'GET /items/{id}/parts/{part}', { id: '7', part: '9' }],
    ['GET', '/a/b/c', 'GET /{a}/b/c', { a: 'a' }],
    ['GET', '/a/z/c', 'GET /a/{x}/{y}', { x: 'z', y: 'c' }],
    ['GET', '/', 'GET /'],
    ['GET', '/Items', undefined],
    ['GET', '/ITEMS/7', undefined],
    ['GET', '/items/', undefined],
    ['GET', '/items//parts/9', undefined],
    ['GET', '/items/7/', undefined],
    ['HEAD', '/head', 'HEAD /head'],
    ['GET', '/head', undefined],
    // HTTP APIs route HEAD as its own method: a GET route does not take it.
    ['HEAD', '/items', 'ANY /items'],
    ['HEAD', '/items/special', 'ANY /items/{id}', { id: 'special' }],
    ['HEAD', '/any', 'ANY /any'],
    ['OPTIONS', '/items/7', 'ANY /items/{id}', { id: '7' }],
    ['PATCH', '/nothing', undefined],
  ],
);

runTable(
  'greedy variables',
  [
    'GET /files/{proxy+}',
    'GET /files/{dir}/{proxy+}',
    'GET /files/public/{proxy+}',
    'ANY /files/{proxy+}',
    'GET /files/{name}',
  ],
  [
    ['GET', '/files/a', 'GET /files/{name}', { name: 'a' }],
    ['POST', '/files/a', 'ANY /files/{proxy+}', { proxy: 'a' }],
    ['GET', '/files/a/b/c', 'GET /files/{dir}/{proxy+}', { dir: 'a', proxy: 'b/c' }],
    ['GET', '/files/public/x', 'GET /files/public/{proxy+}', { proxy: 'x' }],
    ['GET', '/files/public/x/y.txt', 'GET /files/public/{proxy+}', { proxy: 'x/y.txt' }],
    ['POST', '/files/public/x', 'ANY /files/{proxy+}', { proxy: 'public/x' }],
    ['GET', '/files', undefined],
    ['GET', '/files/', undefined],
    ['GET', '/files/a%2Fb', 'GET /files/{dir}/{proxy+}', { dir: 'a', proxy: 'b' }],
    ['GET', '/files/dir/', 'GET /files/{proxy+}', { proxy: 'dir/' }],
  ],
);

runTable(
  '$default alone catches every method and path',
  ['$default'],
  [
    ['GET', '/', '$default'],
    ['DELETE', '/a/b/c', '$default'],
    ['OPTIONS', '/x', '$default'],
  ],
);

describe('stage prefix', () => {
  const cases: [stage: string, rawPath: string, routePath: string | undefined][] = [
    ['$default', '/', '/'],
    ['$default', '/dev/x', '/dev/x'],
    ['$default', '', '/'],
    ['dev', '/dev', '/'],
    ['dev', '/dev/', '/'],
    ['dev', '/dev/x/y', '/x/y'],
    ['dev', '/devtools', undefined],
    ['dev', '/x', undefined],
    ['dev', '/', undefined],
    ['dev', '/DEV/x', undefined],
  ];
  for (const [stage, rawPath, routePath] of cases) {
    test(`${stage}: ${JSON.stringify(rawPath)} → ${routePath ?? 'outside the stage'}`, () => {
      assert.equal(compileStage(stage).routePath(rawPath), routePath);
    });
  }
});
