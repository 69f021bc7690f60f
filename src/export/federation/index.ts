/** `gantry export federation --target …`: the config's federation rendered for one product, or refused. */
import type { ResolvedConfig } from '../../config/index.ts';
import type { ExportResult } from '../result.ts';
import { FederationExportError } from './checks.ts';
import { exportCloudflare } from './cloudflare.ts';
import { exportRoute53 } from './route53.ts';
import { exportTrafficManager } from './traffic-manager.ts';

export const FEDERATION_TARGETS = ['route53', 'traffic-manager', 'cloudflare'] as const;
export type FederationTarget = (typeof FEDERATION_TARGETS)[number];
export { FederationExportError };

/** Throws FederationExportError listing every value the product cannot express. */
export function exportFederation(config: ResolvedConfig, target: FederationTarget): ExportResult {
  const federation = config.federation;
  if (!federation)
    throw new FederationExportError(target, [
      'federation: missing; add a `federation` section (see docs/federation.md)',
    ]);
  if (target === 'route53') return exportRoute53(federation);
  if (target === 'traffic-manager') return exportTrafficManager(federation, config.name.toLowerCase());
  return exportCloudflare(federation);
}
