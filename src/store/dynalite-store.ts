/**
 * dynalite with its LevelDB store in hand (dynalite keeps it private), for two savings measured on
 * the example's writes, where they were most of the store's CPU per POST:
 *
 * - Reads are synchronous. dynalite reads through LevelDB's asynchronous get: a hop to libuv's
 *   thread pool and back costing ~30-40 µs of CPU per read here, against ~1-2 µs for the same read
 *   done synchronously (`getSync`, classic-level and memory-level alike), and a PutItem reads 3-5
 *   times (table, existing item, indexes). Blocking is no concern on the store's own thread
 *   (thread/host.ts): a read that misses LevelDB's cache delays other store requests, never routing.
 *   Callbacks still come on a later turn (setImmediate), as before. Writes stay asynchronous.
 * - The store's own reads and writes of whole items (global-table replication applies and reads
 *   images, verifies replicas) call dynalite's actions on that store directly.
 * Through an SDK client they cost an HTTP round trip on loopback, SigV4 signing and the SDK's
 * middleware each: about a third of the store's CPU per replicated write, measured on the example.
 * dynalite's `GetItem`/`PutItem`/`DeleteItem` actions are the same code its HTTP front calls after
 * validating a request; what is given here is an item the store itself holds, already valid.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

export type Item = Record<string, AttributeValue>;

export interface ItemAccess {
  /** The item as stored (a strongly consistent read), or undefined. */
  get(table: string, key: Item): Promise<Item | undefined>;
  put(table: string, item: Item): Promise<void>;
  delete(table: string, key: Item): Promise<void>;
}

type Callback<T> = (error: DynaliteError | null | undefined, result?: T) => void;
type Action<T> = (store: unknown, data: Record<string, unknown>, done: Callback<T>) => void;

interface DynaliteError extends Error {
  statusCode?: number;
  body?: { __type?: string; message?: string };
}

/** What dynalite's `db.create` returns, in the part used here. */
interface DynaliteStore {
  /** The LevelDB (or memory-level) database, its `get` replaced by dynalite with a callback form. */
  db: {
    status: string;
    open(): Promise<void>;
    supports: { getSync?: boolean };
    getSync(key: string): unknown;
    get(key: string, callback?: (error: Error | null, value?: unknown) => void): unknown;
  };
  lifecycleManager?: { getState(): string };
}

const require = createRequire(import.meta.url);

/** Replaces dynalite's callback `get` with one that reads synchronously and calls back on a later turn. */
function readSynchronously(store: DynaliteStore): void {
  const { db } = store;
  if (!db.supports.getSync) return;
  const get = db.get;
  db.get = (key, callback) => {
    // Not open yet, or closed: dynalite's own path queues the read or reports "Database is closed".
    if (typeof callback !== 'function' || db.status !== 'open' || store.lifecycleManager?.getState() === 'closed')
      return get.call(db, key, callback);
    let value: unknown;
    try {
      value = db.getSync(key);
    } catch (error) {
      setImmediate(callback, error as Error);
      return;
    }
    setImmediate(callback, null, value);
  };
}
const db = require('dynalite/db') as { create: (options: unknown) => unknown };
const getItem = require('dynalite/actions/getItem') as Action<{ Item?: Item }>;
const putItem = require('dynalite/actions/putItem') as Action<unknown>;
const deleteItem = require('dynalite/actions/deleteItem') as Action<unknown>;

function call<T>(action: Action<T>, store: unknown, data: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) =>
    action(store, data, (error, result) => {
      if (!error) return resolve(result as T);
      // dynalite's errors are wire answers: the message a client would have read.
      const type = error.body?.__type?.split('#').pop();
      reject(new Error(`${data.TableName}: ${type ?? error.name}: ${error.body?.message ?? error.message}`));
    }),
  );
}

/** A folder whose LevelDB another process (or store) holds open: its lock is taken. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/**
 * A dynalite server, and direct access to the LevelDB store behind it. `opened` settles once
 * LevelDB is open: a folder another store holds rejects it with a DataDirInUseError (dynalite
 * itself would throw "Database is closed" from its first request, out of reach of any handler).
 */
export function createDynalite(options: Parameters<typeof dynalite>[0]): {
  server: Server;
  items: ItemAccess;
  opened: Promise<void>;
} {
  // dynalite() creates its store through the `db` module object and keeps it to itself: seen here.
  const create = db.create;
  let store: unknown;
  db.create = (given) => {
    store = create(given);
    return store;
  };
  let server: Server;
  try {
    server = dynalite(options);
  } finally {
    db.create = create;
  }
  const { db: level } = store as DynaliteStore;
  readSynchronously(store as DynaliteStore);
  const opened = level.open().catch((error: Error & { cause?: { code?: string } }) => {
    if (error.cause?.code !== 'LEVEL_LOCKED') throw error;
    throw new DataDirInUseError(
      `the data folder ${options?.path} is in use by another gantry dev (its LevelDB lock is held): stop that one, or pass --data-dir DIR (or --in-memory) to this one`,
    );
  });
  const items: ItemAccess = {
    get: async (table, key) => (await call(getItem, store, { TableName: table, Key: key, ConsistentRead: true })).Item,
    put: async (table, item) => {
      await call(putItem, store, { TableName: table, Item: item });
    },
    delete: async (table, key) => {
      await call(deleteItem, store, { TableName: table, Key: key });
    },
  };
  return { server, items, opened };
}
