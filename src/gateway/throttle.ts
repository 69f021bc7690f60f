/**
 * Token-bucket throttling as API Gateway applies it: the account's regional bucket for every request,
 * then one bucket per route, sized by the route's own settings or else the stage's default route
 * settings. A bucket of burst 0 refuses everything: a stage written with rate 0 / burst 0 answers every
 * request 429, the trap Terraform and Pulumi users hit. Time comes from the caller (monotonic ms), so
 * tests drive it without sleeping.
 */
import type { ResolvedRoute } from '../config/resolved.ts';
import type { ThrottleConfig } from '../config/types.ts';

/** Account-level quota per region: 10,000 rps steady, 5,000 burst. */
export const ACCOUNT_THROTTLE: ThrottleConfig = { rateLimit: 10_000, burstLimit: 5_000 };
/**
 * The 13 regions whose default account quota is 2,500 rps / burst 1,250 ("Amazon API Gateway quotas":
 * Cape Town, Milan, Jakarta, UAE, Hyderabad, Melbourne, Spain, Zurich, Tel Aviv, Calgary, Malaysia,
 * Thailand, Mexico Central).
 */
const LOWER_QUOTA_REGIONS = new Set([
  'af-south-1',
  'eu-south-1',
  'ap-southeast-3',
  'me-central-1',
  'ap-south-2',
  'ap-southeast-4',
  'eu-south-2',
  'eu-central-2',
  'il-central-1',
  'ca-west-1',
  'ap-southeast-5',
  'ap-southeast-7',
  'mx-central-1',
]);

export function accountThrottleFor(region: string): ThrottleConfig {
  return LOWER_QUOTA_REGIONS.has(region) ? { rateLimit: 2_500, burstLimit: 1_250 } : ACCOUNT_THROTTLE;
}

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
}

/**
 * Builds the route buckets for a config. The account bucket is passed in so that it survives a
 * config reload (it belongs to the account, not to the API's definition); undefined disables it.
 */
export function compileThrottle(
  routes: readonly ResolvedRoute[],
  stageThrottle: ThrottleConfig | undefined,
  account: TokenBucket | undefined,
  now: number,
): Throttle {
  const buckets = new Map<ResolvedRoute, TokenBucket>();
  for (const route of routes) {
    const settings = route.throttle ?? stageThrottle;
    if (settings) buckets.set(route, new TokenBucket(settings.rateLimit, settings.burstLimit, now));
  }
  return {
    allow(route, now) {
      if (account !== undefined && !account.take(now)) return false;
      if (route === undefined) return true;
      const bucket = buckets.get(route);
      return bucket === undefined || bucket.take(now);
    },
  };
}
