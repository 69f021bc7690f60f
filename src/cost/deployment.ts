/**
 * What a deployed gantry API costs beyond its own requests, so a quiet API's bill is not a surprise:
 * the failover pair's Route 53 health checks and the traffic they send (Route 53's checkers call
 * `GET /health` about 30 times a minute per region, ≈ 1.3 million requests a month, through API
 * Gateway and Lambda), X-Ray active tracing of the user's requests (the health-only function is not
 * traced), and, with CloudFront, the AWS WAF web ACL, CloudFront's requests and the origin secret.
 * Mirrors what src/infra deploys; prices in prices.ts.
 */
import type { ResolvedConfig } from '../config/index.ts';
import type { LineItem } from './model.ts';
import { PRICES } from './prices.ts';

/** Requests each checked endpoint receives per minute at Route 53's 30 s interval (one every 2 s). */
export const HEALTH_CHECK_REQUESTS_PER_MINUTE = 30;
const MINUTES_PER_MONTH = 730 * 60;
/** X-Ray's default sampling rule: the first request each second, then 5 % of the rest. */
const XRAY_RESERVOIR_PER_SECOND = 1;
const XRAY_FIXED_RATE = 0.05;
const XRAY_FREE_TRACES = 100_000;
/** The web ACL's rules: the AWS common rule set and the rate-based rule. */
const WAF_RULES = 2;

export interface DeploymentShape {
  /** Route 53 health checks: one per region of a failover pair with a domain. */
  healthChecks: number;
  /** The function answering `GET /health` (its invocations are the checks' traffic), if any. */
  healthFunction?: string;
  /** Whether that function serves nothing else, and so is not traced. */
  healthFunctionUntraced: boolean;
  cloudFront: boolean;
  /** The origin secret and its replicas (secondary region, us-east-1). */
  secretCopies: number;
}

function healthRoute(config: ResolvedConfig) {
  return (
    config.routes.find((r) => r.routeKey === 'GET /health') ??
    config.routes.find((r) => r.routeKey === 'ANY /health') ??
    config.routes.find((r) => r.routeKey === '$default')
  );
}

export function deploymentShape(config: ResolvedConfig): DeploymentShape {
  const failover = Boolean(config.domain && config.regions.secondary);
  const route = failover ? healthRoute(config) : undefined;
  const healthFunction = route?.integration.type === 'lambda' ? route.integration.functionName : undefined;
  const sharedRoutes = config.routes.filter(
    (r) => r.integration.type === 'lambda' && r.integration.functionName === healthFunction,
  ).length;
  const cloudFront = Boolean(config.domain?.cloudFront);
  const regions = new Set([config.regions.primary, config.regions.secondary, 'us-east-1'].filter(Boolean));
  return {
    healthChecks: failover ? 2 : 0,
    healthFunction,
    healthFunctionUntraced: healthFunction !== undefined && sharedRoutes === 1,
    cloudFront,
    secretCopies: cloudFront ? regions.size : 0,
  };
}

/** Health-check requests a month, all regions together. */
export function healthCheckRequestsPerMonth(shape: DeploymentShape): number {
  return shape.healthChecks * HEALTH_CHECK_REQUESTS_PER_MINUTE * MINUTES_PER_MONTH;
}

/** X-Ray traces recorded in a month for a steady `tracedRps` of traced invocations. */
export function tracesPerMonth(tracedRps: number): number {
  const perSecond =
    Math.min(tracedRps, XRAY_RESERVOIR_PER_SECOND) +
    XRAY_FIXED_RATE * Math.max(0, tracedRps - XRAY_RESERVOIR_PER_SECOND);
  return perSecond * MINUTES_PER_MONTH * 60;
}

/**
 * The deployment's own line items for a month with `requestsPerMonth` user requests, of which
 * `tracedRps` per second reach traced functions. Health-check traffic itself is priced with the
 * API's requests (the caller adds it to the usage); here only its Route 53 checks, and its traces
 * when the health function is traced.
 */
export function deploymentLines(
  config: ResolvedConfig,
  input: { requestsPerMonth: number; tracedRps: number; freeTier?: boolean },
): LineItem[] {
  const shape = deploymentShape(config);
  const items: LineItem[] = [];
  if (shape.healthChecks > 0) {
    items.push({
      service: 'Route 53',
      item: 'health checks (HTTPS, AWS endpoint)',
      quantity: shape.healthChecks,
      unit: 'health checks',
      usd: shape.healthChecks * PRICES.route53.healthCheck.usd,
    });
  }
  const healthRps = shape.healthFunctionUntraced ? 0 : healthCheckRequestsPerMonth(shape) / (MINUTES_PER_MONTH * 60);
  // Each region samples on its own: the reservoir applies per region and the user traffic splits.
  const regions = config.regions.secondary ? 2 : 1;
  const traces = regions * tracesPerMonth((input.tracedRps + healthRps) / regions);
  const billedTraces = Math.max(0, traces - (input.freeTier ? XRAY_FREE_TRACES : 0));
  items.push({
    service: 'X-Ray',
    item: 'traces recorded (active tracing)',
    quantity: billedTraces,
    unit: 'traces',
    usd: (billedTraces / 1_000_000) * PRICES.xRay.tracesRecorded.usd,
  });
  if (shape.cloudFront) {
    const waf = PRICES.waf;
    items.push(
      { service: 'AWS WAF', item: 'web ACL', quantity: 1, unit: 'web ACLs', usd: waf.webAcl.usd },
      { service: 'AWS WAF', item: 'rules', quantity: WAF_RULES, unit: 'rules', usd: WAF_RULES * waf.rule.usd },
      {
        service: 'AWS WAF',
        item: 'requests',
        quantity: input.requestsPerMonth,
        unit: 'requests',
        usd: (input.requestsPerMonth / 1_000_000) * waf.requests.usd,
      },
      {
        service: 'CloudFront',
        item: 'HTTPS requests',
        quantity: input.requestsPerMonth,
        unit: 'requests',
        usd: (input.requestsPerMonth / 1_000_000) * PRICES.cloudFront.httpsRequests.usd,
      },
      {
        service: 'Secrets Manager',
        item: 'origin secret and replicas',
        quantity: shape.secretCopies,
        unit: 'secrets',
        usd: shape.secretCopies * PRICES.secretsManager.secret.usd,
      },
    );
  }
  return items;
}
