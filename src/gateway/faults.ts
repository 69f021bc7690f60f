/**
 * The gateway's side of fault injection: what it asks, per request on a route, when faults are
 * active. src/chaos answers; the CLI sets the answerer only while a fault exists, so with none
 * active a request pays one null check.
 */

/** What happens to one request. */
export interface RouteFault {
  /** Milliseconds the gateway holds the request before its integration (counted in Latency, not IntegrationLatency). */
  readonly delayMs: number;
  /** Reset the client's connection (TCP RST) instead of answering. */
  readonly reset: boolean;
}

export interface GatewayFaults {
  /** Asked once per request that matched `routeKey`; undefined: this one is not hit. */
  route(routeKey: string): RouteFault | undefined;
}
