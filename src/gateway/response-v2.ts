/**
 * Lambda response → HTTP response for payload format 2.0. A JSON object with `statusCode` is a
 * response description; anything else is the body of a 200 `application/json` answer, with a
 * returned string sent unwrapped.
 */
import { GATEWAY_ERRORS } from './errors.ts';
import {
  bodyBytes,
  errorResponse,
  type GatewayResponse,
  headerText,
  isPlainObject,
  isValidStatusCode,
  WireHead,
} from './response.ts';

/** What AWS sends when a response with `statusCode` sets no content-type. */
export const DEFAULT_CONTENT_TYPE_V2 = 'text/plain; charset=utf-8';

const malformed = (): GatewayResponse => errorResponse(GATEWAY_ERRORS.internalError);

function firstSignificantChar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

function inferred(body: string): GatewayResponse {
  return { statusCode: 200, headers: ['content-type', 'application/json'], body };
}

/** `payload` is the JSON text Lambda returned. */
export function mapResponseV2(payload: string): GatewayResponse {
  const first = firstSignificantChar(payload);
  if (first === 34 /* " */) {
    try {
      return inferred(JSON.parse(payload) as string);
    } catch {
      return malformed();
    }
  }
  // Only an object that mentions statusCode can be a response description: skip parsing the rest.
  if (first !== 123 /* { */ || !payload.includes('"statusCode"')) return inferred(payload);
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return malformed();
  }
  if (!isPlainObject(parsed) || !Object.hasOwn(parsed, 'statusCode')) return inferred(payload);
  return describedResponse(parsed);
}

function describedResponse(response: Record<string, unknown>): GatewayResponse {
  const { statusCode, headers, cookies, body, isBase64Encoded } = response;
  if (!isValidStatusCode(statusCode)) return malformed();
  const head = new WireHead();
  let hasContentType = false;
  if (headers !== undefined && headers !== null) {
    if (!isPlainObject(headers)) return malformed();
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (value === undefined || value === null) continue;
      const text = headerText(value);
      const lower = name.toLowerCase();
      if (text === undefined || !head.add(lower, text)) return malformed();
      if (lower === 'content-type') hasContentType = true;
    }
  }
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies)) return malformed();
    for (const cookie of cookies) {
      if (typeof cookie !== 'string' || !head.add('set-cookie', cookie)) return malformed();
    }
  }
  if (!hasContentType) head.add('content-type', DEFAULT_CONTENT_TYPE_V2);
  const bytes = bodyBytes(body, isBase64Encoded);
  if (bytes === undefined) return malformed();
  return head.response(statusCode, bytes);
}
