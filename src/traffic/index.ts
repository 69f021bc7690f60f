/** The global entry point: one router over endpoints (regions or clouds), health checks, a proxy. */

export { federationPolicy, federationRouterOptions } from './federation.ts';
export {
  createGlobalEndpoint,
  type GlobalEndpoint,
  type GlobalEndpointOptions,
  type ListenerTimeouts,
} from './global-endpoint.ts';
export { HealthChecker, type HealthCheckStatus } from './health-check.ts';
export { pick, type Selection, select, validatePolicy } from './policy.ts';
export { EndpointRouter, type EndpointRouterOptions, type RouterSnapshot, type ServingChange } from './router.ts';
export type * from './types.ts';
