/**
 * Identifiers and timestamps API Gateway stamps on each request. Built from a per-process random
 * part and a counter so the hot path never calls into the CSPRNG.
 */
import { randomBytes } from 'node:crypto';
import { perSecond } from '../aws/per-second.ts';

// HTTP API request ids are 11 bytes in standard base64 (`JL3lUjPeIAMEY4Q=`): 16 characters ending in `=`.
const idBytes = Buffer.alloc(11);
randomBytes(5).copy(idBytes, 6);
let idLow = 0;
let idHigh = 0;

/** A process-unique id shaped like an HTTP API `requestId` / `apigw-requestid`. */
export function nextRequestId(): string {
  idLow = (idLow + 1) >>> 0;
  if (idLow === 0) idHigh = (idHigh + 1) & 0xffff;
  // An odd multiplier is a bijection modulo 2^32: ids stay unique but do not look sequential.
  idBytes.writeUInt32BE(Math.imul(idLow, 0x9e3779b1) >>> 0, 0);
  idBytes.writeUInt16BE(idHigh, 4);
  return idBytes.toString('base64');
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
