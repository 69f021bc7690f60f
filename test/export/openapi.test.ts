/**
 * `gantry export openapi`: the document for the example, the full CDK fixture and the every-feature
 * fixture, in both forms, linted once by Redocly (recommended rules) and Spectral (spectral:oas).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { type ResolvedConfig, resolveConfig } from '../../src/config/index.ts';
import { exportOpenApi, serializeOpenApi } from '../../src/export/index.ts';
import { CONFIGS, type ConfigName, loadAll, runTool, tempDir } from './helpers.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed documents, asserted field by field
type Doc = Record<string, any>;
let configs: Record<ConfigName, ResolvedConfig>;
const docs: Record<string, Doc> = {};
let dir: string;
let files: string[];

before(async () => {
  configs = await loadAll();
  dir = tempDir('openapi');
  files = [];
  for (const [name, config] of Object.entries(configs))
    for (const portable of [false, true]) {
      const key = `${name}${portable ? '-portable' : ''}`;
      const { document } = exportOpenApi(config, { portable });
      const file = join(dir, `${key}.${portable ? 'json' : 'yaml'}`);
      writeFileSync(file, serializeOpenApi(document, file));
      docs[key] = document;
      files.push(file);
    }
  writeFileSync(join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n');
});

describe('OpenAPI validators (offline)', () => {
  test('redocly lint (recommended rules) finds no errors in any document', () => {
    const run = runTool('redocly', ['lint', ...files, '--format=json'], dir);
    // One JSON report per file, one after the other.
    const errors = [...run.stdout.matchAll(/"totals": \{\s*"errors": (\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(
      errors,
      files.map(() => 0),
      run.stdout,
    );
    assert.equal(run.status, 0, run.stderr);
  });

  test('spectral lint (spectral:oas) finds no errors in any document', () => {
    const run = runTool('spectral', ['lint', ...files, '-f', 'json', '--quiet'], dir);
    const results = JSON.parse(run.stdout || '[]') as { severity: number; code: string; message: string }[];
    assert.deepEqual(
      results.filter((r) => r.severity === 0).map((r) => `${r.code}: ${r.message}`),
      [],
    );
    assert.equal(run.status, 0, run.stderr);
  });
});

const operationsOf = (doc: Doc) =>
  Object.entries(doc.paths as Record<string, Record<string, Doc>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

describe('the AWS form', () => {
  test('one path item per route, API Gateway syntax kept: {proxy+}, $default, ANY', () => {
    const doc = docs.everyFeature;
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      '/',
      '/$default',
      '/files/{proxy+}',
      '/legacy/orders',
      '/mirror/{key}',
      '/reports/{year}/{month}',
      '/shared/{token}',
    ]);
    assert.ok(doc.paths['/files/{proxy+}']['x-amazon-apigateway-any-method']);
    // Undeclared: OpenAPI names cannot carry the "+", and the linters refuse both spellings.
    assert.equal(doc.paths['/files/{proxy+}']['x-amazon-apigateway-any-method'].parameters, undefined);
    assert.deepEqual(
      doc.paths['/reports/{year}/{month}'].get.parameters.map((p: Doc) => [p.name, p.in, p.required]),
      [
        ['year', 'path', true],
        ['month', 'path', true],
      ],
    );
  });

  test('stable, unique operationIds in getOrdersById style', () => {
    const ids = operationsOf(docs.example).map((o) => o.op.operationId);
    assert.deepEqual(ids, ['getOrders', 'postOrders', 'getOrdersById', 'deleteOrdersById', 'getHealth']);
    const all = operationsOf(docs.everyFeature).map((o) => o.op.operationId);
    assert.equal(new Set(all).size, all.length);
    assert.ok(
      all.includes('getReportsByYearByMonth') && all.includes('anyFilesByProxy') && all.includes('defaultRoute'),
    );
  });

  test('Lambda and HTTP integrations as x-amazon-apigateway-integration', () => {
    const doc = docs.everyFeature;
    assert.deepEqual(doc.paths['/shared/{token}'].get['x-amazon-apigateway-integration'], {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:api/invocations`,
      payloadFormatVersion: '1.0',
      timeoutInMillis: 2500,
      connectionType: 'INTERNET',
    });
    assert.deepEqual(doc.paths['/mirror/{key}'].put['x-amazon-apigateway-integration'], {
      type: 'http_proxy',
      httpMethod: 'POST',
      uri: 'https://mirror.example.com/objects/{key}?v=1',
      payloadFormatVersion: '1.0',
      timeoutInMillis: 30000,
      connectionType: 'INTERNET',
    });
  });

  test('JWT and request authorizers as security schemes; operations name them with their scopes', () => {
    const schemes = docs.everyFeature.components.securitySchemes;
    assert.deepEqual(schemes.staff, {
      type: 'openIdConnect',
      openIdConnectUrl: 'https://login.example.com/tenant/.well-known/openid-configuration',
      'x-amazon-apigateway-authorizer': {
        type: 'jwt',
        identitySource: '$request.header.Authorization',
        jwtConfiguration: { issuer: 'https://login.example.com/tenant', audience: ['staff-app', 'admin-app'] },
      },
    });
    assert.equal(schemes.links['x-amazon-apigateway-authorizer'].identitySource, '$request.querystring.token');
    assert.deepEqual(schemes.legacyKeys, {
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        identitySource: '$request.header.x-api-key, $context.sourceIp',
        authorizerUri:
          'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authorize/invocations',
        authorizerPayloadFormatVersion: '1.0',
        authorizerResultTtlInSeconds: 300,
      },
    });
    const get = docs.everyFeature.paths['/reports/{year}/{month}'].get;
    assert.deepEqual(get.security, [{ staff: ['reports:read', 'reports:admin'] }]);
    assert.deepEqual(docs.everyFeature.paths['/'].get.security, []);
  });

  test('CORS at the root as x-amazon-apigateway-cors', () => {
    assert.deepEqual(docs.full['x-amazon-apigateway-cors'], {
      allowOrigins: ['https://shop.example.com'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization'],
      exposeHeaders: [],
      allowCredentials: false,
      maxAge: 300,
    });
  });

  test('servers: the stage URL, or the custom domain', () => {
    assert.deepEqual(docs.everyFeature.servers, [
      {
        url: `https://${configs.everyFeature.apiId}.execute-api.us-east-1.amazonaws.com/live`,
        description: 'stage live',
      },
    ]);
    assert.equal(docs.example.servers[0].url, 'https://api.example.com');
  });
});

describe('the portable form', () => {
  test('no x-amazon-* anywhere, ANY expanded to every method, no $default', () => {
    const doc = docs['full-portable'];
    assert.doesNotMatch(JSON.stringify([doc, docs['everyFeature-portable']]), /x-amazon/);
    assert.equal(docs['everyFeature-portable'].paths['/$default'], undefined);
    assert.deepEqual(Object.keys(doc.paths['/legacy/{proxy}']), [
      'get',
      'post',
      'put',
      'patch',
      'delete',
      'head',
      'options',
    ]);
    assert.equal(doc.paths['/legacy/{proxy}'].post.parameters[0].name, 'proxy');
  });

  test('ANY stands for the methods not routed explicitly on the same path', () => {
    assert.deepEqual(Object.keys(docs['everyFeature-portable'].paths['/files/{proxy}']), [
      'get',
      'post',
      'put',
      'patch',
      'delete',
      'head',
      'options',
    ]);
    assert.match(
      docs['everyFeature-portable'].paths['/files/{proxy}'].get.description,
      /Route `GET \/files\/\{proxy\+\}`/,
    );
    assert.match(
      docs['everyFeature-portable'].paths['/files/{proxy}'].put.description,
      /Route `ANY \/files\/\{proxy\+\}`/,
    );
  });

  test('a greedy route whose plain form would equal another path is left out, and reported', () => {
    const fixture = CONFIGS.everyFeature;
    const config = resolveConfig(
      {
        name: 'overlap',
        functions: { api: { handler: 'src/handlers.handler' } },
        routes: { 'GET /files/{name}': 'api', 'ANY /files/{proxy+}': 'api' },
      },
      fixture,
    );
    const { document, unmapped } = exportOpenApi(config, { portable: true });
    const doc = document as Doc;
    assert.ok(doc.paths['/files/{name}'].get);
    assert.equal(doc.paths['/files/{proxy}'], undefined);
    assert.match(
      unmapped.find((u) => u.feature === 'routes["ANY /files/{proxy+}"]')!.reason,
      /same as GET \/files\/\{name\}/,
    );
  });

  test('what the portable form drops is reported', () => {
    const { unmapped } = exportOpenApi(configs.everyFeature, { portable: true });
    const features = unmapped.map((u) => u.feature);
    for (const expected of [
      'routes["$default"]',
      'routes["ANY /files/{proxy+}"]',
      'cors',
      'authorizers.legacyKeys',
      'stage.throttle',
    ])
      assert.ok(features.includes(expected), `${expected} missing from ${features.join(', ')}`);
  });
});
