/** `regions` in api.config.ts: the second region, and how the API's global name routes between the two. */

export interface RegionsConfig {
  /** @default 'us-east-1' */
  primary?: string;
  /** @default none (single region) */
  secondary?: string;
  /**
   * How the API's global name routes between the two regions, as Route 53 record sets: `failover`
   * (the primary while its health check passes, else the secondary; both unhealthy ⇒ the primary),
   * `weighted` (each region's share is its weight / the sum; 0–255, all zero ⇒ equal shares) or
   * `latency` (each client gets the healthy region with the lowest latency from where it is; locally
   * see `local.regionLatencyMs`).
   * Used by `gantry dev`'s global endpoint and by `gantry deploy`. Needs `secondary`.
   * @default { policy: 'failover' }
   */
  routing?: RegionRoutingConfig;
  /**
   * The Route 53 health check of each region's API. `gantry dev` probes every
   * `local.healthCheckIntervalSeconds` instead of `intervalSeconds` (so a failover takes seconds);
   * `gantry deploy` uses these values as they are. Needs `secondary`.
   * @default { path: '/health', intervalSeconds: 30, failureThreshold: 3 }
   */
  healthCheck?: RegionHealthCheckConfig;
}

export interface RegionRoutingConfig {
  /** @default 'failover' */
  policy?: 'failover' | 'weighted' | 'latency';
  /** Weighted only: region → weight, 0–255. @default 1 for each region (equal shares) */
  weights?: Record<string, number>;
}

export interface RegionHealthCheckConfig {
  /** Path probed on each region's API, inside the stage (like a route path). 2xx/3xx passes. @default '/health' */
  path?: string;
  /** Route 53's RequestInterval: 10 (fast, extra charge) or 30 seconds. @default 30 */
  intervalSeconds?: 10 | 30;
  /** Consecutive results that flip a region healthy ↔ unhealthy, 1–10. @default 3 */
  failureThreshold?: number;
}
