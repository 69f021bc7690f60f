/**
 * The messages between the gateway's thread and the store's worker thread (thread/host.ts,
 * thread/worker.ts). The store serves its clients (handlers, over loopback HTTP) on its own thread;
 * only what the rest of gantry dev must see or decide crosses here: request units for telemetry,
 * chaos decisions, table access, replication controls and samples, start-up and shutdown.
 * Everything is structured-clone data (Maps and Sets included): no functions, no classes.
 */
import type { ResolvedTable } from '../../config/index.ts';
import type { TableAccessPolicy } from '../access.ts';
import { DataDirInUseError } from '../dynalite-store.ts';
import type { StoreFault } from '../faults.ts';
import type { ConsistencyReport, ReplicaStatus, ReplicationSample } from '../replication/global-tables.ts';
import type { TableSetup } from '../tables.ts';
import type { UnitsMessage } from './units-ring.ts';

/** Which store of the thread a message is about (a two-region gantry dev runs two in one thread). */
export type StoreId = number;

export interface StartStoreRequest {
  tables: ResolvedTable[];
  dataDir?: string;
  host?: string;
  port?: number;
}

/**
 * Switches the host flips and the store reads per request (Atomics on shared memory): set before the
 * host's next request leaves, with no message to overtake. Slots of `StoreSwitches`.
 */
export const SWITCH = { metrics: 0, faults: 1 } as const;
export const SWITCH_COUNT = 2;

export interface StartedStore {
  endpoint: string;
  port: number;
  tables: TableSetup[];
}

export interface ReplicationRequest {
  lagMs: number;
  replicas: { region: string; store: StoreId; journalFile?: string }[];
}

/** Calls the host makes and awaits; each gets one `reply`. */
export type StoreCall =
  | { op: 'start'; options: StartStoreRequest; switches: Int32Array; units: Int32Array }
  | { op: 'ensureTables'; store: StoreId; tables: ResolvedTable[] }
  | { op: 'closeStore'; store: StoreId }
  | { op: 'replicate'; replication: ReplicationRequest }
  | { op: 'hold'; region: string }
  | { op: 'release'; region: string }
  | { op: 'status' }
  | { op: 'verify'; since: number }
  | { op: 'drained' }
  | { op: 'closeReplication' };

/** What each call answers. */
export interface StoreCallResults {
  start: StartedStore & { store: StoreId };
  ensureTables: TableSetup[];
  closeStore: undefined;
  replicate: undefined;
  hold: undefined;
  release: undefined;
  status: ReplicaStatus[];
  verify: ConsistencyReport;
  drained: undefined;
  closeReplication: undefined;
}

/** An error as it crosses: its message, and the code a caller branches on (EADDRINUSE). */
export interface WireError {
  name: string;
  message: string;
  code?: string;
}

export type ToStoreThread =
  | { type: 'call'; id: number; call: StoreCall }
  | { type: 'access'; store: StoreId; policy: TableAccessPolicy | undefined }
  | { type: 'faultAnswer'; id: number; fault: StoreFault | undefined };

/**
 * Any message may carry the ReplicationLatency samples gathered since the last: news for a
 * dashboard, they ride with what crosses anyway (`replicated` goes alone only when nothing else does).
 */
export type FromStoreThread = { samples?: ReplicationSample[] } & (
  | { type: 'reply'; id: number; value?: unknown; error?: WireError }
  | ({ type: 'units'; store: StoreId } & UnitsMessage)
  | { type: 'faultQuery'; id: number; store: StoreId; tableNames: string[]; operation: string }
  | { type: 'replicated' }
);

export function toWireError(error: unknown): WireError {
  const e = error as NodeJS.ErrnoException;
  return { name: e?.name ?? 'Error', message: e?.message ?? String(error), code: e?.code };
}

/** Errors a caller tells apart by class, rebuilt as themselves on this side. */
const CLASSES: Record<string, new (message: string) => Error> = { DataDirInUseError };

export function fromWireError(wire: WireError): Error {
  const Class = CLASSES[wire.name];
  if (Class) return new Class(wire.message);
  const error = new Error(wire.message) as NodeJS.ErrnoException;
  error.name = wire.name;
  if (wire.code !== undefined) error.code = wire.code;
  return error;
}
