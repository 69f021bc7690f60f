/**
 * Lambda response → HTTP response for payload format 1.0: `statusCode` is required; `headers` and
 * `multiValueHeaders` are merged into one list per name, a value given in both appearing once (as
 * REST APIs document the merge); no inference as with 2.0.
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

/** Content-type when a 1.0 response sets none: REST APIs' default (unverified for HTTP APIs). */
export const DEFAULT_CONTENT_TYPE_V1 = 'application/json';

const malformed = (): GatewayResponse => errorResponse(GATEWAY_ERRORS.internalError);

export function mapResponseV1(payload: string): GatewayResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return malformed();
  }
  if (!isPlainObject(parsed)) return malformed();
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = parsed;
  if (!isValidStatusCode(statusCode)) return malformed();

  const merged = new Map<string, string[]>();
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (!isPlainObject(multiValueHeaders)) return malformed();
    for (const name of Object.keys(multiValueHeaders)) {
      const values = multiValueHeaders[name];
      if (values === null || values === undefined) continue;
      if (!Array.isArray(values)) return malformed();
      const texts: string[] = [];
      for (const value of values) {
        const text = headerText(value);
        if (text === undefined) return malformed();
        texts.push(text);
      }
      const lower = name.toLowerCase();
      merged.set(lower, [...(merged.get(lower) ?? []), ...texts]);
    }
  }
  if (headers !== undefined && headers !== null) {
    if (!isPlainObject(headers)) return malformed();
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (value === null || value === undefined) continue;
      const text = headerText(value);
      if (text === undefined) return malformed();
      const lower = name.toLowerCase();
      const list = merged.get(lower);
      if (!list) merged.set(lower, [text]);
      else if (!list.includes(text)) list.push(text);
    }
  }
  const head = new WireHead();
  for (const [name, values] of merged) {
    for (const value of values) if (!head.add(name, value)) return malformed();
  }
  if (!merged.has('content-type')) head.add('content-type', DEFAULT_CONTENT_TYPE_V1);
  const bytes = bodyBytes(body, isBase64Encoded);
  if (bytes === undefined) return malformed();
  return head.response(statusCode, bytes);
}
