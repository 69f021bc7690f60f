/**
 * Record selection as Route 53 does it, as a pure function of the policy and each endpoint's last
 * known health (health is never checked at query time). Computed once per health change into a
 * `Selection`, so that answering a request is one random number and a short scan.
 */
import type { EndpointHealth, RoutingPolicy, TrafficEndpoint } from './types.ts';

export interface Selection {
  /** Endpoints that may be answered, in order. */
  candidates: TrafficEndpoint[];
  /** Cumulative weights, same length as candidates; undefined: always the first candidate. */
  cumulative?: number[];
  /** Sum of the weights (the last cumulative value). */
  total: number;
  /** True when no endpoint was healthy and the policy's last resort applied. */
  lastResort: boolean;
}

export type HealthView = (id: string) => EndpointHealth;

/** Refuses a policy Route 53 (or the endpoint set) would refuse; returns the error in words. */
export function validatePolicy(policy: RoutingPolicy, endpoints: readonly TrafficEndpoint[]): string | undefined {
  const ids = new Set(endpoints.map((e) => e.id));
  if (endpoints.length === 0) return 'routing needs at least one endpoint';
  if (ids.size !== endpoints.length) return 'endpoint ids must be unique';
  const known = (what: string, id: string) => (ids.has(id) ? undefined : `${what}: unknown endpoint "${id}"`);
  if (policy.fallback !== undefined) {
    const error = known('fallback', policy.fallback);
    if (error) return error;
  }
  if (policy.type === 'failover') {
    for (const id of policy.order ?? []) {
      const error = known('failover order', id);
      if (error) return error;
    }
  } else if (policy.type === 'weighted') {
    for (const [id, weight] of Object.entries(policy.weights)) {
      const error = known('weights', id);
      if (error) return error;
      if (!Number.isInteger(weight) || weight < 0 || weight > 255) {
        return `weights.${id}: expected an integer from 0 to 255 (Route 53's range), got ${weight}`;
      }
    }
  } else if (policy.type === 'latency') {
    for (const [id, ms] of Object.entries(policy.latencyMs ?? {})) {
      const error = known('latencyMs', id);
      if (error) return error;
      if (!Number.isFinite(ms) || ms < 0) return `latencyMs.${id}: expected a number of milliseconds ≥ 0, got ${ms}`;
    }
  } else {
    return `unknown routing policy "${(policy as { type: string }).type}": expected failover, weighted or latency`;
  }
  return undefined;
}

function ordered(policy: RoutingPolicy, endpoints: readonly TrafficEndpoint[]): TrafficEndpoint[] {
  if (policy.type !== 'failover' || !policy.order) return [...endpoints];
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const first = policy.order.map((id) => byId.get(id)!);
  return [...first, ...endpoints.filter((e) => !policy.order!.includes(e.id))];
}

/** The choice among `pool`, all of which count as healthy. */
function choose(policy: RoutingPolicy, pool: TrafficEndpoint[], health: HealthView): Omit<Selection, 'lastResort'> {
  if (policy.type === 'failover') return { candidates: pool.slice(0, 1), total: 1 };
  if (policy.type === 'latency') {
    let best = pool[0];
    let bestMs = Number.POSITIVE_INFINITY;
    for (const endpoint of pool) {
      const ms = policy.latencyMs?.[endpoint.id] ?? health(endpoint.id).latencyMs ?? Number.POSITIVE_INFINITY;
      if (ms < bestMs) {
        best = endpoint;
        bestMs = ms;
      }
    }
    return { candidates: [best], total: 1 };
  }
  // Weighted: zero-weight records answer only when every non-zero record is out (Route 53).
  const weighted = pool.filter((e) => (policy.weights[e.id] ?? 0) > 0);
  const candidates = weighted.length > 0 ? weighted : pool;
  const cumulative: number[] = [];
  let total = 0;
  for (const endpoint of candidates) {
    total += weighted.length > 0 ? policy.weights[endpoint.id] : 1;
    cumulative.push(total);
  }
  return { candidates, cumulative, total };
}

export function select(policy: RoutingPolicy, endpoints: readonly TrafficEndpoint[], health: HealthView): Selection {
  const all = ordered(policy, endpoints);
  const healthy = all.filter((e) => e.healthCheck === false || health(e.id).healthy);
  if (healthy.length > 0) return { ...choose(policy, healthy, health), lastResort: false };
  if (policy.fallback !== undefined) {
    return { candidates: all.filter((e) => e.id === policy.fallback), total: 1, lastResort: true };
  }
  // No record healthy: Route 53 treats them all as healthy (failover ⇒ the primary).
  return { ...choose(policy, all, health), lastResort: true };
}

/** One answer from a selection; `random` in [0, 1). */
export function pick(selection: Selection, random: number): TrafficEndpoint {
  const { candidates, cumulative } = selection;
  if (cumulative === undefined || candidates.length === 1) return candidates[0];
  const target = random * selection.total;
  for (let i = 0; i < cumulative.length; i++) if (target < cumulative[i]) return candidates[i];
  return candidates[candidates.length - 1];
}
