/**
 * Request units cross from the store's thread to the host's through shared memory. The host reads the
 * ring as each execution environment's answer arrives (thread/host.ts `readUnits`, wired by the CLI to
 * the runtime's `onAnswer`), so a handler's store calls wake the gateway's thread no more than its
 * answer does: a message per request woke it once per store call (one of three wake-ups of an example
 * POST), and a message per batch still once per sequential POST. A message still goes when the host
 * must hear without an answer coming: at once when the request brings a name the host does not know
 * yet, or when the ring is full; and BELL_DELAY_MS after a request whose units the host has not read
 * by then (a client of the store's port that is no function: a script, the SDK in a test).
 *
 * The host's ordering guarantee holds (a handler's result is never seen before the units of the store
 * calls it made): a request's units are in the ring before its answer is written, so before the
 * handler can answer, and the host reads the ring before it hands that answer on. Names travel in
 * messages posted before the answer too, which the host sees first (thread/host.ts). The bell and
 * the ring's indexes are Atomics on one SharedArrayBuffer: sequentially consistent, so "the bell was
 * rung" and "the units are in" are seen in the order they were made.
 *
 * Table and operation names cross once, as numbers after that: the host stops reading at a number
 * it does not know yet (its name is on the way). A full ring (the host busy for long) sends the units
 * in a message of their own: never dropped.
 */
import type { TableRequest } from '../capacity.ts';

const BELL = 0;
const WRITTEN = 1;
const READ = 2;
const HEADER = 4;
const FIELDS = 4;
/**
 * How long the store's thread waits for the host to read units on its own (at an environment's answer)
 * before it posts a wake-up. A handler answers within this after its store call returns, or its units
 * simply come by message; metrics are read per second, so no one sees the wait.
 */
export const BELL_DELAY_MS = 20;

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

/** Runs `check` later, on the store's thread (a timer; tests run it when they choose). */
export type BellTimer = (check: () => void) => void;

const bellTimer: BellTimer = (check) => {
  setTimeout(check, BELL_DELAY_MS).unref();
};

/** The store thread's end: `post` sends a message to the host (posted at once, before the answer). */
export class UnitsWriter {
  readonly #ring: Int32Array;
  readonly #capacity: number;
  readonly #ids = new Map<string, number>();
  #newNames: string[] = [];
  #written = 0;
  /** A check of whether the host has read is due (one at a time). */
  #checkDue = false;

  constructor(
    ring: Int32Array,
    private readonly post: (message: UnitsMessage) => void,
    private readonly later: BellTimer = bellTimer,
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
    if (this.#newNames.length > 0) {
      Atomics.store(ring, BELL, 1);
      this.post({ names: this.#takeNames() });
    } else if (!this.#checkDue && Atomics.load(ring, BELL) === 0) {
      // Rung: a message on its way makes the host read this one too.
      this.#checkDue = true;
      this.later(this.#check);
    }
  }

  /** Rings if the host has not read everything by now and no message is on its way. */
  readonly #check = () => {
    this.#checkDue = false;
    const ring = this.#ring;
    if (((this.#written - Atomics.load(ring, READ)) | 0) > 0 && Atomics.compareExchange(ring, BELL, 0, 1) === 0)
      this.post({ names: [] });
  };

  #takeNames(): string[] {
    const names = this.#newNames;
    if (names.length > 0) this.#newNames = [];
    return names;
  }
}

/** The host's end: read on each message from the store's thread, and whenever the host asks (`poll`). */
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
    Atomics.store(this.#ring, BELL, 0);
    if (message.requests && listener) for (const request of message.requests) listener(request);
    this.poll(listener);
  }

  /** Every request in the ring, each given to `listener` (or dropped): two loads when there is none. */
  poll(listener: ((request: TableRequest) => void) | undefined): void {
    const ring = this.#ring;
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
