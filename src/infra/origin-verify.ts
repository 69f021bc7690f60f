/**
 * Keeps CloudFront (and its AWS WAF web ACL) from being bypassed. AWS WAF cannot attach to an HTTP
 * API, so without this each region would still answer at its execute-api URL and at `origin.{name}`.
 * The pattern is AWS's own for custom origins: CloudFront adds a secret header to every origin
 * request, and the origin refuses requests without it. Here:
 *
 * - the secret is generated in Secrets Manager by the primary stack and replicated to the secondary
 *   region and to us-east-1, where the edge stack reads it through a dynamic reference (never in a
 *   template, never in code);
 * - each regional API gets a Lambda REQUEST authorizer whose identity source is that header: a request
 *   without it is refused with 401 by API Gateway itself, without invoking anything; a request with it
 *   is compared (in constant time) with the secret, and the answer is cached for 5 minutes per value,
 *   so a steady stream of genuine requests invokes the authorizer about once per 5 minutes;
 * - routes with an authorizer of their own keep it (a route has one authorizer) and are announced at
 *   synth, and the health-check route stays open: Route 53 health checks cannot send headers.
 */
import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AuthorizerPayloadVersion,
  HttpAuthorizer,
  HttpAuthorizerType,
  type HttpRouteAuthorizerBindOptions,
  type HttpRouteAuthorizerConfig,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  RuntimeFamily,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DEPLOYED_LAMBDA_RUNTIME } from '../config/index.ts';
import { LOG_RETENTION } from './functions.ts';
import { acknowledgeLogGroup, acknowledgeNoVpc } from './guard.ts';
import { acknowledge } from './nag.ts';
import { type DeploymentPlan, EDGE_REGION } from './plan.ts';

/** The header CloudFront adds to every origin request; a viewer's header of that name is replaced. */
export const ORIGIN_VERIFY_HEADER = 'x-gantry-origin-verify';
const CACHE_SECONDS = 300;

/** The secret, created once by the primary stack and replicated where it is read. */
export class OriginSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, plan: DeploymentPlan) {
    super(scope, id);
    const replicas = [plan.secondary, EDGE_REGION].filter((r): r is string => !!r && r !== plan.primary);
    // No fixed name: a destroyed secret waits out its recovery window under its name, which would
    // block the next deploy (see docs/deploy.md, "Destroy, then deploy again").
    this.secret = new Secret(this, 'Secret', {
      description: `${plan.prefix}: the header value CloudFront sends to the regional APIs (${ORIGIN_VERIFY_HEADER})`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      replicaRegions: [...new Set(replicas)].map((region) => ({ region })),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'Rotating means updating CloudFront and both authorizers together; docs/deploy.md gives the manual rotation, and the value never leaves Secrets Manager, CloudFront and the authorizers',
    );
  }
}

/**
 * The secret's ARN in `scope`'s region: a replica keeps the primary's name (random suffix included),
 * so only the region differs. `primaryArn` may be a reference to the primary stack.
 */
export function regionalSecretArn(scope: Construct, primaryArn: string): string {
  const stack = Stack.of(scope);
  const name = Fn.select(6, Fn.split(':', primaryArn));
  return `arn:${stack.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${name}`;
}

/** The dynamic reference CloudFormation resolves at deploy time, so the value is never in a template. */
export function secretValueReference(secretArn: string): string {
  return `{{resolve:secretsmanager:${secretArn}:SecretString}}`;
}

const HANDLER = `
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { timingSafeEqual } = require('node:crypto');
const client = new SecretsManagerClient({});
let secret, fetchedAt = 0;
exports.handler = async (event) => {
  if (!secret || Date.now() - fetchedAt > ${CACHE_SECONDS * 1000}) {
    secret = Buffer.from((await client.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ID }))).SecretString);
    fetchedAt = Date.now();
  }
  const sent = Buffer.from((event.headers && event.headers['${ORIGIN_VERIFY_HEADER}']) || '');
  return { isAuthorized: sent.length === secret.length && timingSafeEqual(sent, secret) };
};
`;

/** The authorizer of one region: its function, and the route authorizer the open routes use. */
export class OriginVerifyAuthorizer extends Construct implements IHttpRouteAuthorizer {
  readonly authorizationType = 'CUSTOM';
  readonly fn: LambdaFunction;
  private authorizer?: HttpAuthorizer;

  constructor(scope: Construct, id: string, props: { plan: DeploymentPlan; secretArn: string }) {
    super(scope, id);
    const { plan, secretArn } = props;
    const logGroup = new LogGroup(this, 'Logs', { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });
    acknowledgeLogGroup(logGroup);
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${plan.prefix} CloudFront origin check`,
    });
    logGroup.grantWrite(role);
    role.addToPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }));
    this.fn = new LambdaFunction(this, 'Function', {
      runtime: new Runtime(DEPLOYED_LAMBDA_RUNTIME, RuntimeFamily.NODEJS, { supportsInlineCode: true }),
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline(HANDLER),
      memorySize: 128,
      timeout: Duration.seconds(5),
      role,
      logGroup,
      loggingFormat: LoggingFormat.TEXT,
      description: `${plan.prefix}: refuses requests that did not come through CloudFront`,
      environment: { SECRET_ID: secretArn },
    });
    acknowledgeNoVpc(this.fn);
  }

  bind(options: HttpRouteAuthorizerBindOptions): HttpRouteAuthorizerConfig {
    if (!this.authorizer) {
      const httpApi = options.route.httpApi;
      const stack = Stack.of(this);
      this.authorizer = new HttpAuthorizer(this, 'Authorizer', {
        httpApi,
        type: HttpAuthorizerType.LAMBDA,
        authorizerName: 'cloudfront-origin',
        identitySource: [`$request.header.${ORIGIN_VERIFY_HEADER}`],
        payloadFormatVersion: AuthorizerPayloadVersion.VERSION_2_0,
        enableSimpleResponses: true,
        authorizerUri: `arn:${stack.partition}:apigateway:${stack.region}:lambda:path/2015-03-31/functions/${this.fn.functionArn}/invocations`,
        resultsCacheTtl: Duration.seconds(CACHE_SECONDS),
      });
      this.fn.addPermission('ApiGatewayInvoke', {
        principal: new ServicePrincipal('apigateway.amazonaws.com'),
        sourceArn: stack.formatArn({
          service: 'execute-api',
          resource: httpApi.apiId,
          resourceName: `authorizers/${this.authorizer.authorizerId}`,
        }),
      });
    }
    return { authorizerId: this.authorizer.authorizerId, authorizationType: this.authorizationType };
  }
}
