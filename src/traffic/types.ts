/**
 * The vocabulary of the global entry point: endpoints, a routing policy, health-check settings.
 * Independent of where the endpoints come from: two regions of `gantry dev`, or several clouds
 * behind one federated name. Names follow Route 53 (failover PRIMARY/SECONDARY, weighted 0–255,
 * latency records, health checks with RequestInterval and FailureThreshold).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface TrafficEndpoint {
  /** Stable name: a region (`us-east-1`) or an endpoint of another cloud (`azure-westeurope`). */
  id: string;
  /** Base URL requests are sent to, e.g. `http://127.0.0.1:4401`. No trailing slash. */
  url: string;
  /**
   * Whether the endpoint carries a health check. As in Route 53, an endpoint without one is
   * always healthy (a failover SECONDARY without a check is served whenever the primary is not).
   * @default true
   */
  healthCheck?: boolean;
}

/**
 * An endpoint served by this same process (a regional gateway of a two-region `gantry dev`). In AWS
 * the global name is DNS: the client connects to the chosen region itself, with no proxy between.
 * The global endpoint does the same here by handing the accepted request to the endpoint's request
 * handler, instead of forwarding it over a second HTTP connection. Health checks still probe the
 * endpoint's `url` over HTTP.
 */
export interface InProcessEndpoint {
  /**
   * Serves one request, or returns false (having touched neither) when the endpoint cannot be
   * reached, as a region that is down: the global endpoint then answers as for a dead endpoint.
   */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * Route 53 failover, generalised to N endpoints in priority order (Azure Traffic Manager's
 * "priority" method; Route 53 has exactly PRIMARY then SECONDARY): the first healthy endpoint.
 */
export interface FailoverPolicy {
  type: 'failover';
  /** Endpoint ids, highest priority first. @default the endpoints' own order */
  order?: string[];
  fallback?: string;
}

/** Route 53 weighted records: share = weight / Σ weights of the healthy non-zero records. */
export interface WeightedPolicy {
  type: 'weighted';
  /** 0–255 per endpoint id; a missing id weighs 0. All zero ⇒ equal shares (Route 53). */
  weights: Record<string, number>;
  fallback?: string;
}

/**
 * Route 53 latency records: the healthy endpoint with the lowest latency from the client. Locally
 * the "client" is this machine, so a fixed latency per endpoint may be given (to rehearse a user
 * in another place); endpoints without one use their measured health-check round trip.
 */
export interface LatencyPolicy {
  type: 'latency';
  /** Simulated round trip per endpoint id, in ms. @default measured by the health checks */
  latencyMs?: Record<string, number>;
  fallback?: string;
}

/**
 * `fallback`, on every policy: the endpoint served when no endpoint is healthy (Cloudflare's
 * fallback pool). Without it, "no healthy record ⇒ every record is treated as healthy", as Route 53
 * and Traffic Manager do; for failover that answers with the primary.
 */
export type RoutingPolicy = FailoverPolicy | WeightedPolicy | LatencyPolicy;

export interface HealthCheckSettings {
  /** Path (and query) probed on every endpoint, e.g. `/health`. */
  path: string;
  /** Wait between a probe's answer and the next probe (Route 53's RequestInterval, per checker). */
  intervalMs: number;
  /** A probe that has not answered completely within this many ms fails. */
  timeoutMs: number;
  /** Consecutive results needed to flip healthy ↔ unhealthy (Route 53: 1–10, default 3). */
  failureThreshold: number;
  /** Status codes that pass, inclusive ranges. @default [[200, 399]] (Route 53: 2xx and 3xx) */
  expectedStatus?: [number, number][];
  /** HTTP_STR_MATCH: the body's first 5,120 bytes must contain this string. @default none */
  searchString?: string;
}

/** One probe's outcome. */
export interface ProbeResult {
  endpoint: string;
  /** Epoch ms at which the probe completed. */
  at: number;
  ok: boolean;
  /** HTTP status, or undefined when no answer came (refused, reset, timeout). */
  status?: number;
  /** Why it failed, in words: `connection refused`, `status 503`, `timed out after 1000 ms`. */
  reason?: string;
  latencyMs: number;
  /** How many probes of this endpoint so far, this one included. */
  sequence: number;
}

/** A flip of an endpoint's health, after `failureThreshold` consecutive results. */
export interface HealthChange {
  endpoint: string;
  at: number;
  healthy: boolean;
  /** The probe sequence number that caused the flip. */
  sequence: number;
}

export interface EndpointHealth {
  healthy: boolean;
  /** Smoothed round trip of passing probes, ms; undefined until one passes. */
  latencyMs?: number;
}
