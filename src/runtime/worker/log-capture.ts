/**
 * What an execution environment writes to process.stdout and process.stderr (the runtime console's
 * records and raw writes alike) goes into the log ring the host reads (protocol.ts, LOG_RING_BYTES),
 * as one stream in the order written, as Lambda's one log stream has it.
 *
 * Node's own worker stdio would cost the host two wake-ups per write (the chunk, then its "wants
 * more data" answer) and made every answer wait for an empty write first. Here a line costs a copy
 * into shared memory: the next message the worker posts names how far the host should read (an
 * answer carries the position itself), so a handler that logs still costs one message per invocation.
 * Lines outside an answer (init, timers, a long invocation) still arrive live: the first write of a
 * batch starts a short timer that posts the position, unless an answer takes it first.
 */
import { parentPort } from 'node:worker_threads';
import { LOG_DATA_OFFSET, LOG_HEAD, LOG_RING_BYTES, LOG_TAIL, LOGS, type WorkerMessage } from '../protocol.ts';
import { runtimeTimer } from './event-loop.ts';

/** How long a line written outside an answer may wait for company before it is sent on its own. */
const FLUSH_DELAY_MS = 10;
const MASK = LOG_RING_BYTES - 1;

let counters: Int32Array;
let ring: Buffer;
/** Bytes written so far (modulo 2^32): the ring's LOG_HEAD, kept here too so appends need no atomic load. */
let head = 0;
/** The position the last message named: lines past it have not been announced to the host. */
let announced = 0;
let flushTimer: NodeJS.Timeout | undefined;

/** Sends both streams into the ring, from now on. */
export function captureOutput(buffer: SharedArrayBuffer): void {
  counters = new Int32Array(buffer, 0, 2);
  ring = Buffer.from(buffer, LOG_DATA_OFFSET, LOG_RING_BYTES);
  head = Atomics.load(counters, LOG_HEAD) >>> 0;
  announced = head;
  const write = function (
    this: NodeJS.WriteStream,
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | ((error?: Error | null) => void),
    callback?: (error?: Error | null) => void,
  ): boolean {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    if (typeof chunk === 'string') {
      if (encoding === undefined || encoding === 'utf8' || encoding === 'utf-8') writeLog(chunk);
      else appendBytes(Buffer.from(chunk, encoding));
    } else appendBytes(chunk);
    // A stream calls back asynchronously; some loggers wait for it before their next write.
    if (callback) process.nextTick(callback, null);
    return true;
  } as typeof process.stdout.write;
  process.stdout.write = write;
  process.stderr.write = write;
}

/** Appends text (UTF-8) to the ring. */
export function writeLog(text: string): void {
  if (text.length === 0) return;
  // UTF-8 needs at most 3 bytes per UTF-16 unit: a line that surely fits is encoded in place.
  const worst = text.length * 3;
  const offset = head & MASK;
  if (worst <= LOG_RING_BYTES - offset && worst <= free()) advance(ring.write(text, offset, 'utf8'));
  else appendBytes(Buffer.from(text, 'utf8'));
}

function free(): number {
  return LOG_RING_BYTES - ((head - Atomics.load(counters, LOG_TAIL)) >>> 0);
}

function advance(written: number): void {
  head = (head + written) >>> 0;
  Atomics.store(counters, LOG_HEAD, head | 0);
  if (flushTimer === undefined) flushTimer = runtimeTimer(flushLogs, FLUSH_DELAY_MS);
}

function appendBytes(bytes: Uint8Array): void {
  const length = bytes.byteLength;
  if (length === 0) return;
  for (;;) {
    const tail = Atomics.load(counters, LOG_TAIL);
    if (length <= LOG_RING_BYTES - ((head - tail) >>> 0)) {
      const offset = head & MASK;
      const first = Math.min(length, LOG_RING_BYTES - offset);
      ring.set(first === length ? bytes : bytes.subarray(0, first), offset);
      if (first < length) ring.set(bytes.subarray(first), 0);
      advance(length);
      return;
    }
    // Full (or a write larger than the ring): what it holds goes out with this write, in one message,
    // so memory stays bounded. Claimed by moving the tail, unless the host read it meanwhile.
    if (Atomics.compareExchange(counters, LOG_TAIL, tail, head | 0) !== tail) continue;
    const held = (head - tail) >>> 0;
    const overflow = Buffer.allocUnsafe(held + length);
    const start = tail & MASK;
    const firstPart = Math.min(held, LOG_RING_BYTES - start);
    ring.copy(overflow, 0, start, start + firstPart);
    ring.copy(overflow, firstPart, 0, held - firstPart);
    overflow.set(bytes, held);
    announced = head;
    cancelFlush();
    parentPort!.postMessage([LOGS, head, overflow] satisfies WorkerMessage);
    return;
  }
}

function cancelFlush(): void {
  if (flushTimer === undefined) return;
  clearTimeout(flushTimer);
  flushTimer = undefined;
}

/**
 * The position an answer carries: the host reads the lines up to it before it handles the answer.
 * No timer is left behind, so a silent or a logging handler costs one message.
 */
export function announceLogs(): number {
  cancelFlush();
  announced = head;
  return head;
}

/** Tells the host to read what is unannounced, before a message that carries no position (or on the timer). */
export function flushLogs(): void {
  cancelFlush();
  if (announced === head) return;
  announced = head;
  parentPort!.postMessage([LOGS, head] satisfies WorkerMessage);
}
