/**
 * API Gateway's own answers: the requests it refuses or fails itself, before or instead of an
 * integration's answer. One table of statuses, `$context.error.message` wordings (the body is
 * `{"message":"…"}`) and content-types, each row with its provenance from the fidelity reference
 * (captured, documented, unverified). src/gateway serves these; src/export makes other gateways
 * answer the same, so clients that parse these bodies keep working after a move.
 */

export interface GatewayAnswer {
  readonly status: number;
  /** `$context.error.message`, and the body's `message`. */
  readonly message: string;
  /** Undefined: the captured answer carries no content-type. */
  readonly contentType: string | undefined;
}

export const GATEWAY_ANSWERS = {
  /** Malformed HTTP that node's parser refused; AWS's edge answer for it is not captured (unverified). */
  badRequest: { status: 400, message: 'Bad Request', contentType: 'application/json' },
  /** Documented (JWT: with www-authenticate, no content-type); Lambda: identity source missing. */
  unauthorized: { status: 401, message: 'Unauthorized', contentType: undefined },
  /** JWT scopes not granted, or a Lambda authorizer's deny (both unverified bodies). */
  forbidden: { status: 403, message: 'Forbidden', contentType: 'application/json' },
  /** Captured: no stage or no route matched. */
  notFound: { status: 404, message: 'Not Found', contentType: 'application/json' },
  /** Documented status; body unverified. Request over 10 MB or a Lambda event over 6 MB. */
  requestTooLarge: { status: 413, message: 'Request Entity Too Large', contentType: 'application/json' },
  /** Documented: account, stage or route throttling. */
  tooManyRequests: { status: 429, message: 'Too Many Requests', contentType: 'application/json' },
  /**
   * Captured: function error, malformed Lambda response, refused invoke. Documented: a Lambda
   * authorizer that failed. Unverified: an HTTP integration that could not be reached.
   */
  internalError: { status: 500, message: 'Internal Server Error', contentType: 'application/json' },
  /** Captured with no content-type: the integration did not answer within timeoutInMillis. */
  serviceUnavailable: { status: 503, message: 'Service Unavailable', contentType: undefined },
} as const satisfies Record<string, GatewayAnswer>;

type Answers = (typeof GATEWAY_ANSWERS)[keyof typeof GATEWAY_ANSWERS];
/** A status API Gateway answers with on its own. */
export type GatewayStatus = Answers['status'];

/** The message for each status, read from the table above (one wording per status). */
export const GATEWAY_MESSAGES = Object.fromEntries(
  Object.values(GATEWAY_ANSWERS).map((a) => [a.status, a.message]),
) as { readonly [S in GatewayStatus]: Extract<Answers, { status: S }>['message'] };

/** `{"message":"Not Found"}`: an answer's body, as API Gateway writes it (no spaces). */
export function answerBody(answer: GatewayAnswer): string {
  return JSON.stringify({ message: answer.message });
}

/** The body of the answer with this status. */
export function gatewayBody(status: GatewayStatus): string {
  return JSON.stringify({ message: GATEWAY_MESSAGES[status] });
}
