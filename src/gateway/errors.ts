/**
 * API Gateway's own answers, in one table, and which of them each failure maps to.
 * Rows marked unverified have no AWS document or capture behind them (see the fidelity reference).
 */
import type { InvokeOutcome } from '../runtime/types.ts';

export interface GatewayError {
  status: number;
  /** `$context.error.message`. */
  message: string;
  /** `{"message":"..."}`, precomputed. */
  body: Buffer;
  /** Undefined: the captured answer carries no content-type. */
  contentType: string | undefined;
}

export function answer(status: number, message: string, contentType: string | undefined): GatewayError {
  return { status, message, body: Buffer.from(JSON.stringify({ message })), contentType };
}

export const GATEWAY_ERRORS = {
  /** Malformed HTTP that node's parser refused; AWS's edge answer for it is not captured (unverified). */
  badRequest: answer(400, 'Bad Request', 'application/json'),
  /** Captured: no stage or no route matched. */
  notFound: answer(404, 'Not Found', 'application/json'),
  /** Documented status; body unverified. Request over 10 MB or a Lambda event over 6 MB. */
  requestTooLarge: answer(413, 'Request Entity Too Large', 'application/json'),
  /** Documented: account, stage or route throttling. */
  tooManyRequests: answer(429, 'Too Many Requests', 'application/json'),
  /** Captured: function error, malformed Lambda response, refused invoke. */
  internalError: answer(500, 'Internal Server Error', 'application/json'),
  /** Captured with no content-type: the integration did not answer within timeoutInMillis. */
  serviceUnavailable: answer(503, 'Service Unavailable', undefined),
} as const satisfies Record<string, GatewayError>;

/**
 * The answer for an invocation that did not succeed. Every Lambda failure (exception, timeout,
 * crash, init error, oversize response, TooManyRequestsException) reaches the client as a 500.
 */
export function errorForOutcome(_outcome: Exclude<InvokeOutcome, { status: 'success' }>): GatewayError {
  return GATEWAY_ERRORS.internalError;
}

/**
 * `$context.integrationStatus` for a Lambda proxy integration: the status of Lambda's Invoke API,
 * not the function's. Lambda answers 200 for function errors (with X-Amz-Function-Error) and 429 when
 * it throttles before running the function.
 */
export function lambdaIntegrationStatus(outcome: InvokeOutcome): number {
  return outcome.status === 'throttled' ? 429 : 200;
}

/** An HTTP integration whose target refused, reset or could not be resolved (unverified: 500). */
export const HTTP_INTEGRATION_FAILURE = GATEWAY_ERRORS.internalError;
