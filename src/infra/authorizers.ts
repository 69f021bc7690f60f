/**
 * The config's authorizers as HTTP API authorizers: JWT (optionally trusting a Cognito user pool
 * created here) and Lambda REQUEST authorizers with the exact response mode and payload version.
 */
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AuthorizerPayloadVersion,
  HttpAuthorizer,
  HttpAuthorizerType,
  type HttpRouteAuthorizerBindOptions,
  type HttpRouteAuthorizerConfig,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { JwtAuthorizerConfig, LambdaAuthorizerConfig } from '../config/index.ts';
import { InfraError } from './errors.ts';
import type { DeployedFunction } from './functions.ts';
import { acknowledge } from './nag.ts';
import type { DeploymentPlan } from './plan.ts';

const DEFAULT_IDENTITY_SOURCE = '$request.header.Authorization';

/** The pool and client a JWT authorizer trusts; in the secondary region these are cross-region references. */
export interface CognitoTrust {
  region: string;
  userPoolId: string;
  /** The app clients whose tokens the authorizer accepts (`client_id` of Cognito access tokens). */
  clientIds: string[];
}

export interface RouteAuthorizer {
  authorizer: IHttpRouteAuthorizer;
  /** Only JWT authorizers take scopes (API Gateway refuses them on any other route; so does config load). */
  acceptsScopes: boolean;
}

/**
 * A Lambda REQUEST authorizer. The CDK's HttpLambdaAuthorizer ties simple responses to payload 2.0
 * and IAM policies to 1.0; API Gateway also allows 2.0 with IAM policies, which the config can ask for.
 */
class LambdaRequestAuthorizer implements IHttpRouteAuthorizer {
  readonly authorizationType = 'CUSTOM';
  private authorizer?: HttpAuthorizer;

  constructor(
    private readonly id: string,
    private readonly handler: IFunction,
    private readonly config: LambdaAuthorizerConfig,
  ) {}

  bind(options: HttpRouteAuthorizerBindOptions): HttpRouteAuthorizerConfig {
    if (!this.authorizer) {
      const payloadV2 = (this.config.payloadFormatVersion ?? '2.0') === '2.0';
      const httpApi = options.route.httpApi;
      this.authorizer = new HttpAuthorizer(options.scope, this.id, {
        httpApi,
        type: HttpAuthorizerType.LAMBDA,
        authorizerName: this.id,
        identitySource: this.config.identitySource ?? [DEFAULT_IDENTITY_SOURCE],
        payloadFormatVersion: payloadV2 ? AuthorizerPayloadVersion.VERSION_2_0 : AuthorizerPayloadVersion.VERSION_1_0,
        enableSimpleResponses: payloadV2 ? (this.config.enableSimpleResponses ?? true) : undefined,
        authorizerUri: `arn:${Aws.PARTITION}:apigateway:${Stack.of(options.route).region}:lambda:path/2015-03-31/functions/${this.handler.functionArn}/invocations`,
        resultsCacheTtl: Duration.seconds(this.config.resultTtlSeconds ?? 0),
      });
      this.handler.addPermission(`${this.id}AuthorizerInvoke`, {
        principal: new ServicePrincipal('apigateway.amazonaws.com'),
        sourceArn: Stack.of(options.route).formatArn({
          service: 'execute-api',
          resource: httpApi.apiId,
          resourceName: `authorizers/${this.authorizer.authorizerId}`,
        }),
      });
    }
    return { authorizerId: this.authorizer.authorizerId, authorizationType: this.authorizationType };
  }
}

