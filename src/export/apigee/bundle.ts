/**
 * An Apigee X API proxy bundle: `apiproxy/<name>.xml`, one ProxyEndpoint with a conditional Flow per
 * route (API Gateway's precedence, most specific first, then a final 404 or the `$default` route),
 * a TargetEndpoint per function (a TargetServer at its Lambda function URL) and per HTTP route,
 * VerifyJWT with audience and scope checks, SpikeArrest, CORS, and API Gateway-shaped fault bodies.
 */
import { zipSync } from 'fflate';
import { ROUTE_DEFAULTS } from '../../aws/defaults.ts';
import type { ResolvedConfig, ResolvedRoute } from '../../config/index.ts';
import type { ExportResult } from '../result.ts';
import { bySpecificity, operationName, segmentsOf, uniqueNames, withStageVariables } from '../routes.ts';
import { el, renderXml, type XmlElement } from '../xml.ts';
import { corsPolicy, faultBody, type Policy, raiseFault, spikeArrest, targetUrl, verifyJwt } from './policies.ts';
import { apigeeUnmapped } from './unmapped.ts';

export interface ApigeeOptions {
  /** JWKS URI per JWT authorizer name (Apigee needs the key set, not the discovery document). */
  jwksUris?: Record<string, string>;
  /** A zip with `apiproxy/` at its root instead of the tree. @default false */
  zip?: boolean;
}

/** `(proxy.pathsuffix MatchesPath "/orders/*") and (request.verb = "GET")`: `*` one segment, `**` the rest. */
export function flowCondition(route: ResolvedRoute): string | undefined {
  if (route.path === undefined) return undefined;
  const pattern = `/${segmentsOf(route.path)
    .map((s) => (s.kind === 'literal' ? s.text : s.kind === 'variable' ? '*' : '**'))
    .join('/')}`;
  const path =
    pattern === '/'
      ? '((proxy.pathsuffix = "") or (proxy.pathsuffix = "/"))'
      : `(proxy.pathsuffix MatchesPath "${pattern}")`;
  return route.method === 'ANY' ? path : `${path} and (request.verb = "${route.method}")`;
}

const regexQuote = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** Any of `values` as a whole item of a space-, comma- or JSON-array-separated claim. */
function claimHasAny(variable: string, values: string[]): string {
  // \x22 is `"` and \x5B / \x5D are `[` / `]`: a condition's string literal cannot escape a quote.
  const separator = '[ ,\\x22\\x5B\\x5D]';
  return `(${variable} ~~ "(^|.*${separator})(${values.map(regexQuote).join('|')})(${separator}.*|$)")`;
}

const step = (name: string, condition?: string): XmlElement =>
  el('Step', null, el('Name', null, name), condition !== undefined && el('Condition', null, condition));

/** `https://host{replaceFirst(proxy.pathsuffix,'^/files/(.*)$','/store/$1')}` for an HTTP integration URL. */
function rewriteTemplate(route: ResolvedRoute, url: string): { origin: string; template?: string } {
  const match = /^(https?:\/\/[^/?#]+)([^#]*)$/.exec(url);
  if (!match) return { origin: url };
  const [, origin, path] = match;
  if (route.path === undefined) return { origin, template: `${origin}${path}` };
  const names: string[] = [];
  const regex = `^${segmentsOf(route.path)
    .map((s) => {
      if (s.kind === 'literal') return `/${regexQuote(s.text)}`;
      names.push(s.name);
      return s.kind === 'greedy' ? '/(.*)' : '/([^/]+)';
    })
    .join('')}$`;
  const replacement = path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const index = names.indexOf(name.replace(/\+$/, ''));
    return index < 0 ? whole : `$${index + 1}`;
  });
  if (!names.length) return { origin, template: `${origin}${path}` };
  return { origin, template: `${origin}{replaceFirst(proxy.pathsuffix,'${regex}','${replacement}')}` };
}

