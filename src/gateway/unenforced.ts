/**
 * Config features this gateway does not emulate yet. The CLI prints these at startup so nobody
 * mistakes an open local route for the protected one AWS will serve.
 */
import type { ResolvedConfig } from '../config/resolved.ts';

export function unenforcedFeatures(config: ResolvedConfig): string[] {
  const warnings: string[] = [];
  const used = new Set<string>();
  for (const route of config.routes) {
    if (route.authorizer === undefined) continue;
    used.add(route.authorizer);
    const type = config.authorizers[route.authorizer]?.type ?? 'unknown';
    let warning = `${route.routeKey}: authorizer "${route.authorizer}" (${type}) is NOT enforced by gantry dev: the route is open locally but protected in AWS`;
    if (route.scopes.length > 0) warning += ` (its scopes ${route.scopes.join(', ')} are not checked either)`;
    warnings.push(warning);
  }
  for (const [name, authorizer] of Object.entries(config.authorizers)) {
    if (used.has(name)) continue;
    warnings.push(
      `authorizer "${name}" (${authorizer.type}) is defined but no route uses it; gantry dev does not enforce authorizers`,
    );
  }
  if (config.domain) {
    warnings.push(
      `domain "${config.domain.name}" is NOT served by gantry dev: requests use the local address, and events carry the execute-api domain name, as when the API is called without its custom domain`,
    );
  }
  if (config.regions.secondary) {
    warnings.push(
      `regions.secondary "${config.regions.secondary}" is deploy-only: gantry dev serves one region (${config.regions.primary}), with no failover between two`,
    );
  }
  return warnings;
}
