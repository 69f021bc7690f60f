/** Identity sources read as API Gateway reads them: one table of expressions against one request. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CONTEXT_IDENTITY_VARIABLES,
  compileIdentitySource,
  type IdentityView,
} from '../../src/gateway/authorizers/identity-source.ts';

const view: IdentityView = {
  headers: { authorization: 'Bearer abc', 'x-api-key': ['k1', 'k2'], empty: '' },
  rawQueryString: 'tenant=acme&tenant=beta&token=t%201&blank=',
  context: {
    routeKey: 'GET /a',
    stage: '$default',
    apiId: 'abcdefghij',
    accountId: '123456789012',
    domainName: 'abcdefghij.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'abcdefghij',
    requestId: 'r-1',
    httpMethod: 'GET',
    'identity.sourceIp': '127.0.0.1',
    'identity.userAgent': '',
  },
  stageVariables: { tier: 'dev' },
};

describe('compileIdentitySource', () => {
  const cases: [string, string | undefined][] = [
    ['$request.header.Authorization', 'Bearer abc'],
    ['$request.header.X-Api-Key', 'k1,k2'],
    ['$request.header.empty', undefined],
    ['$request.header.missing', undefined],
    ['$request.querystring.tenant', 'acme,beta'],
    ['$request.querystring.token', 't 1'],
    ['$request.querystring.blank', undefined],
    ['$request.querystring.Tenant', undefined],
    ['$context.routeKey', 'GET /a'],
    ['$context.identity.sourceIp', '127.0.0.1'],
    ['$context.identity.userAgent', undefined],
    ['$context.constructor', undefined],
    ['$stageVariables.tier', 'dev'],
    ['$stageVariables.toString', undefined],
  ];
  for (const [expression, expected] of cases) {
    test(`${expression} → ${expected === undefined ? 'missing' : JSON.stringify(expected)}`, () => {
      const read = compileIdentitySource(expression);
      assert.ok(read, `${expression} compiles`);
      assert.equal(read(view), expected);
    });
  }

  test('expressions outside the four forms do not compile', () => {
    for (const expression of ['$request.body.token', 'Authorization', '$context.', '$request.header.']) {
      assert.equal(compileIdentitySource(expression), undefined, expression);
    }
  });

  test('every $context variable gantry dev provides is read', () => {
    for (const name of CONTEXT_IDENTITY_VARIABLES) {
      const read = compileIdentitySource(`$context.${name}`)!;
      assert.equal(read(view), view.context[name] === '' ? undefined : view.context[name], name);
    }
  });
});
