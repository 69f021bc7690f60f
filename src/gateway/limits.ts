/**
 * Payload limits: an HTTP API accepts request bodies up to 10 MB, and Lambda's synchronous invoke
 * takes events up to 6 MB (a base64 body grows by a third on the way). Bodies are counted as they
 * arrive, so an oversize upload is refused without being kept in memory.
 */
import type { IncomingMessage } from 'node:http';
import { LAMBDA_SYNC_PAYLOAD_BYTES } from '../aws/limits.ts';

export const BODY_TOO_LARGE = Symbol('body too large');

export type BodyResult = Buffer | undefined | typeof BODY_TOO_LARGE | Error;

/** The `content-length` the client declared, or undefined. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  if (header === undefined) return undefined;
  const n = Number(header);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Reads the request body. Calls `done` once: with the bytes (undefined when there is no body),
 * BODY_TOO_LARGE after `limit` bytes (the rest is then drained and discarded), or the stream's error.
 */
export function readBody(req: IncomingMessage, limit: number, done: (result: BodyResult) => void): void {
  const declared = declaredLength(req);
  if (declared === 0 || (declared === undefined && req.headers['transfer-encoding'] === undefined)) {
    done(undefined);
    return;
  }
  if (declared !== undefined && declared > limit) {
    req.resume();
    done(BODY_TOO_LARGE);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (result: BodyResult) => {
    if (finished) return;
    finished = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    req.off('close', onClose);
    done(result);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      chunks.length = 0;
      finish(BODY_TOO_LARGE);
      // Keep reading and dropping the rest, so the client gets to read our 413.
      req.resume();
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => {
    if (size === 0) finish(undefined);
    else finish(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  };
  const onError = (error: Error) => finish(error);
  const onClose = () => finish(new Error('the client closed the connection before the request body ended'));
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
  req.on('close', onClose);
}

/** Whether a Lambda event's JSON text exceeds the 6 MB invoke limit (bytes counted only when it could). */
export function eventTooLarge(eventJson: string): boolean {
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short strings cannot exceed the limit.
  return eventJson.length > LAMBDA_SYNC_PAYLOAD_BYTES / 3 && Buffer.byteLength(eventJson) > LAMBDA_SYNC_PAYLOAD_BYTES;
}
