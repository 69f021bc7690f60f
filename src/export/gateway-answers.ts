/**
 * The bodies API Gateway answers with when it refuses a request itself (`{"message":"…"}`, from the
 * fidelity reference, as src/gateway/errors.ts serves them). Other gateways are told to answer the
 * same, so clients that parse these bodies keep working after a move.
 * Kept here because src/export may import config only; move to the shared AWS facts folder when
 * src/gateway reads the messages from there too.
 */
export const GATEWAY_MESSAGES = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;

export type GatewayStatus = keyof typeof GATEWAY_MESSAGES;

/** `{"message":"Not Found"}`: the body, as API Gateway writes it (no spaces). */
export function gatewayBody(status: GatewayStatus): string {
  return JSON.stringify({ message: GATEWAY_MESSAGES[status] });
}
