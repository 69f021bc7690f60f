/**
 * Config features this gateway does not emulate. The CLI prints these at startup so nobody mistakes
 * local behaviour for what AWS will serve. (JWT and Lambda authorizers are enforced: src/gateway/authorizers.)
 */
import type { ResolvedConfig } from '../config/resolved.ts';

export function unenforcedFeatures(config: ResolvedConfig): string[] {
  const warnings: string[] = [];
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
