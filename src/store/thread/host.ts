/**
 * The gateway's side of the store's worker thread: stores that serve from that thread (dynalite,
 * LevelDB, replication, the journal's fsyncs all run there), seen here through the same `Store`
 * interface as an in-process one. What crosses is small (protocol.ts): request units for telemetry
 * (only while telemetry listens), a fault decision per request (only while a store fault is active),
 * table access on a (re)load, replication controls and samples. One thread may run several stores:
 * a two-region gantry dev runs both regions' stores and the global table between them in one.
 */
import { Worker } from 'node:worker_threads';
import type { TableAccessPolicy } from '../access.ts';
import type { TableRequest } from '../capacity.ts';
import type { StoreFaults } from '../faults.ts';
import type { ConsistencyReport, ReplicaStatus, ReplicationSample } from '../replication/global-tables.ts';
import type { Store } from '../store.ts';
import type { TableSetup } from '../tables.ts';
import {
  type FromStoreThread,
  fromWireError,
  type StartStoreRequest,
  type StoreCall,
  type StoreCallResults,
  type StoreId,
  SWITCH,
  SWITCH_COUNT,
  type ToStoreThread,
} from './protocol.ts';
import { UnitsReader, unitsRing } from './units-ring.ts';

const WORKER = new URL('./worker-shim.mjs', import.meta.url);

/** Global tables whose replicas run in a store thread: the controls of replication/global-tables.ts, awaited. */
export interface ThreadGlobalTables {
  verify(since: number): Promise<ConsistencyReport>;
  /** Stops replication to and from `region` (its outage); writes keep being journaled. */
  hold(region: string): Promise<void>;
  /** Resumes it: the backlog drains. */
  release(region: string): Promise<void>;
  status(): Promise<ReplicaStatus[]>;
  /** Told about every write applied in another replica (AWS/DynamoDB ReplicationLatency). */
  onReplicated(listener: (sample: ReplicationSample) => void): () => void;
  /** Resolves once nothing deliverable is pending (held regions aside). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreThreadOptions {
  /** Told if the thread dies unexpectedly (its stores are gone). @default a line on stderr */
  onCrash?: (error: Error) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** A store served from the thread: the same Store as store.ts's, its settings crossing as messages. */
class ThreadStore implements Store {
  #onRequest: ((request: TableRequest) => void) | undefined;
  #faults: StoreFaults | undefined;
  #access: TableAccessPolicy | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    private readonly thread: StoreThread,
    readonly id: StoreId,
    readonly endpoint: string,
    readonly port: number,
    readonly tables: TableSetup[],
    private readonly switches: Int32Array,
    /** Where this store's request units are read. */
    readonly units: UnitsReader,
    private readonly afterClose: () => Promise<void>,
  ) {}

  ensureTables(tables: Parameters<Store['ensureTables']>[0]): Promise<TableSetup[]> {
    return this.thread.call({ op: 'ensureTables', store: this.id, tables });
  }

  get onRequest() {
    return this.#onRequest;
  }
  set onRequest(listener) {
    this.#onRequest = listener;
    // Request units cross only while someone listens.
    Atomics.store(this.switches, SWITCH.metrics, listener === undefined ? 0 : 1);
  }

  readUnits(): void {
    this.units.poll(this.#onRequest);
  }

  get faults() {
    return this.#faults;
  }
  set faults(faults) {
    this.#faults = faults;
    // Only while a fault is active does each request ask this thread (`faultQuery`).
    Atomics.store(this.switches, SWITCH.faults, faults === undefined ? 0 : 1);
  }

  get access() {
    return this.#access;
  }
  set access(policy) {
    this.#access = policy;
    this.thread.post({ type: 'access', store: this.id, policy });
  }

  close(): Promise<void> {
    this.#closing ??= this.thread.call({ op: 'closeStore', store: this.id }).then(this.afterClose);
    return this.#closing;
  }
}

export class StoreThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #stores = new Map<StoreId, ThreadStore>();
  readonly #replicated = new Set<(sample: ReplicationSample) => void>();
  #nextCall = 1;
  #exited: Error | undefined;
  #terminating: Promise<void> | undefined;

