/**
 * Identifiers and timestamps API Gateway stamps on each request. Built from a per-process random
 * part and a counter so the hot path never calls into the CSPRNG.
 */
import { randomBytes } from 'node:crypto';
import { perSecond } from '../aws/per-second.ts';

// HTTP API request ids are 11 bytes in standard base64 (`JL3lUjPeIAMEY4Q=`): 16 characters ending in `=`.
// Bytes 0-5 change per request (a scrambled counter), bytes 6-10 are random per process. Base64 turns
// each 3 bytes into 4 characters, so the last 8 characters are fixed and only the first 8 are encoded
// per request, from a table of 2-character pairs: no Buffer and no base64 call on the hot path.
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** The two characters of each 12-bit value. */
const PAIRS: string[] = Array.from({ length: 4096 }, (_, v) => BASE64[v >> 6] + BASE64[v & 63]);
const idSuffix = randomBytes(5).toString('base64');
let idLow = 0;
let idHigh = 0;

/** A process-unique id shaped like an HTTP API `requestId` / `apigw-requestid`. */
export function nextRequestId(): string {
  idLow = (idLow + 1) >>> 0;
  if (idLow === 0) idHigh = (idHigh + 1) & 0xffff;
  // An odd multiplier is a bijection modulo 2^32: ids stay unique but do not look sequential.
  const low = Math.imul(idLow, 0x9e3779b1) >>> 0;
  // Bytes 0-2 are low's top 24 bits; bytes 3-5 are its last byte and the 16-bit high counter.
  const a = low >>> 8;
  const b = ((low & 0xff) << 16) | idHigh;
  return PAIRS[a >>> 12] + PAIRS[a & 0xfff] + PAIRS[b >>> 12] + PAIRS[b & 0xfff] + idSuffix;
}

const traceSuffix = randomBytes(8).toString('hex');
let traceCounter = 0;
let traceSecond = -1;
let tracePrefix = '';

/** An X-Ray trace header value: `Root=1-{8 hex epoch seconds}-{24 hex}`. */
export function nextTraceId(epochMs: number): string {
  traceCounter = (traceCounter + 1) >>> 0;
  const second = Math.floor(epochMs / 1000);
  if (second !== traceSecond) {
    traceSecond = second;
    tracePrefix = `Root=1-${second.toString(16).padStart(8, '0')}-`;
  }
  const unique = (Math.imul(traceCounter, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  return tracePrefix + unique + traceSuffix;
}

/** The `date` response header (RFC 7231 IMF-fixdate), computed once per second. */
export const httpDate = perSecond((ms) => new Date(ms).toUTCString());
