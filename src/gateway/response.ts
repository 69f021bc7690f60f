/**
 * The HTTP response the gateway is about to send, before the headers every response carries
 * (`apigw-requestid`, `date`, `content-length`) and CORS headers are added.
 */
import type { GatewayError } from './errors.ts';

export interface GatewayResponse {
  statusCode: number;
  /** Flat `[name, value, name, value, ...]`, names lower-cased; a name may repeat (`set-cookie`). */
  headers: string[];
  body: Buffer | string;
  /** Set for API Gateway's own answers: `$context.error.message`. */
  errorMessage?: string;
}

/** Headers the gateway itself owns: an integration's values for them are dropped. */
const OWNED_HEADERS = new Set([
  'apigw-requestid',
  'connection',
  'content-length',
  'date',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
]);

export function isOwnedHeader(lowerName: string): boolean {
  return OWNED_HEADERS.has(lowerName);
}

export function errorResponse(error: GatewayError): GatewayResponse {
  return {
    statusCode: error.status,
    headers: error.contentType === undefined ? [] : ['content-type', error.contentType],
    body: error.body,
    errorMessage: error.message,
  };
}

/** A header value as API Gateway accepts it from Lambda: strings, and numbers/booleans as their text. */
export function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isValidStatusCode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

/** A `body` field: absent/null means empty; anything but a string is malformed. */
export function bodyBytes(body: unknown, isBase64Encoded: unknown): Buffer | string | undefined {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') return undefined;
  // HTTP APIs have no binary media types: isBase64Encoded alone decides.
  return isBase64Encoded === true ? Buffer.from(body, 'base64') : body;
}
