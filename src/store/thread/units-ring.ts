/**
 * Request units cross from the store's thread to the host's through shared memory, with a message
 * only to wake the host when it has none on its way. A message per request woke the gateway's
 * thread once per store call; now requests answered while the host has not yet read the ring share
 * one wake-up (under load, most of them).
 *
 * The host's ordering guarantee holds (thread/host.ts: a handler's result is never seen before the
 * units of the store calls it made), because a request's units are in the ring before its answer is
 * written, and then either the request rings the bell (a message posted before its answer, as
 * before), or the bell was already rung by a message posted earlier still, whose reading the host
 * begins only after clearing the bell and so sees this request's units. The bell and the ring's
 * indexes are Atomics on one SharedArrayBuffer: sequentially consistent, so "the bell was rung" and
 * "the units are in" are seen in the order they were made.
 *
 * Table and operation names cross once, as numbers after that: a message that brings new names is
 * always posted, and the host stops reading at a number it does not know yet (its name is on the
 * way, in a message posted before the request's answer). A full ring (the host busy for long)
 * sends the units in a message of their own, as before: never dropped.
 */
import type { TableRequest } from '../capacity.ts';

const BELL = 0;
const WRITTEN = 1;
const READ = 2;
const HEADER = 4;
const FIELDS = 4;
/** Requests the ring holds before units travel as messages again (a power of two). */
export const RING_CAPACITY = 1024;

/**
 * The shared memory of one store's ring. Its two counters wrap around past 2^31 requests (int32
 * arithmetic); a power-of-two capacity keeps slots in order across the wrap.
 */
export function unitsRing(capacity = RING_CAPACITY): Int32Array {
  if (capacity < 1 || (capacity & (capacity - 1)) !== 0)
    throw new Error(`ring capacity ${capacity} is not a power of two`);
  return new Int32Array(new SharedArrayBuffer((HEADER + capacity * FIELDS) * Int32Array.BYTES_PER_ELEMENT));
}

const capacityOf = (ring: Int32Array) => (ring.length - HEADER) / FIELDS;

/** What the store's thread posts to the host: a wake-up with the names it did not know, or units that did not fit. */
export interface UnitsMessage {
  /** Names (tables, operations) numbered after those sent before. */
  names: string[];
  /** Units that did not fit in the ring. */
  requests?: TableRequest[];
}

/** The store thread's end: `post` sends a message to the host (posted at once, before the answer). */
export class UnitsWriter {
  readonly #ring: Int32Array;
  readonly #capacity: number;
  readonly #ids = new Map<string, number>();
  #newNames: string[] = [];
  #written = 0;

  constructor(
    ring: Int32Array,
    private readonly post: (message: UnitsMessage) => void,
  ) {
    this.#ring = ring;
    this.#capacity = capacityOf(ring);
    this.#written = Atomics.load(ring, WRITTEN);
  }

  #id(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#ids.size;
      this.#ids.set(name, id);
      this.#newNames.push(name);
    }
    return id;
  }

  write(request: TableRequest): void {
    const halfReads = request.readUnits * 2;
    const ring = this.#ring;
    // Units are whole write units and half read units (capacity.ts); anything else crosses as it is.
    const fits =
      Number.isInteger(halfReads) &&
      Number.isInteger(request.writeUnits) &&
      halfReads <= 0x7fffffff &&
      request.writeUnits <= 0x7fffffff &&
      ((this.#written - Atomics.load(ring, READ)) | 0) < this.#capacity;
    if (!fits) {
      this.post({ names: this.#takeNames(), requests: [request] });
      return;
    }
    const at = HEADER + (this.#written & (this.#capacity - 1)) * FIELDS;
    ring[at] = this.#id(request.tableName);
    ring[at + 1] = this.#id(request.operation);
    ring[at + 2] = halfReads;
    ring[at + 3] = request.writeUnits;
    this.#written = (this.#written + 1) | 0;
    Atomics.store(ring, WRITTEN, this.#written);
    if (this.#newNames.length > 0 || Atomics.compareExchange(ring, BELL, 0, 1) === 0) {
      Atomics.store(ring, BELL, 1);
      this.post({ names: this.#takeNames() });
    }
  }

  #takeNames(): string[] {
    const names = this.#newNames;
    if (names.length > 0) this.#newNames = [];
    return names;
  }
}

/** The host's end: read on each message from the store's thread. */
export class UnitsReader {
  readonly #ring: Int32Array;
  readonly #capacity: number;
  readonly #names: string[] = [];

  constructor(ring: Int32Array) {
    this.#ring = ring;
    this.#capacity = capacityOf(ring);
  }

  /** Takes a message's news, then every request in the ring, each given to `listener` (or dropped). */
  read(message: UnitsMessage, listener: ((request: TableRequest) => void) | undefined): void {
    for (const name of message.names) this.#names.push(name);
    const ring = this.#ring;
    Atomics.store(ring, BELL, 0);
    if (message.requests && listener) for (const request of message.requests) listener(request);
    let read = Atomics.load(ring, READ);
    const written = Atomics.load(ring, WRITTEN);
    while (((written - read) | 0) > 0) {
      const at = HEADER + (read & (this.#capacity - 1)) * FIELDS;
      const tableName = this.#names[ring[at]];
      const operation = this.#names[ring[at + 1]];
      // Named in a message still on its way: read on its arrival.
      if (tableName === undefined || operation === undefined) break;
      listener?.({ tableName, operation, readUnits: ring[at + 2] / 2, writeUnits: ring[at + 3] });
      read = (read + 1) | 0;
    }
    Atomics.store(ring, READ, read);
  }
}
