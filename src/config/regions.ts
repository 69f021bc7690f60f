/**
 * `regions`: the two regions, how the global name routes between them and their health checks,
 * with Route 53's defaults (failover; 30 s interval, threshold 3; `/health`).
 */
import { REGION_ROUTING_DEFAULTS as D, DEFAULT_REGION } from '../aws/defaults.ts';
import type { ResolvedRegions } from './resolved.ts';
import type { LocalConfig, RegionsConfig } from './types.ts';

/** The regions a config serves: its primary, then its secondary when it has one. */
export function servedRegions(regions: Pick<ResolvedRegions, 'primary' | 'secondary'>): string[] {
  return regions.secondary ? [regions.primary, regions.secondary] : [regions.primary];
}

/** `local.regionLatencyMs` is read here: it only means something beside `regions.routing`. */
export function resolveRegions(
  input: RegionsConfig | undefined,
  problems: string[],
  local?: Pick<LocalConfig, 'regionLatencyMs'>,
): ResolvedRegions {
  const primary = input?.primary ?? DEFAULT_REGION;
  const secondary = input?.secondary;
  const policy = input?.routing?.policy ?? D.policy;
  if (secondary === undefined) {
    for (const field of ['routing', 'healthCheck'] as const) {
      if (input?.[field] !== undefined) {
        problems.push(`regions.${field}: needs regions.secondary (one region has nothing to route between)`);
      }
    }
  } else if (secondary === primary) {
    problems.push(`regions.secondary: "${secondary}" is the primary region too; expected another region`);
  }
  const given = input?.routing?.weights;
  if (given !== undefined && policy !== 'weighted') {
    problems.push(`regions.routing.weights: only a weighted policy has weights (policy is "${policy}")`);
  }
  const regions = servedRegions({ primary, secondary });
  for (const region of Object.keys(given ?? {})) {
    if (!regions.includes(region)) {
      problems.push(`regions.routing.weights.${region}: not one of the regions (expected ${regions.join(' or ')})`);
    }
  }
  const weights = Object.fromEntries(regions.map((r) => [r, given ? (given[r] ?? 0) : D.weight]));
  const latency = local?.regionLatencyMs;
  if (latency !== undefined && (secondary === undefined || policy !== 'latency')) {
    problems.push(
      `local.regionLatencyMs: only latency routing between two regions uses it (regions.routing.policy is "${policy}"${secondary === undefined ? ', no regions.secondary' : ''})`,
    );
  }
  for (const region of Object.keys(latency ?? {})) {
    if (!regions.includes(region)) {
      problems.push(`local.regionLatencyMs.${region}: not one of the regions (expected ${regions.join(' or ')})`);
    }
  }
  const latencyMs = Object.fromEntries(regions.map((r) => [r, latency?.[r] ?? 0]));
  return {
    primary,
    secondary,
    routing: { policy, weights, latencyMs },
    healthCheck: {
      path: input?.healthCheck?.path ?? D.healthCheckPath,
      intervalSeconds: input?.healthCheck?.intervalSeconds ?? D.healthCheckIntervalSeconds,
      failureThreshold: input?.healthCheck?.failureThreshold ?? D.healthCheckFailureThreshold,
    },
  };
}
