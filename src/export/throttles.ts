/** The throttles of a config (stage and routes) and how gateways without a token bucket approximate them. */
import type { ResolvedConfig, ResolvedRoute, ThrottleConfig } from '../config/index.ts';
import type { Unmapped } from './result.ts';
import { routeField } from './routes.ts';

export interface ThrottleSite {
  /** `stage.throttle` or `routes["POST /x"].throttle`. */
  feature: string;
  throttle: ThrottleConfig;
  /** Undefined for the stage's. */
  route?: ResolvedRoute;
}

export function throttleSites(config: ResolvedConfig): ThrottleSite[] {
  const sites: ThrottleSite[] = [];
  if (config.stage.throttle) sites.push({ feature: 'stage.throttle', throttle: config.stage.throttle });
  for (const route of config.routes)
    if (route.throttle) sites.push({ feature: routeField(route, 'throttle'), throttle: route.throttle, route });
  return sites;
}

export function throttleUnmapped(config: ResolvedConfig, reason: string, instead: string): Unmapped[] {
  return throttleSites(config).map((s) => ({
    feature: s.feature,
    reason: `${reason} (rateLimit ${s.throttle.rateLimit}/s, burstLimit ${s.throttle.burstLimit})`,
    instead,
  }));
}

/** The burst of each throttle: gateways that count in windows have no bucket size. */
export function burstUnmapped(config: ResolvedConfig, gateway: string, instead: string): Unmapped[] {
  return throttleSites(config).map((s) => ({
    feature: `${s.feature}.burstLimit`,
    reason: `${gateway} has no token bucket, so no burst size (${s.throttle.burstLimit})`,
    instead,
  }));
}

/**
 * A sliding window that admits `rateLimit` per second on average: the shortest window (1–300 s, APIM's
 * bounds) in which the rate is a whole number of calls, so 0.5/s becomes 1 call per 2 s, not 1 per 1 s.
 */
export function windowFor(rateLimit: number): { calls: number; periodSeconds: number } {
  for (let period = 1; period <= 300; period++) {
    const calls = rateLimit * period;
    if (Math.abs(calls - Math.round(calls)) < 1e-9 && Math.round(calls) >= 1)
      return { calls: Math.round(calls), periodSeconds: period };
  }
  return { calls: Math.max(1, Math.round(rateLimit * 300)), periodSeconds: 300 };
}