  constructor(options: StoreThreadOptions = {}) {
    // The store's own heap: dynalite's and LevelDB's allocations never count against the gateway's.
    // Of the process's flags only the profiler's pass on: `node --cpu-prof` profiles this thread too.
    const execArgv = process.execArgv.filter((flag) => flag.startsWith('--cpu-prof'));
    this.#worker = new Worker(WORKER, { execArgv, name: 'gantry-store' });
    this.#worker.on('message', (message: FromStoreThread) => this.#receive(message));
    const onCrash =
      options.onCrash ??
      ((error: Error) =>
        process.stderr.write(
          `gantry: the embedded store stopped (${error.message}): its tables answer no more requests; restart gantry dev (acknowledged writes are kept)\n`,
        ));
    this.#worker.on('error', (error) => {
      this.#exited ??= error;
      onCrash(error);
    });
    this.#worker.on('exit', (code) => {
      // After an 'error' (already told), or asked to end: nothing more to tell.
      if (!this.#exited && !this.#terminating) onCrash(new Error(`its thread exited with code ${code}`));
      const error = this.#exited ?? new Error(`the store's worker thread has ended (code ${code})`);
      this.#exited = error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
  }

  /** The worker's thread id (`worker_threads.threadId` inside it). */
  get threadId(): number {
    return this.#worker.threadId;
  }

  /** Starts a store in this thread; a port in use rejects with `code` EADDRINUSE, as listen() does. */
  async startStore(options: StartStoreRequest, afterClose: () => Promise<void> = async () => {}): Promise<Store> {
    const switches = new Int32Array(new SharedArrayBuffer(SWITCH_COUNT * Int32Array.BYTES_PER_ELEMENT));
    const units = unitsRing();
    const started = await this.call({ op: 'start', options, switches, units });
    const { store: id, endpoint, port, tables } = started;
    const store = new ThreadStore(this, id, endpoint, port, tables, switches, new UnitsReader(units), async () => {
      this.#stores.delete(id);
      await afterClose();
    });
    this.#stores.set(started.store, store);
    return store;
  }

  /** Joins stores of this thread as one global table (replication/global-tables.ts runs in the thread). */
  async replicate(options: {
    lagMs: number;
    replicas: { region: string; store: Store; journalFile?: string }[];
  }): Promise<ThreadGlobalTables> {
    const replicas = options.replicas.map((r) => {
      if (!(r.store instanceof ThreadStore) || !this.#stores.has(r.store.id))
        throw new Error(`the store of ${r.region} does not run in this store thread`);
      return { region: r.region, store: r.store.id, journalFile: r.journalFile };
    });
    await this.call({ op: 'replicate', replication: { lagMs: options.lagMs, replicas } });
    let closing: Promise<void> | undefined;
    return {
      verify: (since) => this.call({ op: 'verify', since }),
      hold: (region) => this.call({ op: 'hold', region }),
      release: (region) => this.call({ op: 'release', region }),
      status: () => this.call({ op: 'status' }),
      drained: () => this.call({ op: 'drained' }),
      onReplicated: (listener) => {
        this.#replicated.add(listener);
        return () => this.#replicated.delete(listener);
      },
      close: () => {
        closing ??= this.call({ op: 'closeReplication' }).then(() => this.#replicated.clear());
        return closing;
      },
    };
  }

  /** Ends the thread (close its stores first: LevelDB closes cleanly only through them). */
  terminate(): Promise<void> {
    this.#terminating ??= this.#exited ? Promise.resolve() : this.#worker.terminate().then(() => undefined);
    return this.#terminating;
  }

  call<Op extends StoreCall['op']>(call: Extract<StoreCall, { op: Op }>): Promise<StoreCallResults[Op]> {
    if (this.#exited) return Promise.reject(this.#exited);
    const id = this.#nextCall++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post({ type: 'call', id, call });
    });
  }

  post(message: ToStoreThread): void {
    if (!this.#exited) this.#worker.postMessage(message);
  }

  #receive(message: FromStoreThread): void {
    // First: a reply that follows (a status, a drain) may be about the writes they sampled.
    if (message.samples)
      for (const listener of this.#replicated) for (const sample of message.samples) listener(sample);
    switch (message.type) {
      case 'reply': {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) pending?.reject(fromWireError(message.error));
        else pending?.resolve(message.value);
        return;
      }
      // A request's units are in the ring before its answer is written; the CLI reads the ring as
      // each environment's answer arrives (readUnits), and this message comes when one brought a
      // new name (posted before its answer) or nobody read in time (units-ring.ts). Messages from
      // all worker threads wake this thread through one libuv async handle, visited in the order
      // the threads were created: a name, from a thread started before any environment, is known
      // before a result that depends on it is seen. (A client on a socket of this thread has no
      // such order.)
      case 'units': {
        const store = this.#stores.get(message.store);
        store?.units.read(message, store.onRequest);
        return;
      }
      case 'faultQuery': {
        const faults = this.#stores.get(message.store)?.faults;
        const fault = faults?.request(message.tableNames, message.operation);
        // Chaos answers at once; a promise would only come from another store's host.
        Promise.resolve(fault).then((answer) =>
          this.post({
            type: 'faultAnswer',
            id: message.id,
            fault: answer && { delayMs: answer.delayMs, error: answer.error },
          }),
        );
        return;
      }
      case 'replicated':
        return;
    }
  }
}
