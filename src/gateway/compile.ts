/**
 * Everything the request path needs, computed once per config (at startup and on hot reload):
 * stage, route table, CORS, throttle buckets, and per-route integration data.
 */
import type { JSONWebKeySet } from 'jose';
import type { ResolvedConfig, ResolvedRoute } from '../config/resolved.ts';
import type { Invoker } from '../runtime/types.ts';
import { compileAuthorizers } from './authorizers/compile.ts';
import type { RouteAuthorizer } from './authorizers/types.ts';
import { type Cors, compileCors } from './cors.ts';
import { compileHttpTarget, type HttpTarget } from './http-integration.ts';
import type { ApiContext } from './request.ts';
import { compileRouter, type Router } from './router.ts';
import { compileStage, type Stage } from './stage.ts';
import { compileThrottle, type Throttle, type TokenBucket } from './throttle.ts';

export type RouteIntegration =
  | { type: 'lambda'; functionName: string; payloadFormatVersion: '2.0' | '1.0' }
  | { type: 'http'; target: HttpTarget; method: string | undefined };

export interface CompiledRoute {
  routeKey: string;
  /** The route's path, or `$default`. */
  resourcePath: string;
  integration: RouteIntegration;
  timeoutInMillis: number;
  /** Undefined for an open route: it then pays nothing for authorizers. */
  authorizer: RouteAuthorizer | undefined;
}

/** What authorizers need beyond the config. */
export interface AuthorizerContext {
  /** Read on each use: the runtime behind it may be swapped. */
  readonly invoker: Invoker;
  localIssuerKeys?: JSONWebKeySet;
}

export interface CompiledApi {
  config: ResolvedConfig;
  api: ApiContext;
  stage: Stage;
  router: Router;
  cors: Cors | undefined;
  throttle: Throttle;
  routes: Map<ResolvedRoute, CompiledRoute>;
}

export function compileApi(
  config: ResolvedConfig,
  region: string,
  account: TokenBucket | undefined,
  now: number,
  authorizerContext: AuthorizerContext,
  /** The config this one replaces: unchanged routes keep their throttle buckets. */
  previous?: CompiledApi,
): CompiledApi {
  const stageVariables = config.stage.variables;
  const api: ApiContext = {
    accountId: config.account,
    apiId: config.apiId,
    domainName: `${config.apiId}.execute-api.${region}.amazonaws.com`,
    domainPrefix: config.apiId,
    stage: config.stage.name,
    stageVariables: Object.keys(stageVariables).length > 0 ? stageVariables : undefined,
  };
  const authorizers = compileAuthorizers(config, {
    get invoker() {
      return authorizerContext.invoker;
    },
    region,
    api,
    localIssuerKeys: authorizerContext.localIssuerKeys,
  });
  const routes = new Map<ResolvedRoute, CompiledRoute>();
  for (const route of config.routes) {
    const integration = route.integration;
    routes.set(route, {
      routeKey: route.routeKey,
      resourcePath: route.path ?? '$default',
      integration:
        integration.type === 'lambda'
          ? {
              type: 'lambda',
              functionName: integration.functionName,
              payloadFormatVersion: integration.payloadFormatVersion,
            }
          : {
              type: 'http',
              target: compileHttpTarget(integration.url, stageVariables, route.path === undefined),
              method: integration.method,
            },
      timeoutInMillis: route.timeoutInMillis,
      authorizer: authorizers.forRoute(route),
    });
  }
  return {
    config,
    api,
    stage: compileStage(config.stage.name),
    router: compileRouter(config.routes),
    cors: compileCors(config.cors),
    throttle: compileThrottle(config.routes, config.stage.throttle, account, now, previous?.throttle),
    routes,
  };
}
