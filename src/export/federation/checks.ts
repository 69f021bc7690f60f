/**
 * What every DNS-level product needs of a federation: a host name per endpoint (DNS answers names,
 * not paths or ports), a global name, and numbers within the product's ranges. Problems are
 * collected, each naming the field, the value and what the product accepts.
 */
import type { ResolvedFederation, ResolvedFederationEndpoint } from '../../config/index.ts';

export class FederationExportError extends Error {
  override name = 'FederationExportError';
  constructor(
    readonly target: string,
    readonly problems: string[],
  ) {
    super(`${target} cannot express this federation:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface EndpointHost {
  endpoint: ResolvedFederationEndpoint;
  https: boolean;
  host: string;
  port: number;
}

export function endpointHosts(federation: ResolvedFederation, product: string, problems: string[]): EndpointHost[] {
  return federation.endpoints.map((endpoint) => {
    const url = new URL(endpoint.url);
    const https = url.protocol === 'https:';
    const port = url.port ? Number(url.port) : https ? 443 : 80;
    const where = `federation.endpoints.${endpoint.id}.url`;
    if (url.pathname !== '/' && url.pathname !== '')
      problems.push(
        `${where}: "${endpoint.url}" has the path ${url.pathname}; ${product} answers a host name, so each endpoint must serve the API at its root (a custom domain with a base path mapping)`,
      );
    if (url.port)
      problems.push(
        `${where}: port ${url.port}; clients of a DNS name connect to ${https ? 443 : 80}, so serve the API there`,
      );
    return { endpoint, https, host: url.hostname, port };
  });
}

export function within(
  problems: string[],
  field: string,
  value: number,
  low: number,
  high: number,
  product: string,
): void {
  if (!(value >= low && value <= high)) problems.push(`${field}: ${value}; ${product} accepts ${low} to ${high}`);
}

export function oneOf(problems: string[], field: string, value: number, allowed: number[], product: string): void {
  if (!allowed.includes(value)) problems.push(`${field}: ${value}; ${product} accepts ${allowed.join(' or ')}`);
}

export function needHostname(federation: ResolvedFederation, problems: string[]): string {
  if (!federation.hostname)
    problems.push('federation.hostname: missing; the export creates this DNS name (e.g. "api.example.com")');
  return federation.hostname ?? 'api.example.com';
}
