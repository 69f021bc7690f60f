/**
 * Token-bucket throttling as API Gateway applies it: the account's regional bucket for every request,
 * then one bucket per route, sized by the route's own settings or else the stage's default route
 * settings. A bucket of burst 0 refuses everything: a stage written with rate 0 / burst 0 answers every
 * request 429, the trap Terraform and Pulumi users hit. Time comes from the caller (monotonic ms), so
 * tests drive it without sleeping.
 */
import type { ResolvedRoute } from '../config/resolved.ts';
import type { ThrottleConfig } from '../config/types.ts';

export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    readonly rateLimit: number,
    readonly burstLimit: number,
    now: number,
  ) {
    this.tokens = burstLimit;
    this.last = now;
  }

  /** Takes one token if there is one; `now` in milliseconds from a monotonic clock. */
  take(now: number): boolean {
    if (now > this.last) {
      this.tokens = Math.min(this.burstLimit, this.tokens + ((now - this.last) * this.rateLimit) / 1000);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

export interface Throttle {
  /** Whether the request may proceed; `route` is undefined when no route matched (account bucket only). */
  allow(route: ResolvedRoute | undefined, now: number): boolean;
  /** Each throttled route key's bucket: a reload keeps those whose limits did not change. */
  readonly buckets: ReadonlyMap<string, TokenBucket>;
}

/**
 * Builds the route buckets for a config. The account bucket is passed in so that it survives a
 * config reload (it belongs to the account, not to the API's definition); undefined disables it.
 * A route whose key and limits are those of `previous` keeps its bucket, tokens and all, as a stage
 * update in AWS does not refill the buckets of routes it did not change.
 */
export function compileThrottle(
  routes: readonly ResolvedRoute[],
  stageThrottle: ThrottleConfig | undefined,
  account: TokenBucket | undefined,
  now: number,
  previous?: Throttle,
): Throttle {
  const buckets = new Map<ResolvedRoute, TokenBucket>();
  const byKey = new Map<string, TokenBucket>();
  for (const route of routes) {
    const settings = route.throttle ?? stageThrottle;
    if (!settings) continue;
    const kept = previous?.buckets.get(route.routeKey);
    const bucket =
      kept && kept.rateLimit === settings.rateLimit && kept.burstLimit === settings.burstLimit
        ? kept
        : new TokenBucket(settings.rateLimit, settings.burstLimit, now);
    buckets.set(route, bucket);
    byKey.set(route.routeKey, bucket);
  }
  return {
    buckets: byKey,
    allow(route, now) {
      if (account !== undefined && !account.take(now)) return false;
      if (route === undefined) return true;
      const bucket = buckets.get(route);
      return bucket === undefined || bucket.take(now);
    },
  };
}
