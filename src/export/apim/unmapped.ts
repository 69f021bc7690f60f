/** What the APIM export cannot express, and what the template does instead. */
import type { ResolvedConfig } from '../../config/index.ts';
import type { Unmapped } from '../result.ts';
import { authorizerUnmapped, corsOriginUnmapped, lambdaIntegrationUnmapped } from '../shared-unmapped.ts';
import { throttleSites, windowFor } from '../throttles.ts';

export function apimUnmapped(config: ResolvedConfig): Unmapped[] {
  const unmapped: Unmapped[] = [];
  for (const site of throttleSites(config)) {
    const { calls, periodSeconds } = windowFor(site.throttle.rateLimit);
    unmapped.push({
      feature: `${site.feature}.burstLimit`,
      reason: `rate-limit-by-key counts calls in a sliding window: no token bucket, no burst size (${site.throttle.burstLimit})`,
      instead:
        site.throttle.rateLimit === 0 || site.throttle.burstLimit === 0
          ? 'every request answered 429, as API Gateway does for a zero throttle'
          : `${calls} call${calls === 1 ? '' : 's'} per ${periodSeconds} s per route (APIM's counts are approximate)`,
    });
  }
  unmapped.push(...lambdaIntegrationUnmapped(config, 'API Management', 'template parameter <function>FunctionUrl'));
  unmapped.push(...authorizerUnmapped(config, 'API Management', 'validate-jwt'));
  unmapped.push(...corsOriginUnmapped(config, 'the cors policy'));
  for (const name of Object.keys(config.stage.variables))
    unmapped.push({
      feature: `stage.variables.${name}`,
      reason: 'APIM backends receive no stageVariables',
      instead: `named value {{stagevar-${name}}} for policies; substituted into HTTP integration URLs at export`,
    });
  return unmapped;
}
