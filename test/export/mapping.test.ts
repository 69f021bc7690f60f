/**
 * Nothing is dropped silently: every route, authorizer, scope, CORS rule and throttle of each config
 * appears in each artifact, or in that artifact's list of what has no equivalent.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ResolvedConfig, ResolvedRoute } from '../../src/config/index.ts';
import { exportApigee, exportAzureApim, exportOpenApi, type Unmapped } from '../../src/export/index.ts';
import { CONFIGS, type ConfigName, loadAll } from './helpers.ts';

interface Artifact {
  /** Everything the artifact says about one route (its operations, flows, policies). */
  route(route: ResolvedRoute): string;
  /** The whole artifact as text. */
  all: string;
  unmapped: Unmapped[];
}

const decode = (content: string | Uint8Array) => (typeof content === 'string' ? content : '');
const unescapeXml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function openapi(config: ResolvedConfig, portable: boolean): Artifact {
  const { document, unmapped } = exportOpenApi(config, { portable });
  const ops = Object.values(
    document.paths as Record<string, Record<string, { summary: string; description: string }>>,
  ).flatMap((item) => Object.values(item));
  return {
    route: (r) =>
      JSON.stringify(ops.filter((op) => op.summary === r.routeKey || op.description.includes(`\`${r.routeKey}\``))),
    all: JSON.stringify(document),
    unmapped,
  };
}

/** `[format('{0}/{1}/{2}', parameters('apimServiceName'), 'api', 'getOrders')]` → `getOrders`. */
const lastName = (armName: string) => /'([^']+)'\)\]$/.exec(armName)![1];

function apim(config: ResolvedConfig): Artifact {
  const result = exportAzureApim(config);
  const template = JSON.parse(result.files['azuredeploy.json'] as string) as {
    resources: { type: string; name: string; properties: Record<string, string> }[];
  };
  const ops = template.resources.filter((r) => r.type.endsWith('/apis/operations'));
  const policies = template.resources.filter((r) => r.type.endsWith('/operations/policies'));
  return {
    route: (r) => {
      const names = ops.filter((op) => op.properties.displayName.startsWith(r.routeKey)).map((op) => lastName(op.name));
      return unescapeXml(
        names.map((n) => JSON.stringify(policies.find((p) => p.name.includes(`'${n}', 'policy'`)))).join('\n') +
          JSON.stringify(ops.filter((op) => names.includes(lastName(op.name)))),
      );
    },
    all: unescapeXml(Object.values(result.files).map(decode).join('\n')),
    unmapped: result.unmapped,
  };
}

function apigee(config: ResolvedConfig): Artifact {
  const result = exportApigee(config);
  const proxy = result.files['apiproxy/proxies/default.xml'] as string;
  const flows = [...proxy.matchAll(/<Flow name="([^"]+)">\s*<Description>([^<]*)<\/Description>[\s\S]*?<\/Flow>/g)];
  return {
    route: (r) => {
      const flow = flows.find((f) => unescapeXml(f[2]) === r.routeKey);
      if (!flow) return '';
      const policies = [...flow[0].matchAll(/<Name>([^<]+)<\/Name>/g)].map(
        (m) => result.files[`apiproxy/policies/${m[1]}.xml`],
      );
      return unescapeXml([flow[0], ...policies.map((p) => decode(p ?? ''))].join('\n'));
    },
    all: unescapeXml(Object.values(result.files).map(decode).join('\n')),
    unmapped: result.unmapped,
  };
}

let configs: Record<ConfigName, ResolvedConfig>;
before(async () => {
  configs = await loadAll();
});

const listed = (artifact: Artifact, feature: string) =>
  artifact.unmapped.some(
    (u) => u.feature === feature || u.feature.startsWith(`${feature}.`) || feature.startsWith(`${u.feature}.`),
  );

function checkCoverage(config: ResolvedConfig, artifact: Artifact, target: string): string[] {
  const missing: string[] = [];
  const field = (r: ResolvedRoute, f?: string) => `routes[${JSON.stringify(r.routeKey)}]${f ? `.${f}` : ''}`;
  for (const route of config.routes) {
    const text = artifact.route(route);
    if (!text && !listed(artifact, field(route))) missing.push(`${target}: route ${route.routeKey}`);
    if (!text) continue;
    for (const scope of route.scopes)
      if (!text.includes(scope)) missing.push(`${target}: scope ${scope} of ${route.routeKey}`);
    const throttle = route.throttle ?? config.stage.throttle;
    if (throttle) {
      const site = route.throttle ? field(route, 'throttle') : 'stage.throttle';
      const zero = throttle.rateLimit === 0 || throttle.burstLimit === 0;
      const shown = zero ? /429/.test(text) : /rate-limit-by-key|<Rate>/.test(text);
      if (!shown && !listed(artifact, site)) missing.push(`${target}: throttle of ${route.routeKey}`);
      if (!listed(artifact, `${site}.burstLimit`) && !listed(artifact, site))
        missing.push(`${target}: burst of ${site}`);
    }
  }
  for (const [name, auth] of Object.entries(config.authorizers)) {
    if (!config.routes.some((r) => r.authorizer === name)) continue;
    const shown = auth.type === 'jwt' ? artifact.all.includes(auth.issuer) : artifact.all.includes(name);
    if (!shown && !listed(artifact, `authorizers.${name}`)) missing.push(`${target}: authorizer ${name}`);
    if (auth.type === 'jwt')
      for (const audience of auth.audience)
        if (!artifact.all.includes(audience) && !listed(artifact, `authorizers.${name}`))
          missing.push(`${target}: audience ${audience} of ${name}`);
  }
  const cors = config.cors;
  if (cors) {
    const rules: [string, string[]][] = [
      ['allowOrigins', cors.allowOrigins],
      ['allowMethods', cors.allowMethods],
      ['allowHeaders', cors.allowHeaders],
      ['exposeHeaders', cors.exposeHeaders],
      ['maxAge', cors.maxAge === undefined ? [] : [String(cors.maxAge)]],
    ];
    for (const [rule, values] of rules)
      for (const value of values)
        if (!artifact.all.includes(value) && !listed(artifact, `cors.${rule}`) && !listed(artifact, 'cors'))
          missing.push(`${target}: cors.${rule} ${value}`);
  }
  return missing;
}

describe('every feature of the config is mapped or listed', () => {
  for (const name of Object.keys(CONFIGS) as ConfigName[])
    test(`${name}: OpenAPI (both forms), Azure API Management, Apigee X`, () => {
      const config = configs[name];
      const missing = [
        ...checkCoverage(config, openapi(config, false), 'openapi'),
        ...checkCoverage(config, openapi(config, true), 'openapi --portable'),
        ...checkCoverage(config, apim(config), 'azure-apim'),
        ...checkCoverage(config, apigee(config), 'apigee'),
      ];
      assert.deepEqual(missing, []);
    });

  test('the check itself notices a dropped feature', () => {
    const config = configs.everyFeature;
    const artifact = apigee(config);
    const blind: Artifact = {
      ...artifact,
      route: (r) => (r.routeKey === 'GET /' ? '' : artifact.route(r)),
      unmapped: [],
    };
    const missing = checkCoverage(config, blind, 'apigee');
    assert.ok(missing.includes('apigee: route GET /'), missing.join('\n'));
    assert.ok(missing.includes('apigee: burst of stage.throttle'), missing.join('\n'));
  });
});
