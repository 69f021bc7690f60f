/**
 * `gantry export apigee`: the proxy bundle for the example, the full CDK fixture and the every-feature
 * fixture, each linted once by apigeelint with the Apigee X profile (one as the zip Apigee imports).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { type ExportResult, exportApigee } from '../../src/export/index.ts';
import { type ConfigName, loadAll, runTool, tempDir, writeFiles } from './helpers.ts';

let configs: Record<ConfigName, ResolvedConfig>;
const bundles = {} as Record<ConfigName, ExportResult>;
let zipped: ExportResult;

before(async () => {
  configs = await loadAll();
  for (const [name, config] of Object.entries(configs) as [ConfigName, ResolvedConfig][])
    bundles[name] = exportApigee(
      config,
      name === 'full' ? { jwksUris: { partners: 'https://issuer.example.com/keys' } } : {},
    );
  zipped = exportApigee(configs.example, { zip: true });
});

const text = (name: ConfigName, path: string) => bundles[name].files[path] as string;

describe('apigeelint --profile apigeex', () => {
  test('zero errors in every bundle, the zip included', () => {
    const dir = tempDir('apigee');
    const targets: string[] = [];
    for (const [name, bundle] of Object.entries(bundles)) {
      writeFiles(join(dir, name), bundle.files);
      targets.push(join(dir, name, 'apiproxy'));
    }
    writeFiles(join(dir, 'zip'), zipped.files);
    targets.push(join(dir, 'zip', 'orders-api.zip'));
    for (const target of targets) {
      const run = runTool('apigeelint', ['-s', target, '--profile', 'apigeex', '-f', 'json.js'], dir);
      const report = JSON.parse(run.stdout) as {
        filePath: string;
        errorCount: number;
        messages: { message: string; severity: number }[];
      }[];
      const errors = report.flatMap((f) =>
        f.messages.filter((m) => m.severity === 2).map((m) => `${f.filePath}: ${m.message}`),
      );
      assert.deepEqual(errors, [], target);
      assert.ok(report.length > 5, `${target}: apigeelint read the bundle (${report.length} files)`);
      assert.equal(run.status, 0, run.stderr);
    }
  });
});

describe('the bundle', () => {
  test('the zip holds apiproxy/ at its root, byte for byte the tree', () => {
    const entries = unzipSync(zipped.files['orders-api.zip'] as Uint8Array);
    assert.deepEqual(Object.keys(entries).sort(), Object.keys(bundles.example.files).sort());
    assert.ok(Object.keys(entries).every((p) => p.startsWith('apiproxy/')));
    assert.equal(
      new TextDecoder().decode(entries['apiproxy/proxies/default.xml']),
      text('example', 'apiproxy/proxies/default.xml'),
    );
  });

  test('a conditional Flow per route, most specific first, the stage as BasePath, a final 404', () => {
    const proxy = text('full', 'apiproxy/proxies/default.xml');
    const conditions = [
      ...proxy.matchAll(/<Flow name="[^"]+">[\s\S]*?(?:<Condition>([^<]*)<\/Condition>\s*)?<\/Flow>/g),
    ].map((m) => m[1]);
    assert.deepEqual(conditions, [
      '(request.verb = "OPTIONS") and (request.header.Access-Control-Request-Method != null)',
      '(proxy.pathsuffix MatchesPath "/items/*") and (request.verb = "GET")',
      '(proxy.pathsuffix MatchesPath "/items/*") and (request.verb = "DELETE")',
      '(proxy.pathsuffix MatchesPath "/items/*") and (request.verb = "PUT")',
      '(proxy.pathsuffix MatchesPath "/items") and (request.verb = "GET")',
      '(proxy.pathsuffix MatchesPath "/items") and (request.verb = "POST")',
      '(proxy.pathsuffix MatchesPath "/health") and (request.verb = "GET")',
      '(proxy.pathsuffix MatchesPath "/legacy/**")',
      undefined,
    ]);
    assert.match(proxy, /<Flow name="not-found">[\s\S]*<Name>RF-404<\/Name>[\s\S]*<\/Flow>\s*<\/Flows>/);
    assert.match(proxy, /<BasePath>\/v1<\/BasePath>/);
    assert.match(text('full', 'apiproxy/policies/RF-404.xml'), /\{"message":"Not Found"\}/);
  });

  test('the $default route is the final unconditional flow, with its route rule last', () => {
    const proxy = text('everyFeature', 'apiproxy/proxies/default.xml');
    assert.doesNotMatch(proxy, /RF-404/);
    assert.match(
      proxy,
      /<Flow name="defaultRoute">\s*<Description>\$default<\/Description>[\s\S]*?<\/Flow>\s*<\/Flows>/,
    );
    assert.match(
      proxy,
      /<RouteRule name="defaultRoute">\s*<TargetEndpoint>fn-api<\/TargetEndpoint>\s*<\/RouteRule>\s*<\/ProxyEndpoint>/,
    );
    // A method route beats ANY on the same path.
    assert.ok(proxy.indexOf('<Flow name="getFilesByProxy">') < proxy.indexOf('<Flow name="anyFilesByProxy">'));
  });

  test('VerifyJWT with the JWKS URI, then API Gateway’s 401 for bad tokens or audiences and 403 for missing scopes', () => {
    const vjwt = text('full', 'apiproxy/policies/VJWT-partners.xml');
    assert.match(vjwt, /<VerifyJWT name="VJWT-partners" continueOnError="true"/);
    assert.match(vjwt, /<JWKS uri="https:\/\/issuer.example.com\/keys"\/>/);
    assert.match(vjwt, /<Issuer>https:\/\/issuer.example.com<\/Issuer>/);
    const proxy = text('everyFeature', 'apiproxy/proxies/default.xml');
    assert.match(
      proxy,
      /<Name>RF-401<\/Name>\s*<Condition>\(jwt.VJWT-staff.valid != true\) or not \(jwt.VJWT-staff.claim.audience ~~ [^<]*\(staff-app\|admin-app\)/,
    );
    assert.match(
      proxy,
      /<Name>RF-403<\/Name>\s*<Condition>not \(\(jwt.VJWT-staff.decoded.claim.scope ~~ [^<]*\(reports:read\|reports:admin\)[^<]*jwt.VJWT-staff.decoded.claim.scp/,
    );
    assert.match(
      text('everyFeature', 'apiproxy/policies/VJWT-links.xml'),
      /<Source>request.queryparam.token<\/Source>/,
    );
  });

  test('SpikeArrest per route from its throttle or the stage’s; fractions per minute; zero answers 429', () => {
    assert.match(
      text('everyFeature', 'apiproxy/policies/SA-getRoot.xml'),
      /<Rate>50ps<\/Rate>\s*<UseEffectiveCount>true<\/UseEffectiveCount>/,
    );
    assert.match(text('everyFeature', 'apiproxy/policies/SA-getReportsByYearByMonth.xml'), /<Rate>30pm<\/Rate>/);
    const proxy = text('everyFeature', 'apiproxy/proxies/default.xml');
    assert.match(proxy, /<Flow name="deleteReportsByYearByMonth">[\s\S]*?<Name>RF-429<\/Name>[\s\S]*?<\/Flow>/);
    assert.match(proxy, /<FaultRule name="throttled">\s*<Step>\s*<Name>AM-fault-429<\/Name>/);
  });

  test('CORS first in the PreFlow, answering preflights; DefaultFaultRule with API Gateway’s 500 body', () => {
    const proxy = text('everyFeature', 'apiproxy/proxies/default.xml');
    assert.match(proxy, /<PreFlow name="PreFlow">\s*<Request>\s*<Step>\s*<Name>CORS-api<\/Name>/);
    const cors = text('everyFeature', 'apiproxy/policies/CORS-api.xml');
    assert.match(cors, /<AllowOrigins>https:\/\/app.example.com<\/AllowOrigins>/);
    assert.match(cors, /<ExposeHeaders>x-trace-id<\/ExposeHeaders>/);
    assert.match(cors, /<MaxAge>120<\/MaxAge>/);
    assert.match(cors, /<GeneratePreflightResponse>true<\/GeneratePreflightResponse>/);
    // Preflights of any path are answered before the routes and the 404, with no target.
    assert.match(proxy, /<Flows>\s*<Flow name="cors-preflight">/);
    assert.match(
      proxy,
      /<RouteRule name="cors-preflight">\s*<Condition>\(request.verb = "OPTIONS"\) and \(request.header.Access-Control-Request-Method != null\)<\/Condition>\s*<\/RouteRule>/,
    );
    assert.match(proxy, /<DefaultFaultRule name="default">\s*<Step>\s*<Name>AM-fault-500<\/Name>/);
    assert.match(text('everyFeature', 'apiproxy/policies/AM-fault-500.xml'), /\{"message":"Internal Server Error"\}/);
  });

  test('targets: a TargetServer per function, the integration URL rewritten for HTTP routes, timeouts kept', () => {
    assert.match(
      text('everyFeature', 'apiproxy/targets/fn-api-2500ms.xml'),
      /<Server name="fn-api"\/>[\s\S]*<Property name="io.timeout.millis">2500<\/Property>/,
    );
    assert.match(
      text('everyFeature', 'apiproxy/policies/AM-url-anyFilesByProxy.xml'),
      /<Template>https:\/\/files.example.com\{replaceFirst\(proxy.pathsuffix,'\^\/files\/\(\.\*\)\$','\/store\/\$1'\)\}<\/Template>/,
    );
    assert.match(text('everyFeature', 'apiproxy/policies/AM-verb-putMirrorByKey.xml'), /<Verb>POST<\/Verb>/);
  });
});
