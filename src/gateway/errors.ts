/**
 * Which of API Gateway's own answers each failure maps to. The answers themselves (status,
 * message, content-type, provenance) live in src/aws/gateway-answers.ts, shared with src/export;
 * here they get their bodies encoded once, at startup.
 */
import { answerBody, GATEWAY_ANSWERS, type GatewayAnswer } from '../aws/gateway-answers.ts';
import type { InvokeOutcome } from '../runtime/types.ts';

export interface GatewayError extends GatewayAnswer {
  /** `{"message":"..."}`, precomputed once at startup: the request path only writes it. */
  body: Buffer;
}

/** One of API Gateway's answers (src/aws/gateway-answers.ts) with its body encoded once. */
export function answer(facts: GatewayAnswer): GatewayError {
  return { ...facts, body: Buffer.from(answerBody(facts)) };
}

export const GATEWAY_ERRORS = {
  badRequest: answer(GATEWAY_ANSWERS.badRequest),
  notFound: answer(GATEWAY_ANSWERS.notFound),
  requestTooLarge: answer(GATEWAY_ANSWERS.requestTooLarge),
  tooManyRequests: answer(GATEWAY_ANSWERS.tooManyRequests),
  internalError: answer(GATEWAY_ANSWERS.internalError),
  serviceUnavailable: answer(GATEWAY_ANSWERS.serviceUnavailable),
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
