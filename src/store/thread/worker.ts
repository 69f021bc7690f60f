/**
 * The store's worker thread: runs the embedded stores (dynalite on LevelDB, store.ts) and their
 * global-table replication, so their work never delays the gateway's thread. It answers the host's
 * calls (protocol.ts) and tells it only what it asked to see.
 */
import { writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { TableRequest } from '../capacity.ts';
import type { StoreFault } from '../faults.ts';
import { createGlobalTables, type GlobalTables, type ReplicationSample } from '../replication/global-tables.ts';
import { type LocalStore, startStore } from '../store.ts';
import {
  type FromStoreThread,
  type StoreCall,
  type StoreCallResults,
  type StoreId,
  SWITCH,
  type ToStoreThread,
  toWireError,
} from './protocol.ts';
import { UnitsWriter } from './units-ring.ts';

// Named for per-thread tools (top -H, /proc/PID/task/*/comm, the store-cost bench); Linux only.
try {
  writeFileSync('/proc/thread-self/comm', 'gantry-store');
} catch {
  // Elsewhere the thread keeps its name.
}

const port = parentPort!;
const send = (message: FromStoreThread) => {
  if (samples.length > 0) message.samples = takeSamples();
  port.postMessage(message);
};

const stores = new Map<StoreId, LocalStore>();
let nextStore: StoreId = 1;
let replication: GlobalTables | undefined;

// Fault decisions the host owes, by query id.
const faultQueries = new Map<number, (fault: StoreFault | undefined) => void>();
let nextQuery = 1;

function askFault(store: StoreId, tableNames: readonly string[], operation: string): Promise<StoreFault | undefined> {
  const id = nextQuery++;
  return new Promise((resolve) => {
    faultQueries.set(id, resolve);
    send({ type: 'faultQuery', id, store, tableNames: [...tableNames], operation });
  });
}

function storeOf(id: StoreId): LocalStore {
  const store = stores.get(id);
  if (!store) throw new Error(`store ${id} is not running in this thread`);
  return store;
}

/**
 * Lets the host's switches decide, per request, whether request units are reported (through the
 * shared ring, units-ring.ts: see thread/host.ts for the order it keeps) and whether faults are asked
 * for. Both read shared memory: off costs one load.
 */
function follow(store: LocalStore, id: StoreId, switches: Int32Array, units: Int32Array): void {
  const writer = new UnitsWriter(units, (message) => send({ type: 'units', store: id, ...message }));
  const report = (request: TableRequest) => writer.write(request);
  Object.defineProperty(store, 'onRequest', {
    get: () => (Atomics.load(switches, SWITCH.metrics) === 1 ? report : undefined),
    set: () => {
      throw new Error('the host thread decides what a store in its thread reports');
    },
  });
  store.faultDecider = {
    active: () => Atomics.load(switches, SWITCH.faults) === 1,
    request: (tables, operation) => askFault(id, tables, operation),
  };
}

/**
 * ReplicationLatency samples, sent with the next message to the host, or after SAMPLES_DELAY_MS when
 * none goes: one wake-up of the gateway's thread per delivered write was its own cost per POST.
 */
const SAMPLES_DELAY_MS = 100;
let samples: ReplicationSample[] = [];
let samplesTimer: NodeJS.Timeout | undefined;
function takeSamples(): ReplicationSample[] {
  clearTimeout(samplesTimer);
  samplesTimer = undefined;
  const taken = samples;
  samples = [];
  return taken;
}
function reportSample(sample: ReplicationSample): void {
  samples.push(sample);
  samplesTimer ??= setTimeout(() => send({ type: 'replicated' }), SAMPLES_DELAY_MS);
}

async function perform(call: StoreCall): Promise<StoreCallResults[StoreCall['op']]> {
  switch (call.op) {
    case 'start': {
      const store = await startStore(call.options);
      const id = nextStore++;
      stores.set(id, store);
      follow(store, id, call.switches, call.units);
      return { store: id, endpoint: store.endpoint, port: store.port, tables: store.tables };
    }
    case 'ensureTables':
      return storeOf(call.store).ensureTables(call.tables);
    case 'closeStore': {
      const store = storeOf(call.store);
      stores.delete(call.store);
      await store.close();
      return undefined;
    }
    case 'replicate': {
      if (replication) throw new Error('replication already runs in this store thread');
      replication = await createGlobalTables({
        lagMs: call.replication.lagMs,
        replicas: call.replication.replicas.map((r) => ({
          region: r.region,
          store: storeOf(r.store).replica,
          journalFile: r.journalFile,
        })),
      });
      replication.onReplicated(reportSample);
      return undefined;
    }
    case 'hold':
      replicationOf().hold(call.region);
      return undefined;
    case 'release':
      replicationOf().release(call.region);
      return undefined;
    case 'status':
      return replicationOf().status();
    case 'verify':
      return replicationOf().verify(call.since);
    case 'drained':
      await replicationOf().drained();
      return undefined;
    case 'closeReplication': {
      const closing = replication;
      replication = undefined;
      await closing?.close();
      return undefined;
    }
  }
}

function replicationOf(): GlobalTables {
  if (!replication) throw new Error('no replication runs in this store thread');
  return replication;
}

port.on('message', (message: ToStoreThread) => {
  switch (message.type) {
    case 'call':
      perform(message.call).then(
        (value) => send({ type: 'reply', id: message.id, value }),
        (error) => send({ type: 'reply', id: message.id, error: toWireError(error) }),
      );
      return;
    case 'access': {
      const store = stores.get(message.store);
      if (store) store.access = message.policy;
      return;
    }
    case 'faultAnswer': {
      const resolve = faultQueries.get(message.id);
      faultQueries.delete(message.id);
      resolve?.(message.fault);
      return;
    }
  }
});
