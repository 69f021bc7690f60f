/**
 * The config's shape as a zod schema. Objects are strict: an unknown (misspelt) field is an error,
 * never silently ignored. Cross-field rules (a route naming an unknown function) live in resolve.ts.
 */
import { z } from 'zod';
import {
  DYNAMODB_MAX_GSIS,
  HTTP_API_INTEGRATION_TIMEOUT_MS,
  LAMBDA_ENVIRONMENT_BYTES,
  LAMBDA_MEMORY_MB,
  LAMBDA_RESERVED_VARIABLES,
  LAMBDA_TIMEOUT_SECONDS,
} from '../aws/limits.ts';
import { WATCHED_NAMESPACES } from '../aws/metrics.ts';
import { TABLE_ACCESS } from '../aws/table-access.ts';
import { chaosSchema } from './chaos.ts';
import { LAMBDA_NODE_RUNTIMES } from './lambda-runtime.ts';
import { HTTP_METHODS } from './route-key.ts';
import type { ApiConfig, HttpMethod } from './types.ts';

const name = z.string().min(1, 'expected a non-empty string');
const stringMap = z.record(z.string(), z.string());
const positiveInt = z.number().int('expected a whole number').positive('expected a number above 0');

export const throttleSchema = z.strictObject({
  rateLimit: z.number().nonnegative('expected a number ≥ 0'),
  burstLimit: z.number().int('expected a whole number').nonnegative('expected a number ≥ 0'),
});

const stageName = z
  .string()
  .regex(/^(\$default|[A-Za-z0-9_-]{1,128})$/, 'expected "$default" or a name of letters, digits, "-" and "_"');

const stageSchema = z.union([
  stageName,
  z.strictObject({ name: stageName.optional(), variables: stringMap.optional(), throttle: throttleSchema.optional() }),
]);

const originSchema = z
  .string()
  .regex(
    /^(\*|https?:\/\/\*|https?:\/\/[^/\s*]+)$/,
    'expected "*", "https://*", "http://*" or an origin like "https://app.example.com"',
  );

const corsSchema = z.strictObject({
  allowOrigins: z.array(originSchema).min(1, 'expected at least one origin'),
  allowMethods: z.array(z.enum(['*', 'ANY', ...HTTP_METHODS])).optional(),
  allowHeaders: z.array(z.string()).optional(),
  exposeHeaders: z.array(z.string()).optional(),
  maxAge: z.number().int().min(0).max(86400, 'expected at most 86400 seconds').optional(),
  allowCredentials: z.boolean().optional(),
});

// AWS's documented identity sources: a JWT authorizer reads one header or query parameter
// ("currently only header-based and query parameter-based selections are supported"); a Lambda
// authorizer also reads context and stage variables. Anything else is refused at deploy.
const show = (input: unknown) => (typeof input === 'string' ? JSON.stringify(input) : String(input));
const jwtIdentitySource = z.string().regex(/^\$request\.(header|querystring)\.[^\s]+$/, {
  error: (issue) =>
    `${show(issue.input)} is not an identity source a JWT authorizer can read: expected $request.header.NAME or $request.querystring.NAME (e.g. "$request.header.Authorization")`,
});
const lambdaIdentitySource = z.string().regex(/^\$(request\.(header|querystring)|context|stageVariables)\.[^\s]+$/, {
  error: (issue) =>
    `${show(issue.input)} is not an identity source: expected $request.header.NAME, $request.querystring.NAME, $context.NAME or $stageVariables.NAME (e.g. "$request.header.Authorization")`,
});

const authorizerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('jwt'),
    issuer: z.url('expected an https URL'),
    audience: z.array(name).min(1, 'expected at least one audience'),
    identitySource: jwtIdentitySource.optional(),
    cognitoUserPool: z.boolean().optional(),
    localIssuer: z.boolean().optional(),
  }),
  z
    .strictObject({
      type: z.literal('lambda'),
      function: name,
      identitySource: z.array(lambdaIdentitySource).optional(),
      resultTtlSeconds: z.number().int().min(0).max(3600, 'expected at most 3600 seconds').optional(),
      enableSimpleResponses: z.boolean().optional(),
      payloadFormatVersion: z.enum(['2.0', '1.0']).optional(),
    })
    // API Gateway keys its result cache on the identity source values: caching without one is refused.
    .refine((a) => !(a.identitySource?.length === 0 && (a.resultTtlSeconds ?? 0) > 0), {
      path: ['identitySource'],
      error: (issue) =>
        `[] with resultTtlSeconds ${(issue.input as { resultTtlSeconds?: number }).resultTtlSeconds}: caching needs at least one identity source (its cache key); add one, or set resultTtlSeconds: 0`,
    }),
]);

const handlerSchema = z
  .string()
  .regex(/^[^\s]+\.[A-Za-z_$][\w$]*$/, 'expected "path/to/module.exportName", e.g. "src/functions/orders.handler"');

// Lambda's API rules for Environment.Variables: what it would refuse at deploy is refused here, not
// run locally first.
const environmentSchema = z
  .record(
    z
      .string()
      .regex(
        /^[a-zA-Z][a-zA-Z0-9_]+$/,
        'expected two or more letters, digits or "_", starting with a letter (Lambda\'s pattern [a-zA-Z]([a-zA-Z0-9_])+)',
      )
      .refine((key) => !LAMBDA_RESERVED_VARIABLES.includes(key), 'reserved: the Lambda runtime sets it itself'),
    z.string(),
  )
  .refine(
    (variables) =>
      Object.entries(variables).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0) <=
      LAMBDA_ENVIRONMENT_BYTES,
    "expected at most 4 KB of variables, names and values together (Lambda's limit)",
  );

const functionSchema = z.strictObject({
  handler: handlerSchema,
  memoryMb: z
    .number()
    .int()
    .min(LAMBDA_MEMORY_MB.min, `expected at least ${LAMBDA_MEMORY_MB.min} (MB)`)
    .max(LAMBDA_MEMORY_MB.max, `expected at most ${LAMBDA_MEMORY_MB.max} (MB)`)
    .optional(),
  timeoutSeconds: z
    .number()
    .int('expected a whole number of seconds')
    .min(LAMBDA_TIMEOUT_SECONDS.min, `expected at least ${LAMBDA_TIMEOUT_SECONDS.min} (second)`)
    .max(LAMBDA_TIMEOUT_SECONDS.max, `expected at most ${LAMBDA_TIMEOUT_SECONDS.max} (seconds)`)
    .optional(),
  reservedConcurrency: z.number().int().min(0, 'expected 0 or more').optional(),
  provisionedConcurrency: z
    .number()
    .int('expected a whole number of execution environments')
    .min(1, 'expected 1 or more (leave it out for none)')
    .optional(),
  environment: environmentSchema.optional(),
  architecture: z.enum(['arm64', 'x86_64']).optional(),
  runtime: z.enum(LAMBDA_NODE_RUNTIMES, { message: `expected ${LAMBDA_NODE_RUNTIMES.join(', ')}` }).optional(),
  description: z.string().optional(),
  tables: z.record(z.string(), z.enum(TABLE_ACCESS, { message: `expected ${TABLE_ACCESS.join(', ')}` })).optional(),
});

const integrationTimeout = z
  .number()
  .int()
  .min(HTTP_API_INTEGRATION_TIMEOUT_MS.min, `expected at least ${HTTP_API_INTEGRATION_TIMEOUT_MS.min} ms`)
  .max(HTTP_API_INTEGRATION_TIMEOUT_MS.max, `expected at most ${HTTP_API_INTEGRATION_TIMEOUT_MS.max} ms`);

