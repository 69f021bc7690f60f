/**
 * `gantry export azure-apim`: the ARM template for the example, the full CDK fixture and the
 * every-feature fixture; every policy document checked once by xmllint (Debian libxml2-utils).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { type ExportResult, exportAzureApim } from '../../src/export/index.ts';
import { type ConfigName, loadAll, runTool, tempDir, writeFiles } from './helpers.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, asserted field by field
type Json = Record<string, any>;
type Resource = { type: string; name: string; properties: Json; dependsOn?: string[] };
let configs: Record<ConfigName, ResolvedConfig>;
const results = {} as Record<ConfigName, ExportResult & { resources: Resource[]; template: Json }>;

before(async () => {
  configs = await loadAll();
  for (const [name, config] of Object.entries(configs) as [ConfigName, ResolvedConfig][]) {
    const result = exportAzureApim(config);
    const template = JSON.parse(result.files['azuredeploy.json'] as string);
    results[name] = { ...result, template, resources: template.resources };
  }
});

const ofType = (name: ConfigName, type: string) =>
  results[name].resources.filter((r) => r.type === `Microsoft.ApiManagement/service/${type}`);
const operation = (name: ConfigName, id: string) =>
  ofType(name, 'apis/operations').find((r) => r.name.includes(`'${id}'`))!;
const operationPolicy = (name: ConfigName, id: string) =>
  ofType(name, 'apis/operations/policies').find((r) => r.name.includes(`'${id}', 'policy'`))!.properties
    .value as string;

describe('APIM policies are well-formed XML', () => {
  test('xmllint --noout accepts every policy document of every config, inline ones included', () => {
    const dir = tempDir('apim');
    const files: string[] = [];
    for (const [name, result] of Object.entries(results)) {
      // The documents inside the template are what APIM receives; the policies/ copies must match them.
      const inline = result.resources
        .filter((r) => r.type.endsWith('/policies'))
        .map((r, i) => [`${name}/inline-${i}.xml`, r.properties.value as string] as const);
      assert.equal(inline.length, Object.keys(result.files).filter((f) => f.startsWith('policies/')).length);
      writeFiles(dir, Object.fromEntries(inline));
      files.push(...inline.map(([f]) => join(dir, f)));
    }
    const run = runTool('xmllint', ['--noout', ...files], dir);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
  });
});

describe('the ARM template', () => {
  test('one API at the stage path, HTTPS only, no subscription key, apiVersion 2024-05-01', () => {
    const [api] = ofType('example', 'apis');
    assert.equal(results.example.template.parameters.apiPath.defaultValue, 'api');
    assert.deepEqual(
      { ...api.properties, description: undefined },
      {
        displayName: 'orders-api',
        description: undefined,
        path: "[parameters('apiPath')]",
        protocols: ['https'],
        subscriptionRequired: false,
        type: 'http',
      },
    );
    assert.ok(results.example.resources.every((r) => (r as Json).apiVersion === '2024-05-01'));
  });

  test('one operation per method and route; {proxy+} as {*proxy}; ANY as one per method; $default as catch-alls', () => {
    const ops = ofType('everyFeature', 'apis/operations').map(
      (r) => `${r.properties.method} ${r.properties.urlTemplate}`,
    );
    assert.ok(ops.includes('GET /reports/{year}/{month}'));
    assert.ok(ops.includes('GET /files/{*proxy}'));
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']) {
      assert.ok(ops.includes(`${method} /files/{*proxy}`), method);
      assert.ok(ops.includes(`${method} /{*path}`), method);
    }
    assert.equal(ops.filter((o) => o === 'GET /files/{*proxy}').length, 1, 'the explicit GET route wins over ANY');
    assert.deepEqual(operation('everyFeature', 'getReportsByYearByMonth').properties.templateParameters, [
      { name: 'year', type: 'string', required: true },
      { name: 'month', type: 'string', required: true },
    ]);
  });

  test('validate-jwt from the issuer discovery document, with issuers and audiences, and a 403 for missing scopes', () => {
    const xml = operationPolicy('everyFeature', 'getReportsByYearByMonth');
    assert.match(
      xml,
      /<validate-jwt header-name="Authorization" failed-validation-httpcode="401"[^>]*require-scheme="Bearer"/,
    );
    assert.match(xml, /<openid-config url="https:\/\/login.example.com\/tenant\/.well-known\/openid-configuration"\/>/);
    assert.match(xml, /<audience>staff-app<\/audience>\s*<audience>admin-app<\/audience>/);
    assert.match(xml, /<issuer>https:\/\/login.example.com\/tenant<\/issuer>/);
    assert.match(xml, /new\[\] \{ &quot;reports:read&quot;, &quot;reports:admin&quot; \}/);
    assert.match(
      xml,
      /<set-status code="403" reason="Forbidden"\/>[\s\S]*<set-body>\{"message":"Forbidden"\}<\/set-body>/,
    );
    assert.match(operationPolicy('everyFeature', 'getSharedByToken'), /<validate-jwt query-parameter-name="token"/);
  });

  test('CORS at API scope, unmatched requests not terminated (API Gateway serves them)', () => {
    const xml = ofType('everyFeature', 'apis/policies')[0].properties.value as string;
    assert.match(xml, /<cors allow-credentials="false" terminate-unmatched-request="false">/);
    assert.match(xml, /<origin>https:\/\/app.example.com<\/origin>/);
    assert.doesNotMatch(xml, /https:\/\/\*/);
    assert.match(xml, /<allowed-methods preflight-result-max-age="120">/);
    assert.match(xml, /<expose-headers>\s*<header>x-trace-id<\/header>/);
  });

  test('throttles: rate-limit-by-key per route, from the route or the stage; zero answers 429; fractions widen the window', () => {
    assert.match(operationPolicy('everyFeature', 'getRoot'), /<rate-limit-by-key calls="50" renewal-period="1"/);
    assert.match(
      operationPolicy('everyFeature', 'getReportsByYearByMonth'),
      /<rate-limit-by-key calls="1" renewal-period="2"/,
    );
    const blocked = operationPolicy('everyFeature', 'deleteReportsByYearByMonth');
    assert.doesNotMatch(blocked, /rate-limit-by-key/);
    assert.match(blocked, /<set-status code="429" reason="Too Many Requests"\/>/);
  });

  test('backends: one per function (its Lambda function URL parameter) and per HTTP origin; rewrite and timeout', () => {
    const backends = Object.fromEntries(ofType('everyFeature', 'backends').map((b) => [b.name, b.properties.url]));
    assert.deepEqual(backends, {
      "[format('{0}/{1}', parameters('apimServiceName'), 'fn-api')]": "[parameters('apiFunctionUrl')]",
      "[format('{0}/{1}', parameters('apimServiceName'), 'http-files-example-com')]": 'https://files.example.com',
      "[format('{0}/{1}', parameters('apimServiceName'), 'http-mirror-example-com')]": 'https://mirror.example.com',
    });
    const put = operationPolicy('everyFeature', 'putFilesByProxy');
    assert.match(put, /<set-backend-service backend-id="http-files-example-com"\/>/);
    assert.match(put, /<rewrite-uri template="\/store\/\{proxy\}" copy-unmatched-params="true"\/>/);
    assert.match(put, /<forward-request timeout="8"\/>/);
    assert.match(operationPolicy('everyFeature', 'putMirrorByKey'), /<set-method>POST<\/set-method>/);
  });

  test('named values for stage variables; errors shaped like API Gateway’s', () => {
    const [named] = ofType('everyFeature', 'namedValues');
    assert.deepEqual(named.properties, {
      displayName: 'stagevar-backendHost',
      value: 'files.example.com',
      secret: false,
    });
    const xml = ofType('everyFeature', 'apis/policies')[0].properties.value as string;
    assert.match(xml, /OperationNotFound[\s\S]*\{"message":"Not Found"\}/);
    assert.match(xml, /validate-jwt[\s\S]*\{"message":"Unauthorized"\}/);
    assert.match(xml, /\{"message":"Internal Server Error"\}/);
  });

  test('a Lambda authorizer fails closed, and is reported with its cache', () => {
    assert.match(
      operationPolicy('everyFeature', 'postLegacyOrders'),
      /<set-status code="401" reason="Unauthorized"\/>/,
    );
    const entry = results.everyFeature.unmapped.find((u) => u.feature === 'authorizers.legacyKeys')!;
    assert.match(entry.reason, /300 s result cache/);
  });
});