export function exportApigee(config: ResolvedConfig, options: ApigeeOptions = {}): ExportResult {
  const name = config.name.replace(/[^A-Za-z0-9_-]+/g, '-');
  const policies = new Map<string, Policy>();
  const add = (p: Policy) => policies.set(p.name, p);
  const targets = new Map<string, XmlElement>();
  const ordered = [...config.routes].sort(bySpecificity);
  const flowNames = uniqueNames(ordered.map((r) => operationName(r.method ?? 'ANY', r.path)));
  const flows: XmlElement[] = [];
  const routeRules: XmlElement[] = [];
  add(faultBody(429));
  add(faultBody(500));

  ordered.forEach((route, i) => {
    const flowName = flowNames[i];
    const steps: XmlElement[] = [];
    const auth = route.authorizer ? config.authorizers[route.authorizer] : undefined;
    if (auth?.type === 'jwt') {
      // Policy names become file names and flow variables: letters, digits, "-" and "_" only.
      const policyName = `VJWT-${route.authorizer!.replace(/[^A-Za-z0-9_-]/g, '-')}`;
      add(
        verifyJwt(
          policyName,
          auth,
          options.jwksUris?.[route.authorizer!] ?? `${auth.issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
        ),
      );
      add(raiseFault(401));
      steps.push(step(policyName));
      const audience = claimHasAny(`jwt.${policyName}.claim.audience`, auth.audience);
      steps.push(step('RF-401', `(jwt.${policyName}.valid != true) or not ${audience}`));
      if (route.scopes.length) {
        add(raiseFault(403));
        const scope = `${claimHasAny(`jwt.${policyName}.decoded.claim.scope`, route.scopes)} or ${claimHasAny(`jwt.${policyName}.decoded.claim.scp`, route.scopes)}`;
        steps.push(step('RF-403', `not (${scope})`));
      }
    } else if (auth?.type === 'lambda') {
      add(raiseFault(401)); // no twin for a Lambda authorizer: fail closed (listed as unmapped)
      steps.push(step('RF-401'));
    }
    const throttle = route.throttle ?? config.stage.throttle;
    if (throttle && (throttle.rateLimit === 0 || throttle.burstLimit === 0)) {
      add(raiseFault(429));
      steps.push(step('RF-429'));
    } else if (throttle) {
      // One policy per route: API Gateway keeps one bucket per route.
      add(spikeArrest(`SA-${flowName}`, throttle));
      steps.push(step(`SA-${flowName}`));
    }
    const condition = flowCondition(route);
    flows.push(
      el(
        'Flow',
        { name: flowName },
        el('Description', null, route.routeKey),
        el('Request', null, ...steps),
        el('Response'),
        condition !== undefined && el('Condition', null, condition),
      ),
    );

    let targetName: string;
    const integration = route.integration;
    if (integration.type === 'lambda') {
      targetName =
        `fn-${integration.functionName}${route.timeoutInMillis === ROUTE_DEFAULTS.timeoutInMillis ? '' : `-${route.timeoutInMillis}ms`}`.replace(
          /[^A-Za-z0-9_-]/g,
          '-',
        );
      const server = `fn-${integration.functionName}`.replace(/[^A-Za-z0-9_-]/g, '-');
      targets.set(
        targetName,
        targetEndpoint(
          targetName,
          route,
          el('LoadBalancer', null, el('Server', { name: server })),
          el('Path', null, '/'),
        ),
      );
    } else {
      targetName = `http-${flowName}`;
      const { origin, template } = rewriteTemplate(route, withStageVariables(integration.url, config.stage.variables));
      const preflow: XmlElement[] = [];
      if (template) {
        add(targetUrl(`AM-url-${flowName}`, template));
        preflow.push(step(`AM-url-${flowName}`));
      }
      if (integration.method) {
        add(setVerb(`AM-verb-${flowName}`, integration.method));
        preflow.push(step(`AM-verb-${flowName}`));
      }
      targets.set(targetName, targetEndpoint(targetName, route, el('URL', null, origin), undefined, preflow));
    }
    routeRules.push(
      el(
        'RouteRule',
        { name: flowName },
        condition !== undefined && el('Condition', null, condition),
        el('TargetEndpoint', null, targetName),
      ),
    );
  });

  if (config.cors) {
    // API Gateway answers every CORS preflight itself, routed or not: a first flow (and a RouteRule
    // with no target) lets the CORS policy's preflight response go back before any route or the 404.
    const preflight = '(request.verb = "OPTIONS") and (request.header.Access-Control-Request-Method != null)';
    flows.unshift(
      el(
        'Flow',
        { name: 'cors-preflight' },
        el('Description', null, 'CORS preflight'),
        el('Request'),
        el('Response'),
        el('Condition', null, preflight),
      ),
    );
    routeRules.unshift(el('RouteRule', { name: 'cors-preflight' }, el('Condition', null, preflight)));
  }
  const hasDefault = config.routes.some((r) => r.path === undefined);
  if (!hasDefault) {
    add(raiseFault(404));
    flows.push(
      el(
        'Flow',
        { name: 'not-found' },
        el('Description', null, 'no route matched'),
        el('Request', null, step('RF-404')),
        el('Response'),
      ),
    );
    routeRules.push(el('RouteRule', { name: 'no-route' }));
  }
  const preFlow: XmlElement[] = [];
  if (config.cors) {
    add(corsPolicy(config.cors));
    preFlow.push(step('CORS-api'));
  }

  const proxy = el(
    'ProxyEndpoint',
    { name: 'default' },
    el('Description', null, `${config.name}, exported by gantry`),
    el(
      'FaultRules',
      null,
      el(
        'FaultRule',
        { name: 'throttled' },
        step('AM-fault-429'),
        el('Condition', null, '(fault.name = "SpikeArrestViolation")'),
      ),
    ),
    // RaiseFault already carries API Gateway's body; everything else becomes its 500.
    el(
      'DefaultFaultRule',
      { name: 'default' },
      step('AM-fault-500', '(fault.name != "RaiseFault")'),
      el('AlwaysEnforce', null, 'false'),
    ),
    el('PreFlow', { name: 'PreFlow' }, el('Request', null, ...preFlow), el('Response')),
    el('Flows', null, ...flows),
    el('PostFlow', { name: 'PostFlow' }, el('Request'), el('Response')),
    el(
      'HTTPProxyConnection',
      null,
      el('BasePath', null, config.stage.name === '$default' ? '/' : `/${config.stage.name}`),
    ),
    ...routeRules,
  );

  const sortedPolicies = [...policies.values()].sort((a, b) => a.name.localeCompare(b.name));
  const manifest = el(
    'APIProxy',
    { name, revision: 1 },
    el('DisplayName', null, config.name),
    el('Description', null, config.description ?? `${config.name}, exported by gantry from api.config.ts`),
    el('BasePaths', null, config.stage.name === '$default' ? '/' : `/${config.stage.name}`),
    el('Policies', null, ...sortedPolicies.map((p) => el('Policy', null, p.name))),
    el('ProxyEndpoints', null, el('ProxyEndpoint', null, 'default')),
    el('TargetEndpoints', null, ...[...targets.keys()].map((t) => el('TargetEndpoint', null, t))),
  );

  const files: Record<string, string> = {
    [`apiproxy/${name}.xml`]: renderXml(manifest, true),
    'apiproxy/proxies/default.xml': renderXml(proxy, true),
  };
  for (const [targetName, target] of targets) files[`apiproxy/targets/${targetName}.xml`] = renderXml(target, true);
  for (const p of sortedPolicies) files[`apiproxy/policies/${p.name}.xml`] = p.xml;
  const unmapped = apigeeUnmapped(config, options.jwksUris ?? {});
  if (!options.zip) return { files, unmapped };
  const entries = Object.fromEntries(
    Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]),
  );
  return {
    files: { [`${name}.zip`]: zipSync(entries, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') }) },
    unmapped,
  };
}

function setVerb(name: string, method: string): Policy {
  const root = el(
    'AssignMessage',
    { name, continueOnError: false, enabled: true },
    el('DisplayName', null, name),
    el('Set', null, el('Verb', null, method)),
    el('IgnoreUnresolvedVariables', null, 'true'),
    el('AssignTo', { createNew: false, transport: 'http', type: 'request' }),
  );
  return { name, xml: renderXml(root, true) };
}

function targetEndpoint(
  name: string,
  route: ResolvedRoute,
  address: XmlElement,
  path?: XmlElement,
  preflow: XmlElement[] = [],
): XmlElement {
  return el(
    'TargetEndpoint',
    { name },
    el('Description', null, `integration of ${route.routeKey}`),
    el('PreFlow', { name: 'PreFlow' }, el('Request', null, ...preflow), el('Response')),
    el('Flows'),
    el('PostFlow', { name: 'PostFlow' }, el('Request'), el('Response')),
    el(
      'HTTPTargetConnection',
      null,
      address,
      path,
      el('Properties', null, el('Property', { name: 'io.timeout.millis' }, String(route.timeoutInMillis))),
    ),
  );
}
