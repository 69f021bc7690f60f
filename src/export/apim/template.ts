/**
 * An ARM template (deployable with `az deployment group create`) of one Azure API Management API:
 * named values for stage variables, backends, the API and its policy, one operation per concrete
 * method and route with its policy. apiVersion 2024-05-01, the newest non-preview version.
 */
import type { HttpMethod, ResolvedConfig, ResolvedRoute } from '../../config/index.ts';
import type { ExportResult, Unmapped } from '../result.ts';
import { concreteMethods, operationName, pathVariables, uniqueNames, withStageVariables } from '../routes.ts';
import { apiPolicy, type OperationTarget, operationPolicy } from './policies.ts';
import { apimUnmapped } from './unmapped.ts';

export const APIM_API_VERSION = '2024-05-01';
const SERVICE = "parameters('apimServiceName')";

type Json = Record<string, unknown>;

/** ARM resource names allow letters, digits and `-`: `orders-api`, `fn-orders`. */
export function resourceName(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'x'
  );
}

/** ARM parameter names are identifiers: `ordersFunctionUrl`. */
export function functionUrlParameter(functionName: string): string {
  const camel = functionName.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase());
  return `${camel}FunctionUrl`;
}

/** `/legacy/{proxy+}` → `/legacy/{*proxy}`; `$default` → `/{*path}`, APIM's multi-segment catch-all. */
export function urlTemplate(route: ResolvedRoute): string {
  if (route.path === undefined) return '/{*path}';
  return route.path.replace(/\{([^}]+)\+\}/, '{*$1}');
}

function nameOf(...parts: string[]): string {
  const placeholders = ['{0}', ...parts.map((_, i) => `{${i + 1}}`)].join('/');
  return `[format('${placeholders}', ${SERVICE}, ${parts.map((p) => `'${p}'`).join(', ')})]`;
}

function idOf(type: string, ...parts: string[]): string {
  return `[resourceId('Microsoft.ApiManagement/service/${type}', ${SERVICE}, ${parts.map((p) => `'${p}'`).join(', ')})]`;
}

/** Where an HTTP integration URL goes: its origin as a backend, its path as a rewrite template. */
function splitUrl(url: string): { origin: string; path: string } {
  const match = /^(https?:\/\/[^/?#]+)([^#]*)$/.exec(url);
  if (!match) return { origin: url, path: '/' };
  return { origin: match[1], path: match[2] || '/' };
}

export function exportAzureApim(config: ResolvedConfig): ExportResult {
  const api = resourceName(config.name);
  const resources: Json[] = [];
  const parameters: Json = {
    apimServiceName: {
      type: 'string',
      metadata: { description: 'An existing API Management service (not Consumption: rate-limit-by-key)' },
    },
    apiPath: {
      type: 'string',
      defaultValue: config.stage.name === '$default' ? '' : config.stage.name,
      metadata: { description: 'The API URL suffix (API Gateway stage path)' },
    },
  };
  const files: ExportResult['files'] = {};

  for (const [name, value] of Object.entries(config.stage.variables))
    resources.push({
      type: 'Microsoft.ApiManagement/service/namedValues',
      apiVersion: APIM_API_VERSION,
      name: nameOf(`stagevar-${resourceName(name)}`),
      properties: { displayName: `stagevar-${resourceName(name)}`, value, secret: false },
    });

  const backends = new Map<string, string>(); // backend id → url expression
  const targetOf = (route: ResolvedRoute): OperationTarget => {
    const integration = route.integration;
    if (integration.type === 'lambda') {
      const id = resourceName(`fn-${integration.functionName}`);
      const parameter = functionUrlParameter(integration.functionName);
      parameters[parameter] = {
        type: 'string',
        metadata: {
          description: `Lambda function URL of "${integration.functionName}" (https://….lambda-url.<region>.on.aws)`,
        },
      };
      backends.set(id, `[parameters('${parameter}')]`);
      return { backendId: id };
    }
    const { origin, path } = splitUrl(withStageVariables(integration.url, config.stage.variables));
    const id = resourceName(`http-${origin.replace(/^https?:\/\//, '')}`);
    backends.set(id, origin);
    return { backendId: id, rewrite: path, method: integration.method };
  };

  const apiId = idOf('apis', api);
  resources.push({
    type: 'Microsoft.ApiManagement/service/apis',
    apiVersion: APIM_API_VERSION,
    name: nameOf(api),
    properties: {
      displayName: config.name,
      description: config.description ?? `${config.name}, exported by gantry from api.config.ts`,
      path: "[parameters('apiPath')]",
      protocols: ['https'],
      // HTTP APIs have no API keys: anyone may call, as on API Gateway.
      subscriptionRequired: false,
      type: 'http',
    },
  });
  const policy = apiPolicy(config);
  files['policies/api.xml'] = policy;
  resources.push({
    type: 'Microsoft.ApiManagement/service/apis/policies',
    apiVersion: APIM_API_VERSION,
    name: nameOf(api, 'policy'),
    dependsOn: [apiId],
    properties: { format: 'xml', value: policy },
  });

  const operations = config.routes.flatMap((route) =>
    concreteMethods(route, config.routes).map((method: HttpMethod) => ({ route, method })),
  );
  const ids = uniqueNames(
    operations.map(({ route, method }) =>
      route.path === undefined ? `${method.toLowerCase()}DefaultRoute` : operationName(method, route.path),
    ),
  );
  operations.forEach(({ route, method }, i) => {
    const operation = ids[i];
    const target = targetOf(route);
    const variables = route.path === undefined ? [{ name: 'path', greedy: true }] : pathVariables(route.path);
    resources.push({
      type: 'Microsoft.ApiManagement/service/apis/operations',
      apiVersion: APIM_API_VERSION,
      name: nameOf(api, operation),
      dependsOn: [apiId],
      properties: {
        displayName:
          route.method === 'ANY' || route.path === undefined ? `${route.routeKey} (${method})` : route.routeKey,
        method,
        urlTemplate: urlTemplate(route),
        templateParameters: variables.map((v) => ({ name: v.name, type: 'string', required: true })),
        responses: [],
      },
    });
    const xml = operationPolicy(config, route, target);
    files[`policies/${operation}.xml`] = xml;
    resources.push({
      type: 'Microsoft.ApiManagement/service/apis/operations/policies',
      apiVersion: APIM_API_VERSION,
      name: nameOf(api, operation, 'policy'),
      dependsOn: [idOf('apis/operations', api, operation), idOf('backends', target.backendId)],
      properties: { format: 'xml', value: xml },
    });
  });

  const backendResources = [...backends].map(([id, url]) => ({
    type: 'Microsoft.ApiManagement/service/backends',
    apiVersion: APIM_API_VERSION,
    name: nameOf(id),
    properties: { url, protocol: 'http', description: `gantry: ${id}` },
  }));
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { generator: 'gantry export azure-apim', api: config.name },
    parameters,
    resources: [...backendResources, ...resources],
    outputs: {
      apiUrl: {
        type: 'string',
        value: `[format('{0}/{1}', reference(resourceId('Microsoft.ApiManagement/service', ${SERVICE}), '${APIM_API_VERSION}').gatewayUrl, parameters('apiPath'))]`,
      },
    },
  };
  files['azuredeploy.json'] = `${JSON.stringify(template, null, 2)}\n`;
  const unmapped: Unmapped[] = apimUnmapped(config);
  return { files, unmapped };
}
