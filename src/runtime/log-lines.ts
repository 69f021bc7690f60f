/**
 * How an execution environment's output becomes log lines on the host: the log ring its worker
 * writes (protocol.ts, LOG_RING_BYTES; worker/log-capture.ts), and Node's own worker stdio for
 * anything that reached it past the runtime's capture. Both are byte streams split the same way.
 */
import { StringDecoder } from 'node:string_decoder';
import { LOG_DATA_OFFSET, LOG_HEAD, LOG_RING_BYTES, LOG_TAIL } from './protocol.ts';

/** Splits a stream of UTF-8 bytes into lines; a character split between chunks is kept whole. */
export class LineSplitter {
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly emit: (line: string) => void) {}

  write(chunk: Uint8Array): void {
    const text = this.pending + this.decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.emit(text.slice(start, end));
      start = end + 1;
    }
    this.pending = start === text.length ? '' : text.slice(start);
  }

  /** The stream ended: a last line without a newline, written just before the worker ended, is a line too. */
  end(): void {
    const last = this.pending + this.decoder.end();
    this.pending = '';
    if (last) this.emit(last);
  }
}

const MASK = LOG_RING_BYTES - 1;

/** The host's end of one environment's log ring. */
export class LogRingReader {
  private readonly counters: Int32Array;
  private readonly ring: Buffer;

  /** Without `lines` (nobody reads logs) the ring is only emptied. */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly lines: LineSplitter | undefined,
  ) {
    this.counters = new Int32Array(buffer, 0, 2);
    this.ring = Buffer.from(buffer, LOG_DATA_OFFSET, LOG_RING_BYTES);
  }

  /** Reads the lines up to `end`, a position the worker named (an answer, a LOGS message). */
  readTo(end: number): void {
    const tail = Atomics.load(this.counters, LOG_TAIL);
    // Positions count modulo 2^32; a distance is never near 2^31. At or past `end`: already read, or
    // taken by the worker with a full ring (its LOGS message carries them).
    const length = (end - tail) | 0;
    if (length <= 0) return;
    const lines = this.lines;
    if (!lines) {
      Atomics.compareExchange(this.counters, LOG_TAIL, tail, end | 0);
      return;
    }
    // Copied before the tail moves: from then on the worker may write over them.
    const bytes = Buffer.allocUnsafe(length);
    const start = tail & MASK;
    const first = Math.min(length, LOG_RING_BYTES - start);
    this.ring.copy(bytes, 0, start, start + first);
    if (first < length) this.ring.copy(bytes, first, 0, length - first);
    // The worker takes the ring's bytes itself when it is full: then they come in its message, not here.
    if (Atomics.compareExchange(this.counters, LOG_TAIL, tail, end | 0) !== tail) return;
    lines.write(bytes);
  }

  /** Reads everything written so far (the worker timed out, ended, or is stuck). */
  readAll(): void {
    this.readTo(Atomics.load(this.counters, LOG_HEAD));
  }

  /** Bytes the worker took out of a full ring (and the write that did not fit), in a LOGS message. */
  receive(overflow: Uint8Array): void {
    this.lines?.write(overflow);
  }

  /** The worker ended: a last line without a newline still counts. */
  end(): void {
    this.readAll();
    this.lines?.end();
  }
}
