/**
 * `federation`: the endpoints of one global entry point across clouds, with the defaults of the DNS
 * products it renders to (failover; `/health` every 30 s, 5 s timeout, threshold 3; TTL 60 s).
 * Product-specific ranges (Route 53's 10 or 30 s, Traffic Manager's 1–1000 weights) are checked by
 * each export, not here: `gantry federate` runs any value.
 */
import type { ResolvedFederation } from './resolved.ts';
import type { FederationConfig } from './types.ts';

export const FEDERATION_DEFAULTS = {
  steering: 'failover',
  path: '/health',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  failureThreshold: 3,
  weight: 1,
  ttlSeconds: 60,
} as const;

export function resolveFederation(
  input: FederationConfig | undefined,
  problems: string[],
): ResolvedFederation | undefined {
  if (input === undefined) return undefined;
  const D = FEDERATION_DEFAULTS;
  const names = Object.keys(input.endpoints);
  const endpoints = Object.entries(input.endpoints)
    .map(([id, e], index) => ({
      id,
      url: e.url,
      weight: e.weight ?? D.weight,
      priority: e.priority ?? index + 1,
      location: e.location,
    }))
    .sort((a, b) => a.priority - b.priority);
  const steering = input.steering ?? D.steering;
  for (let i = 1; i < endpoints.length; i++)
    if (steering === 'failover' && endpoints[i].priority === endpoints[i - 1].priority)
      problems.push(
        `federation.endpoints.${endpoints[i].id}.priority: ${endpoints[i].priority} is also ${endpoints[i - 1].id}'s; failover needs a distinct priority per endpoint`,
      );
  if (input.fallback !== undefined && !names.includes(input.fallback))
    problems.push(`federation.fallback: unknown endpoint "${input.fallback}" (known: ${names.join(', ')})`);
  const timeoutSeconds = input.healthCheck?.timeoutSeconds ?? D.timeoutSeconds;
  const intervalSeconds = input.healthCheck?.intervalSeconds ?? D.intervalSeconds;
  if (steering === 'weighted' && endpoints.every((e) => e.weight === 0))
    problems.push('federation.endpoints: every weight is 0; give at least one endpoint a weight above 0');
  return {
    endpoints,
    steering,
    healthCheck: {
      path: input.healthCheck?.path ?? D.path,
      intervalSeconds,
      timeoutSeconds,
      failureThreshold: input.healthCheck?.failureThreshold ?? D.failureThreshold,
    },
    fallback: input.fallback,
    hostname: input.hostname,
    ttlSeconds: input.ttlSeconds ?? D.ttlSeconds,
  };
}
