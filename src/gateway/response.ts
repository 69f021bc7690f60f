/**
 * The HTTP response the gateway is about to send, before the headers every response carries
 * (`apigw-requestid`, `date`, `content-length`) and CORS headers are added.
 */
import { GATEWAY_OWNED_RESPONSE_HEADERS } from '../aws/headers.ts';
import type { GatewayError } from './errors.ts';

export interface GatewayResponse {
  statusCode: number;
  /** Flat `[name, value, name, value, ...]`, names lower-cased; a name may repeat (`set-cookie`). */
  headers: string[];
  body: Buffer | string;
  /** Set for API Gateway's own answers: `$context.error.message`. */
  errorMessage?: string;
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

/** 1xx cannot end an exchange (a client would wait for the final answer), so only 200-599 are taken. */
export function isValidStatusCode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 200 && value <= 599;
}

/** An HTTP token, lower-cased: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
const PRINTABLE_ASCII = /^[\t\x20-\x7e]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * A header value as it goes on the wire, or undefined when it cannot be sent (CR, LF, NUL and other
 * control characters). Non-ASCII text goes out as its UTF-8 bytes, as the function's JSON carried it:
 * a Latin-1 string of those bytes, which node:http writes byte for byte.
 */
function wireHeaderValue(text: string): string | undefined {
  if (PRINTABLE_ASCII.test(text)) return text;
  if (CONTROL.test(text)) return undefined;
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** The head a response mapper builds from a function's headers and cookies, as they go on the wire. */
export class WireHead {
  readonly headers: string[] = [];
  private nonAscii = false;

  /** Appends a header (gateway-owned ones are dropped); false when HTTP cannot carry it: malformed. */
  add(lowerName: string, text: string): boolean {
    const wire = wireHeaderValue(text);
    if (wire === undefined || !HEADER_NAME.test(lowerName)) return false;
    if (GATEWAY_OWNED_RESPONSE_HEADERS.has(lowerName)) return true;
    if (wire !== text) this.nonAscii = true;
    this.headers.push(lowerName, wire);
    return true;
  }

  /**
   * The response with this head. After non-ASCII header bytes the body goes as a Buffer: node:http
   * writes a string body together with the head, as UTF-8, which would encode those bytes twice.
   */
  response(statusCode: number, body: Buffer | string): GatewayResponse {
    return {
      statusCode,
      headers: this.headers,
      body: this.nonAscii && typeof body === 'string' ? Buffer.from(body) : body,
    };
  }
}

/** A `body` field: absent/null means empty; anything but a string is malformed. */
export function bodyBytes(body: unknown, isBase64Encoded: unknown): Buffer | string | undefined {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') return undefined;
  // HTTP APIs have no binary media types: isBase64Encoded alone decides.
  return isBase64Encoded === true ? Buffer.from(body, 'base64') : body;
}
