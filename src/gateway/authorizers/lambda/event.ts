/**
 * The events a Lambda authorizer receives ("Control access to HTTP APIs with AWS Lambda authorizers"):
 * payload 2.0 `{ version, type: "REQUEST", routeArn, identitySource: [...], routeKey, rawPath,
 * rawQueryString, cookies, headers, queryStringParameters, requestContext, pathParameters,
 * stageVariables }`; payload 1.0 is REST's REQUEST authorizer input (`methodArn`, `identitySource` and
 * `authorizationToken` as the values joined with `,`, then the 1.0 request fields). Built from the
 * integration payload builders, so headers, queries and the request context are the same as the
 * integration will see; the body is never sent to an authorizer.
 */
import { buildEventV1 } from '../../event-v1.ts';
import { buildEventV2 } from '../../event-v2.ts';
import type { ApiContext, GatewayRequest, MatchedRoute } from '../../request.ts';

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path inside the stage}`. */
export function routeArn(region: string, api: ApiContext, method: string, routePath: string): string {
  return `arn:aws:execute-api:${region}:${api.accountId}:${api.apiId}/${api.stage}/${method}${routePath}`;
}

export function authorizerEventV2(
  request: GatewayRequest,
  matched: MatchedRoute,
  api: ApiContext,
  arn: string,
  identitySource: string[],
): Record<string, unknown> {
  const event = buildEventV2({ ...request, body: undefined }, matched, api);
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: arn,
    identitySource,
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    cookies: event.cookies,
    headers: event.headers,
    queryStringParameters: event.queryStringParameters,
    requestContext: event.requestContext,
    pathParameters: event.pathParameters,
    stageVariables: event.stageVariables,
  };
}

export function authorizerEventV1(
  request: GatewayRequest,
  matched: MatchedRoute,
  api: ApiContext,
  arn: string,
  identitySource: string[],
): Record<string, unknown> {
  const event = buildEventV1({ ...request, body: undefined }, matched, api);
  const joined = identitySource.join(',');
  return {
    version: '1.0',
    type: 'REQUEST',
    methodArn: arn,
    identitySource: joined,
    authorizationToken: joined,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers,
    multiValueHeaders: event.multiValueHeaders,
    queryStringParameters: event.queryStringParameters,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters,
    pathParameters: event.pathParameters,
    stageVariables: event.stageVariables,
    requestContext: event.requestContext,
  };
}
