/**
 * The endpoint router: a policy over a set of endpoints, kept current by health checks. The
 * selection is recomputed when a health check flips (or, for latency routing, when a round trip is
 * measured), never per request: `choose()` is one random number and a short scan.
 */
import { HealthChecker, type HealthCheckStatus } from './health-check.ts';
import { pick, type Selection, select, validatePolicy } from './policy.ts';
import type { EndpointHealth, HealthCheckSettings, RoutingPolicy, TrafficEndpoint } from './types.ts';

export interface EndpointRouterOptions {
  endpoints: TrafficEndpoint[];
  policy: RoutingPolicy;
  /** Without settings no endpoint is probed and all count as healthy. */
  healthCheck?: HealthCheckSettings;
  /** Source of randomness for weighted answers, [0, 1). @default Math.random */
  random?: () => number;
}

/** What the router answers with now, and since when. */
export interface ServingChange {
  at: number;
  /** Endpoint ids that can be answered now (one for failover and latency). */
  serving: string[];
  /** True when no endpoint is healthy and the last resort answers. */
  lastResort: boolean;
}

export interface RouterSnapshot {
  policy: RoutingPolicy['type'];
  serving: string[];
  lastResort: boolean;
  endpoints: (TrafficEndpoint & EndpointHealth & { answered: number; probes?: number })[];
}

export class EndpointRouter {
  readonly endpoints: readonly TrafficEndpoint[];
  readonly policy: RoutingPolicy;
  readonly checker: HealthChecker | undefined;
  readonly #random: () => number;
  readonly #answered = new Map<string, number>();
  readonly #listeners = new Set<(change: ServingChange) => void>();
  #selection: Selection;

  constructor(options: EndpointRouterOptions) {
    const error = validatePolicy(options.policy, options.endpoints);
    if (error) throw new Error(`routing policy: ${error}`);
    this.endpoints = options.endpoints;
    this.policy = options.policy;
    this.#random = options.random ?? Math.random;
    for (const endpoint of options.endpoints) this.#answered.set(endpoint.id, 0);
    if (options.healthCheck) {
      this.checker = new HealthChecker(options.endpoints, options.healthCheck);
      this.checker.onChange(() => this.#reselect());
      if (options.policy.type === 'latency') this.checker.onProbe(() => this.#reselect());
    }
    this.#selection = this.#compute();
  }

  /** Starts the health checks (if any). */
  start(): void {
    this.checker?.start();
  }

  async stop(): Promise<void> {
    await this.checker?.stop();
  }

  /** The endpoint for one request. */
  choose(): TrafficEndpoint {
    const endpoint = pick(this.#selection, this.#random());
    this.#answered.set(endpoint.id, this.#answered.get(endpoint.id)! + 1);
    return endpoint;
  }

  health(id: string): EndpointHealth {
    return this.checker?.health(id) ?? { healthy: true };
  }

  serving(): ServingChange {
    return {
      at: Date.now(),
      serving: this.#selection.candidates.map((e) => e.id),
      lastResort: this.#selection.lastResort,
    };
  }

  /** Told every time the set of answered endpoints changes. */
  onServingChange(listener: (change: ServingChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  snapshot(): RouterSnapshot {
    const probes = new Map<string, HealthCheckStatus>((this.checker?.status() ?? []).map((s) => [s.endpoint, s]));
    return {
      policy: this.policy.type,
      serving: this.#selection.candidates.map((e) => e.id),
      lastResort: this.#selection.lastResort,
      endpoints: this.endpoints.map((e) => ({
        ...e,
        ...this.health(e.id),
        answered: this.#answered.get(e.id)!,
        probes: probes.get(e.id)?.probes,
      })),
    };
  }

  #compute(): Selection {
    return select(this.policy, this.endpoints, (id) => this.health(id));
  }

  #reselect(): void {
    const before = this.#selection;
    this.#selection = this.#compute();
    const same =
      before.lastResort === this.#selection.lastResort &&
      before.candidates.length === this.#selection.candidates.length &&
      before.candidates.every((e, i) => e === this.#selection.candidates[i]);
    if (same) return;
    const change = this.serving();
    for (const listener of this.#listeners) listener(change);
  }
}
