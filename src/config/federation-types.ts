/** `federation` in api.config.ts: one entry point across deployments of the API (`gantry federate`). */

/** One deployment of this API behind the federated entry point (a cloud's gateway, or a `gantry dev`). */
export interface FederationEndpointConfig {
  /** Base URL, e.g. `https://abc.execute-api.us-east-1.amazonaws.com` or an APIM gateway URL. No trailing slash. */
  url: string;
  /** Weighted steering: this endpoint's share is weight / Σ weights of the healthy ones; 0–255. @default 1 */
  weight?: number;
  /** Failover steering: the lowest priority that is healthy answers (1 = primary). @default the order written */
  priority?: number;
  /**
   * Where it runs, for DNS latency steering: an AWS region for Route 53 latency records, an Azure
   * region for Traffic Manager's Performance method. @default none
   */
  location?: string;
}

/** The HTTP health check every endpoint gets. */
export interface FederationHealthCheckConfig {
  /** Probed with GET on every endpoint; 2xx and 3xx pass. @default '/health' */
  path?: string;
  /** Seconds between probes (Route 53 and Traffic Manager: 10 or 30). @default 30 */
  intervalSeconds?: number;
  /** A probe not answered within this many seconds fails (Traffic Manager 5–10). @default 5 */
  timeoutSeconds?: number;
  /** Consecutive failures (or passes) that flip an endpoint's health (Route 53: 1–10). @default 3 */
  failureThreshold?: number;
}

/**
 * One global entry point across deployments of this API on several clouds: `gantry federate` runs it
 * locally, `gantry export federation --target …` renders it for Route 53, Traffic Manager or Cloudflare.
 */
export interface FederationConfig {
  endpoints: Record<string, FederationEndpointConfig>;
  /**
   * `failover` (the healthy endpoint of lowest priority), `weighted` (shares by weight) or `latency`
   * (the healthy endpoint with the lowest round trip). @default 'failover'
   */
  steering?: 'failover' | 'weighted' | 'latency';
  /** @default { path: '/health', intervalSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 } */
  healthCheck?: FederationHealthCheckConfig;
  /**
   * The endpoint served when none is healthy (Cloudflare's fallback pool). @default none: every
   * endpoint is served as if healthy, as Route 53 and Traffic Manager do
   */
  fallback?: string;
  /** The global DNS name the exports create, e.g. `api.example.com`. @default none */
  hostname?: string;
  /** DNS TTL of the exported records. @default 60 */
  ttlSeconds?: number;
}
