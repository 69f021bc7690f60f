/** What the Apigee export cannot express, and what the bundle does instead. */
import type { ResolvedConfig } from '../../config/index.ts';
import type { Unmapped } from '../result.ts';
import { authorizerUnmapped, corsOriginUnmapped, lambdaIntegrationUnmapped } from '../shared-unmapped.ts';
import { throttleSites } from '../throttles.ts';
import { spikeRate } from './policies.ts';

export function apigeeUnmapped(config: ResolvedConfig, jwksUris: Record<string, string>): Unmapped[] {
  const unmapped: Unmapped[] = [];
  for (const site of throttleSites(config))
    unmapped.push({
      feature: `${site.feature}.burstLimit`,
      reason: `SpikeArrest has no bucket size (burst ${site.throttle.burstLimit})`,
      instead:
        site.throttle.rateLimit === 0 || site.throttle.burstLimit === 0
          ? 'every request answered 429, as API Gateway does for a zero throttle'
          : `SpikeArrest ${spikeRate(site.throttle.rateLimit)} with UseEffectiveCount (a sliding window)`,
    });
  unmapped.push(...lambdaIntegrationUnmapped(config, 'Apigee', 'TargetServer fn-<function>'));
  unmapped.push(...authorizerUnmapped(config, 'Apigee', 'the flow condition'));
  for (const [name, auth] of Object.entries(config.authorizers))
    if (auth.type === 'jwt' && !jwksUris[name])
      unmapped.push({
        feature: `authorizers.${name}.issuer`,
        reason:
          'VerifyJWT needs the JWKS URI, which only the issuer’s discovery document names (not reachable at export)',
        instead: `${auth.issuer.replace(/\/$/, '')}/.well-known/jwks.json assumed: check jwks_uri in ${auth.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      });
  unmapped.push(...corsOriginUnmapped(config, 'the CORS policy'));
  for (const name of Object.keys(config.stage.variables))
    unmapped.push({
      feature: `stage.variables.${name}`,
      reason: 'Apigee targets receive no stageVariables',
      instead:
        'substituted into HTTP integration URLs at export; use an environment property set for per-environment values',
    });
  return unmapped;
}
