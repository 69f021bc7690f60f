/**
 * The HTTP API of one region: the API with its CORS, one stage (access logs, default route
 * throttling, stage variables, per-route throttling) and one route per configured route key.
 */
import { createHash } from 'node:crypto';
import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnIntegration,
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  type HttpRouteIntegration,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration, HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTE_DEFAULTS } from '../aws/defaults.ts';
import type { ResolvedConfig, ResolvedRoute } from '../config/index.ts';
import type { RouteAuthorizer } from './authorizers.ts';
import { type DeployedFunction, LOG_RETENTION } from './functions.ts';
import { acknowledgeGuard, acknowledgeLogGroup } from './guard.ts';
import { acknowledge } from './nag.ts';

/** The access log line: one JSON object, only `$context` variables HTTP APIs define. */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

function corsMethods(methods: string[]): CorsHttpMethod[] {
  return methods.map((m) => (m === 'ANY' || m === '*' ? CorsHttpMethod.ANY : (m as CorsHttpMethod)));
}

function routeKeyOf(route: ResolvedRoute): HttpRouteKey {
  if (route.routeKey === '$default') return HttpRouteKey.DEFAULT;
  return HttpRouteKey.with(route.path!, route.method as HttpMethod);
}

/**
 * A shared integration's logical id, from what it targets and how (never from the routes using it):
 * readable letters of the key, plus a hash that keeps keys differing only in punctuation apart.
 */
export function integrationLogicalId(key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8).toUpperCase();
  return `HttpIntegration${key.replace(/[^A-Za-z0-9]/g, '').slice(0, 200)}${hash}`;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]';
}

export interface OriginCheck {
  authorizer: IHttpRouteAuthorizer;
  /** The route Route 53's health checks call: they cannot send the header, so it stays open. */
  exempt?: string;
}