/** Cognito prefix domains: lower-case letters, digits and `-`, without AWS's reserved words. */
export function cognitoDomainPrefix(prefix: string, name: string): string {
  return `${prefix}-${name}`
    .toLowerCase()
    .replace(/aws|amazon|cognito/g, 'x')
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

/**
 * A Cognito access token carries a custom scope (`orders/write`) only when a resource server defines
 * it and the token comes from the OAuth endpoints of a user pool domain. For the routes' scopes this
 * creates one resource server per prefix (`orders`), the pool's prefix domain, and a confidential
 * client for the client-credentials grant (service callers) allowed exactly those scopes.
 */
function scopedClient(pool: UserPool, authorizer: string, plan: DeploymentPlan): UserPoolClient | undefined {
  const scopes = [
    ...new Set(plan.config.routes.filter((r) => r.authorizer === authorizer).flatMap((r) => r.scopes)),
  ].sort();
  if (!scopes.length) return undefined;
  const byServer = new Map<string, string[]>();
  for (const scope of scopes) {
    const cut = scope.lastIndexOf('/');
    if (cut <= 0 || cut === scope.length - 1) {
      throw new InfraError(
        `authorizers.${authorizer}: the scope "${scope}" has no resource server part; a Cognito user pool grants custom scopes named "server/scope" (e.g. "orders/write") to the client-credentials client gantry creates`,
      );
    }
    const server = scope.slice(0, cut);
    byServer.set(server, [...(byServer.get(server) ?? []), scope.slice(cut + 1)]);
  }
  const oAuthScopes: OAuthScope[] = [];
  for (const [identifier, names] of byServer) {
    const serverScopes = names.map(
      (scopeName) => new ResourceServerScope({ scopeName, scopeDescription: `${identifier}/${scopeName}` }),
    );
    const server = pool.addResourceServer(`Server ${identifier}`, {
      identifier,
      userPoolResourceServerName: identifier,
      scopes: serverScopes,
    });
    for (const scope of serverScopes) oAuthScopes.push(OAuthScope.resourceServer(server, scope));
  }
  pool.addDomain('Domain', { cognitoDomain: { domainPrefix: cognitoDomainPrefix(plan.prefix, authorizer) } });
  return pool.addClient('ServiceClient', {
    generateSecret: true,
    authFlows: {},
    oAuth: { flows: { clientCredentials: true }, scopes: oAuthScopes },
    preventUserExistenceErrors: true,
  });
}

/** The user pools the config asks for, created once in the primary region. */
export class UserPools extends Construct {
  readonly pools: Record<string, { pool: UserPool; clients: UserPoolClient[] }> = {};

  constructor(scope: Construct, id: string, plan: DeploymentPlan) {
    super(scope, id);
    for (const [name, auth] of Object.entries(plan.config.authorizers)) {
      if (auth.type !== 'jwt' || !auth.cognitoUserPool) continue;
      const pool = new UserPool(this, name, {
        userPoolName: `${plan.prefix}-${name}`,
        selfSignUpEnabled: false,
        signInAliases: { email: true },
        accountRecovery: AccountRecovery.EMAIL_ONLY,
        passwordPolicy: {
          minLength: 12,
          requireDigits: true,
          requireLowercase: true,
          requireUppercase: true,
          requireSymbols: true,
        },
        mfa: Mfa.OPTIONAL,
        mfaSecondFactor: { otp: true, sms: false },
        featurePlan: FeaturePlan.ESSENTIALS,
        // Users are data, like a table's items: kept on destroy, and protected from deletion.
        removalPolicy: RemovalPolicy.RETAIN,
        deletionProtection: true,
      });
      acknowledge(
        pool.node.defaultChild!,
        'AwsSolutions-COG8',
        'The Plus feature plan (threat protection) is billed per monthly active user; Essentials keeps a new API inside the budget and can be upgraded in place',
      );
      acknowledge(
        pool.node.defaultChild!,
        'AwsSolutions-COG2',
        'MFA is offered (TOTP) but not forced: requiring it changes every sign-in of the API users and is left to the API owner',
      );
      // Users sign in with SRP (no hosted UI): OAuth off on purpose, not the CDK's defaults (code and
      // implicit grants to https://example.com).
      const clients = [
        pool.addClient('Client', { authFlows: { userSrp: true }, generateSecret: false, disableOAuth: true }),
      ];
      const scoped = scopedClient(pool, name, plan);
      if (scoped) clients.push(scoped);
      this.pools[name] = { pool, clients };
    }
  }

  trust(region: string): Record<string, CognitoTrust> {
    const out: Record<string, CognitoTrust> = {};
    for (const [name, { pool, clients }] of Object.entries(this.pools)) {
      out[name] = { region, userPoolId: pool.userPoolId, clientIds: clients.map((c) => c.userPoolClientId) };
    }
    return out;
  }
}

function jwtAuthorizer(name: string, auth: JwtAuthorizerConfig, cognito: CognitoTrust | undefined): HttpJwtAuthorizer {
  const identitySource = [auth.identitySource ?? DEFAULT_IDENTITY_SOURCE];
  if (!cognito) return new HttpJwtAuthorizer(name, auth.issuer, { jwtAudience: auth.audience, identitySource });
  return new HttpJwtAuthorizer(name, `https://cognito-idp.${cognito.region}.${Aws.URL_SUFFIX}/${cognito.userPoolId}`, {
    jwtAudience: cognito.clientIds,
    identitySource,
  });
}

/** One route authorizer per configured authorizer, bound to the API by the routes that use it. */
export function buildAuthorizers(
  plan: DeploymentPlan,
  functions: Record<string, DeployedFunction>,
  cognito: Record<string, CognitoTrust>,
): Record<string, RouteAuthorizer> {
  const out: Record<string, RouteAuthorizer> = {};
  for (const [name, auth] of Object.entries(plan.config.authorizers)) {
    out[name] =
      auth.type === 'jwt'
        ? {
            authorizer: jwtAuthorizer(name, auth, auth.cognitoUserPool ? cognito[name] : undefined),
            acceptsScopes: true,
          }
        : { authorizer: new LambdaRequestAuthorizer(name, functions[auth.function].fn, auth), acceptsScopes: false };
  }
  return out;
}
