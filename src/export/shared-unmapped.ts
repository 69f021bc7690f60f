/**
 * Gaps every non-AWS gateway shares: what a Lambda integration, a Lambda authorizer, a Cognito-backed
 * JWT authorizer and API Gateway's wildcard CORS origins become when the API leaves API Gateway.
 */
import type { ResolvedConfig } from '../config/index.ts';
import type { Unmapped } from './result.ts';
import { routeField } from './routes.ts';

/** Functions reached over HTTP at their Lambda function URLs, which speak payload 2.0 only. */
export function lambdaIntegrationUnmapped(config: ResolvedConfig, gateway: string, parameter: string): Unmapped[] {
  const unmapped: Unmapped[] = [];
  const functions = [
    ...new Set(config.routes.flatMap((r) => (r.integration.type === 'lambda' ? [r.integration.functionName] : []))),
  ];
  if (functions.length)
    unmapped.push({
      feature: 'routes.*.function',
      reason: `${gateway} calls HTTP backends, not Lambda's Invoke API`,
      instead: `each function (${functions.join(', ')}) is reached at its Lambda function URL (${parameter}), which sends payload 2.0 events with routeKey "$default", no stage and no authorizer context`,
    });
  for (const route of config.routes)
    if (route.integration.type === 'lambda' && route.integration.payloadFormatVersion === '1.0')
      unmapped.push({
        feature: routeField(route, 'payloadFormatVersion'),
        reason: 'Lambda function URLs send payload format 2.0 only',
        instead: 'the function receives 2.0 events: read rawPath/requestContext.http, not path/httpMethod',
      });
  return unmapped;
}

export function authorizerUnmapped(config: ResolvedConfig, gateway: string, jwtPolicy: string): Unmapped[] {
  const unmapped: Unmapped[] = [];
  for (const [name, auth] of Object.entries(config.authorizers)) {
    const users = config.routes.filter((r) => r.authorizer === name).map((r) => r.routeKey);
    if (auth.type === 'lambda')
      unmapped.push({
        feature: `authorizers.${name}`,
        reason: `a Lambda authorizer is code ${gateway} cannot run${auth.resultTtlSeconds ? `, and its ${auth.resultTtlSeconds} s result cache has no twin` : ''}`,
        instead: `its routes (${users.join(', ') || 'none'}) answer 401 {"message":"Unauthorized"}: fail closed until you port the check`,
      });
    else {
      unmapped.push({
        feature: `authorizers.${name}.audience`,
        reason: `API Gateway accepts the audience in "aud" or "client_id"; ${jwtPolicy} checks "aud"`,
        instead: 'tokens must carry the audience in "aud"',
      });
      if (auth.cognitoUserPool)
        unmapped.push({
          feature: `authorizers.${name}.cognitoUserPool`,
          reason: 'the Cognito user pool exists only once gantry deploy creates it',
          instead: `the configured issuer ${auth.issuer} is trusted; point it at the pool's issuer after deploy`,
        });
    }
  }
  return unmapped;
}

export function corsOriginUnmapped(config: ResolvedConfig, gateway: string): Unmapped[] {
  const wildcards = config.cors?.allowOrigins.filter((o) => o !== '*' && o.includes('*')) ?? [];
  if (!wildcards.length) return [];
  const others = config.cors!.allowOrigins.filter((o) => o === '*' || !o.includes('*'));
  return [
    {
      feature: 'cors.allowOrigins',
      reason: `${gateway} takes "*" or whole origins, not API Gateway's scheme wildcards (${wildcards.join(', ')})`,
      instead: others.length ? `only ${others.join(', ')} allowed` : 'widened to "*"',
    },
  ];
}
