/**
 * Zero drift from synthesis itself: what gets deployed depends only on the config and the code, never
 * on where the assembly is written or on the order routes are listed in.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../../src/config/index.ts';
import { buildStacks } from '../../src/infra/build.ts';
import { assetDirectories, fixture, inlineConfig, resourcesOfType, type Synthesized, synthesize } from './helpers.ts';

const work = mkdtempSync(join(tmpdir(), 'gantry-repro-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Synthesizes the `minimal` fixture, with real bundling, into `outdir`; returns its template and asset folders. */
async function synthInto(outdir: string) {
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, analyticsReporting: false });
  const { primary } = buildStacks(app, await loadConfig(fixture('minimal')), { nag: false });
  app.synth();
  return {
    template: readFileSync(join(outdir, primary.templateFile), 'utf8'),
    assets: assetDirectories(outdir).sort(),
  };
}

describe('assets and templates do not depend on --out', () => {
  test('two synths into folders at different depths give identical templates and asset hashes', async () => {
    const a = await synthInto(join(work, 'a'));
    const b = await synthInto(join(work, 'deeper', 'than', 'a', 'b'));
    assert.equal(a.assets.length, 1);
    assert.deepEqual(b.assets, a.assets);
    assert.equal(b.template, a.template);
  });

  test('the bundle’s source map names sources relative to the project, as Lambda will show them', async () => {
    const outdir = join(work, 'map');
    const { assets } = await synthInto(outdir);
    const map = JSON.parse(readFileSync(join(outdir, assets[0], 'index.mjs.map'), 'utf8')) as { sources: string[] };
    // Relative to the config's folder, the project gantry bundles from.
    assert.ok(map.sources.includes('src/hello.ts'), map.sources.join(', '));
    for (const source of map.sources) assert.doesNotMatch(source, /^\.\.\/\.\.\//);
  });
});

describe('integration logical ids do not depend on route order', () => {
  const routes: [string, unknown][] = [
    ['GET /items', 'items'],
    ['POST /items', 'items'],
    ['GET /items/{id}', { function: 'items', payloadFormatVersion: '1.0' }],
    ['GET /health', 'health'],
    ['ANY /legacy/{proxy+}', { http: 'https://legacy.example.com/{proxy}' }],
  ];
  const synths: Synthesized[] = [];
  after(() => {
    for (const s of synths) s.cleanup();
  });
  /** Route key → the logical id of the integration it targets. */
  function integrationsByRoute(order: [string, unknown][]): Map<string, string> {
    const s = synthesize(
      inlineConfig({
        name: 'shop',
        functions: { items: { handler: 'src/items.handler' }, health: { handler: 'src/health.handler' } },
        routes: Object.fromEntries(order),
      }),
      { bundle: false, nag: false },
    );
    synths.push(s);
    const json = s.json(s.primary);
    const out = new Map<string, string>();
    for (const route of resourcesOfType(json, 'AWS::ApiGatewayV2::Route')) {
      const target = route.Properties!.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      out.set(route.Properties!.RouteKey as string, target['Fn::Join'][1][1].Ref);
    }
    return out;
  }

  test('reversing the routes keeps every integration’s logical id, and routes sharing a target share it', () => {
    const forward = integrationsByRoute(routes);
    const reversed = integrationsByRoute([...routes].reverse());
    assert.equal(forward.size, routes.length);
    assert.deepEqual(new Map([...reversed].sort()), new Map([...forward].sort()));
    assert.equal(forward.get('GET /items'), forward.get('POST /items'));
    assert.equal(new Set(forward.values()).size, 4);
  });
});
