/**
 * The seam between the request path (handler.ts) and authorizers: one method, answering either the
 * authorizer data the integration's event carries, or the answer the client gets instead.
 */
import type { GatewayRequest, MatchedRoute } from '../request.ts';
import type { GatewayResponse } from '../response.ts';
import type { IdentityView } from './identity-source.ts';

/** `requestContext.authorizer` of a payload 2.0 event (1.0 events reshape it: event-v1.ts). */
export type AuthorizerData =
  | { jwt: { claims: Record<string, string>; scopes: string[] | null } }
  | { lambda: Record<string, unknown>; principalId?: string };

/** Allowed (the event's authorizer data) or refused (the answer to send). */
export type Authorization = AuthorizerData | GatewayResponse;

export function isRefusal(result: Authorization): result is GatewayResponse {
  return 'statusCode' in result;
}

export interface AuthorizeInput {
  view: IdentityView;
  method: string;
  /** The path inside the stage (what the route ARN names). */
  routePath: string;
  matched: MatchedRoute;
  /** Built only when an authorizer needs the whole request (Lambda authorizers). */
  request(): GatewayRequest;
  traceId(): string;
}

export interface RouteAuthorizer {
  /** Synchronous when the answer is known at once (a JWT verified before); never rejects. */
  authorize(input: AuthorizeInput): Authorization | Promise<Authorization>;
}
