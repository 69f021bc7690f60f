/**
 * The config's `federation` as the endpoint router's options: the same router, policies and health
 * checks `gantry dev` uses between two regions, here across any HTTP endpoints (several clouds).
 */
import type { ResolvedFederation } from '../config/index.ts';
import type { EndpointRouterOptions } from './router.ts';
import type { RoutingPolicy } from './types.ts';

export function federationPolicy(federation: ResolvedFederation): RoutingPolicy {
  const fallback = federation.fallback;
  if (federation.steering === 'weighted')
    return {
      type: 'weighted',
      weights: Object.fromEntries(federation.endpoints.map((e) => [e.id, e.weight])),
      fallback,
    };
  if (federation.steering === 'latency') return { type: 'latency', fallback };
  return { type: 'failover', order: federation.endpoints.map((e) => e.id), fallback };
}

/** `intervalMs` replaces the configured interval (a local rehearsal need not wait 30 s per probe). */
export function federationRouterOptions(
  federation: ResolvedFederation,
  overrides: { intervalMs?: number; random?: () => number } = {},
): EndpointRouterOptions {
  const check = federation.healthCheck;
  return {
    endpoints: federation.endpoints.map((e) => ({ id: e.id, url: e.url })),
    policy: federationPolicy(federation),
    healthCheck: {
      path: check.path,
      intervalMs: overrides.intervalMs ?? check.intervalSeconds * 1000,
      timeoutMs: check.timeoutSeconds * 1000,
      failureThreshold: check.failureThreshold,
    },
    random: overrides.random,
  };
}