export class RegionalHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly routes: Record<string, HttpRoute> = {};
  readonly accessLogs: LogGroup;
  private readonly integrations = new Map<string, HttpRouteIntegration>();

  constructor(
    scope: Construct,
    id: string,
    props: {
      config: ResolvedConfig;
      apiName: string;
      functions: Record<string, DeployedFunction>;
      authorizers: Record<string, RouteAuthorizer>;
      /** Behind CloudFront: the authorizer that refuses requests without the origin header. */
      originCheck?: OriginCheck;
    },
  ) {
    super(scope, id);
    const { config } = props;
    const cors = config.cors;
    this.api = new HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: config.description,
      createDefaultStage: false,
      corsPreflight: cors && {
        allowOrigins: cors.allowOrigins,
        allowMethods: cors.allowMethods.length ? corsMethods(cors.allowMethods) : undefined,
        allowHeaders: cors.allowHeaders.length ? cors.allowHeaders : undefined,
        exposeHeaders: cors.exposeHeaders.length ? cors.exposeHeaders : undefined,
        maxAge: cors.maxAge === undefined ? undefined : Duration.seconds(cors.maxAge),
        allowCredentials: cors.allowCredentials || undefined,
      },
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeLogGroup(this.accessLogs);
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: config.stage.name,
      autoDeploy: true,
      throttle: config.stage.throttle,
      stageVariables: Object.keys(config.stage.variables).length ? config.stage.variables : undefined,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of config.routes) {
      const httpRoute = this.addRoute(route, props.functions, props.authorizers, props.originCheck);
      if (route.throttle) {
        routeSettings[route.routeKey] = {
          ThrottlingRateLimit: route.throttle.rateLimit,
          ThrottlingBurstLimit: route.throttle.burstLimit,
        };
        // Route settings name a route key that must exist before the stage update.
        this.stage.node.addDependency(httpRoute);
      }
    }
    if (Object.keys(routeSettings).length) {
      (this.stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', routeSettings);
    }
  }

  private addRoute(
    route: ResolvedRoute,
    functions: Record<string, DeployedFunction>,
    authorizers: Record<string, RouteAuthorizer>,
    originCheck: OriginCheck | undefined,
  ): HttpRoute {
    const { integration, integrationId, key } = this.integrationFor(route, functions);
    const auth = route.authorizer ? authorizers[route.authorizer] : undefined;
    const origin = originCheck && !auth && route.routeKey !== originCheck.exempt ? originCheck.authorizer : undefined;
    if (originCheck && auth) {
      Annotations.of(this).addWarningV2(
        'gantry:originCheckSkipped',
        `routes["${route.routeKey}"]: a route has one authorizer, so "${route.authorizer}" is kept and the CloudFront origin check is not applied: the route also answers at the region's own URLs, skipping AWS WAF (its authorizer still applies)`,
      );
    }
    const httpRoute = new HttpRoute(this, `Route ${route.routeKey.replaceAll('/', '|')}`, {
      httpApi: this.api,
      routeKey: routeKeyOf(route),
      integration,
      authorizer: auth?.authorizer ?? origin,
      // Config load refuses scopes on any other route (AWS refuses them at deploy).
      authorizationScopes: auth?.acceptsScopes && route.scopes.length ? route.scopes : undefined,
    });
    this.routes[route.routeKey] = httpRoute;
    if (!auth && !origin) {
      acknowledge(
        httpRoute.node.defaultChild!,
        'AwsSolutions-APIG4',
        `routes["${route.routeKey}"] has no authorizer in the config: the API owner declared it public`,
      );
      acknowledgeGuard(
        httpRoute,
        'api_gw_v2_authorization_type_configured_check',
        `routes["${route.routeKey}"] has no authorizer in the config: the API owner declared it public`,
      );
    }
    const created = httpRoute.node.tryFindChild(integrationId)?.node.defaultChild as CfnIntegration | undefined;
    if (created) {
      // The CDK creates a shared integration under the first route that uses it, so its logical id
      // would follow route order: reordering routes in the config would replace the integration.
      created.overrideLogicalId(integrationLogicalId(key));
      // The CDK caps integration timeouts at 29 s (REST API's limit); HTTP APIs allow 30 s, their default.
      if (route.timeoutInMillis !== ROUTE_DEFAULTS.timeoutInMillis) created.timeoutInMillis = route.timeoutInMillis;
    }
    return httpRoute;
  }

  /** Routes that share a target and settings share one integration, as API Gateway's console would. */
  private integrationFor(
    route: ResolvedRoute,
    functions: Record<string, DeployedFunction>,
  ): { integration: HttpRouteIntegration; integrationId: string; key: string } {
    const target = route.integration;
    const key =
      target.type === 'lambda'
        ? `Lambda ${target.functionName} ${target.payloadFormatVersion} ${route.timeoutInMillis}`
        : `Http ${target.method ?? 'ANY'} ${target.url} ${route.timeoutInMillis}`;
    const integrationId = key.replaceAll('/', '|');
    let integration = this.integrations.get(key);
    if (!integration) {
      if (target.type === 'lambda') {
        integration = new HttpLambdaIntegration(integrationId, functions[target.functionName].invokeTarget, {
          payloadFormatVersion:
            target.payloadFormatVersion === '1.0' ? PayloadFormatVersion.VERSION_1_0 : PayloadFormatVersion.VERSION_2_0,
        });
      } else {
        if (isLoopback(target.url)) {
          Annotations.of(this).addWarningV2(
            'gantry:loopbackIntegration',
            `routes["${route.routeKey}"]: the HTTP integration ${target.url} is a loopback address, which API Gateway cannot reach`,
          );
        }
        integration = new HttpUrlIntegration(integrationId, target.url, {
          method: target.method ? (target.method as HttpMethod) : HttpMethod.ANY,
        });
      }
      this.integrations.set(key, integration);
    }
    return { integration, integrationId, key };
  }
}