const routeSchema = z.union([
  name,
  z.strictObject({
    function: name,
    payloadFormatVersion: z.enum(['2.0', '1.0']).optional(),
    authorizer: name.optional(),
    scopes: z.array(name).optional(),
    throttle: throttleSchema.optional(),
    timeoutInMillis: integrationTimeout.optional(),
  }),
  z.strictObject({
    http: z.string().regex(/^https?:\/\/[^\s]+$/, 'expected an http:// or https:// URL'),
    method: z.enum(HTTP_METHODS as [HttpMethod, ...HttpMethod[]]).optional(),
    authorizer: name.optional(),
    scopes: z.array(name).optional(),
    throttle: throttleSchema.optional(),
    timeoutInMillis: integrationTimeout.optional(),
  }),
]);

const keyAttribute = z.union([name, z.strictObject({ name, type: z.enum(['S', 'N', 'B']).optional() })]);

const indexSchema = z.strictObject({
  partitionKey: keyAttribute,
  sortKey: keyAttribute.optional(),
  projection: z.union([z.enum(['all', 'keys']), z.array(name).min(1).max(100)]).optional(),
});

/** DynamoDB's rule for index names. */
const indexName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB index name: 3 to 255 of letters, digits, "_", "-" and "."');

const tableSchema = z.strictObject({
  partitionKey: keyAttribute,
  sortKey: keyAttribute.optional(),
  indexes: z
    .record(indexName, indexSchema)
    .refine(
      (indexes) => Object.keys(indexes).length <= DYNAMODB_MAX_GSIS,
      `at most ${DYNAMODB_MAX_GSIS} global secondary indexes per table`,
    )
    .optional(),
  retain: z.boolean().optional(),
});

const statistic = z
  .string()
  .regex(
    /^(Sum|Average|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d+)?)$/,
    'expected Sum, Average, Minimum, Maximum, SampleCount or a percentile like p99',
  );

const alarmSchema = z.strictObject({
  metric: name.optional(),
  namespace: z
    .string()
    .refine(
      (ns) =>
        (WATCHED_NAMESPACES as readonly string[]).includes(ns) || (/^[^:]{1,255}$/.test(ns) && !ns.startsWith('AWS/')),
      `expected ${WATCHED_NAMESPACES.join(' or ')}, or a custom namespace your functions publish metrics to (1 to 255 characters, no ":", not starting with "AWS/")`,
    )
    .optional(),
  dimensions: z.record(z.string().min(1).max(255), z.string().min(1).max(1024)).optional(),
  statistic: statistic.optional(),
  threshold: z.number(),
  comparison: z
    .enum(['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'])
    .optional(),
  periods: positiveInt.optional(),
  datapointsToAlarm: positiveInt.optional(),
  periodSeconds: z
    .number()
    .int()
    .refine((s) => s === 10 || s === 30 || (s >= 60 && s % 60 === 0), 'expected 10, 30 or a multiple of 60 (seconds)')
    .optional(),
  treatMissingData: z.enum(['missing', 'notBreaching', 'breaching', 'ignore']).optional(),
  function: name.optional(),
  description: z.string().optional(),
});

const budgetSchema = z.strictObject({
  monthlyUsd: z.number().positive('expected an amount above 0').optional(),
  alerts: z
    .array(z.strictObject({ percent: z.number().positive(), on: z.enum(['actual', 'forecasted']).optional() }))
    .optional(),
  email: z.email('expected an e-mail address').optional(),
});

const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as "us-east-1"');

const regionsSchema = z.strictObject({
  primary: region.optional(),
  secondary: region.optional(),
  routing: z
    .strictObject({
      policy: z.enum(['failover', 'weighted', 'latency']).optional(),
      weights: z
        .record(region, z.number().int('expected an integer').min(0, 'expected 0 to 255').max(255, 'expected 0 to 255'))
        .optional(),
    })
    .optional(),
  healthCheck: z
    .strictObject({
      path: z.string().startsWith('/', 'expected a path starting with "/", such as "/health"').optional(),
      intervalSeconds: z
        .union([z.literal(10), z.literal(30)], 'expected 10 or 30 (the request intervals Route 53 allows)')
        .optional(),
      failureThreshold: z
        .number()
        .int('expected an integer')
        .min(1, 'expected 1 to 10')
        .max(10, 'expected 1 to 10')
        .optional(),
    })
    .optional(),
});

const federationSchema = z.strictObject({
  endpoints: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected an endpoint name of letters, digits, "-" and "_"'),
      z.strictObject({
        url: z
          .string()
          .regex(/^https?:\/\/[^/\s]+(\/[^\s]*[^/\s])?$/, 'expected an http(s) URL without a trailing "/"'),
        weight: z
          .number()
          .int('expected an integer')
          .min(0, 'expected 0 to 255')
          .max(255, 'expected 0 to 255')
          .optional(),
        priority: z.number().int('expected an integer').min(1, 'expected 1 or more').optional(),
        location: z.string().min(1).optional(),
      }),
    )
    .refine((e) => Object.keys(e).length > 0, 'expected at least one endpoint'),
  steering: z.enum(['failover', 'weighted', 'latency']).optional(),
  healthCheck: z
    .strictObject({
      path: z.string().startsWith('/', 'expected a path starting with "/", such as "/health"').optional(),
      intervalSeconds: z.number().positive('expected a number of seconds above 0').optional(),
      timeoutSeconds: z.number().positive('expected a number of seconds above 0').optional(),
      failureThreshold: z.number().int('expected an integer').min(1, 'expected 1 or more').optional(),
    })
    .optional(),
  fallback: z.string().optional(),
  hostname: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'expected a domain name like "api.example.com"')
    .optional(),
  ttlSeconds: z.number().int('expected an integer').min(0, 'expected 0 or more').optional(),
});

export const apiConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'expected letters, digits, "-" and "_" (1 to 128)'),
  description: z.string().optional(),
  account: z
    .string()
    .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
    .optional(),
  stage: stageSchema.optional(),
  cors: corsSchema.optional(),
  authorizers: z.record(name, authorizerSchema).optional(),
  functions: z.record(
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a function name of letters, digits, "-" and "_"'),
    functionSchema,
  ),
  routes: z.record(z.string(), routeSchema),
  tables: z
    .record(
      z
        .string()
        .regex(
          /^[A-Za-z0-9_.-]{3,255}$/,
          'expected a DynamoDB table name: 3 to 255 of letters, digits, "_", "-" and "."',
        ),
      tableSchema,
    )
    .optional(),
  alarms: z.record(name, alarmSchema).optional(),
  budget: budgetSchema.optional(),
  regions: regionsSchema.optional(),
  federation: federationSchema.optional(),
  chaos: chaosSchema.optional(),
  domain: z
    .strictObject({
      name: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'expected a domain name like "api.example.com"'),
      hostedZoneId: z.string().regex(/^Z[A-Z0-9]{4,32}$/, 'expected a Route 53 hosted zone id like "Z0123456789ABC"'),
      hostedZoneName: z.string().optional(),
      certificateArn: z.string().startsWith('arn:aws:acm:', 'expected an ACM certificate ARN').optional(),
      cloudFront: z
        .union([
          z.boolean(),
          z.strictObject({
            wafRateLimit: z.number().int().min(10, 'expected at least 10 (AWS WAF minimum)').optional(),
          }),
        ])
        .optional(),
      stage: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,23}$/, 'expected a deployment stage: 1 to 24 lower-case letters, digits and "-"')
        .optional(),
    })
    .optional(),
  tags: stringMap.optional(),
  local: z
    .strictObject({
      accountConcurrency: positiveInt.optional(),
      idleEnvironmentSeconds: z.number().positive().optional(),
      prestartedRuntimes: z.number().int('expected a whole number').min(0, 'expected 0 or more').optional(),
      accountThrottle: z.union([throttleSchema, z.literal(false)]).optional(),
      healthCheckIntervalSeconds: z
        .number()
        .positive('expected seconds above 0')
        .max(30, 'expected at most 30')
        .optional(),
      replicationLagMs: z.number().int('expected whole milliseconds').min(0, 'expected 0 or more').optional(),
      regionLatencyMs: z.record(region, z.number().min(0, 'expected milliseconds, 0 or more')).optional(),
    })
    .optional(),
}) satisfies z.ZodType<ApiConfig>;
