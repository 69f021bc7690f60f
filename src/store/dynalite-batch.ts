/**
 * One LevelDB batch per item write. dynalite writes an item's secondary-index entries one by one
 * (deletes, then puts) and then the item itself, each as its own LevelDB operation: with
 * classic-level every one is a native job queued to libuv's pool (a pool thread woken, a callback
 * back), and a PutItem on a table with one index was three of them per region. Profiled on the
 * example's writes, these puts were the store thread's largest self time. Here they become one
 * batch: one job, and atomic as DynamoDB's own write of an item and its indexes is (dynalite could
 * leave an index entry whose item was never written, or the reverse, when a write failed halfway).
 *
 * How: `updateIndexes` (dynalite's only writer of index entries, called by PutItem, UpdateItem and
 * DeleteItem, and by BatchWriteItem through them) computes the entries with dynalite's own
 * `getIndexActions` and `getIndexDb` (their keys captured as the index databases would have written
 * them), then calls back at once; every caller writes its item synchronously from that callback, and
 * that write carries the entries in its batch. A caller that wrote something else, or nothing, gets
 * the entries written on their own first, so nothing is ever dropped.
 */

/** An operation of LevelDB's `batch`, keys already prefixed as dynalite's sub-databases prefix them. */
export type LevelOperation = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

type Callback = (error?: Error | null) => void;

/** dynalite's LevelDB (or memory-level) database, with the callback forms dynalite gives it. */
export interface CallbackLevel {
  put(key: string, value: unknown, callback?: Callback): unknown;
  del(key: string, callback?: Callback): unknown;
  batch(operations: LevelOperation[], callback?: Callback): unknown;
}

interface IndexDb {
  put(key: string, value: unknown, callback: Callback): void;
  del(key: string, callback: Callback): void;
}

interface Index {
  IndexName: string;
}

interface IndexAction {
  index: string;
  key: string;
  item?: unknown;
}

/** The parts of dynalite's store (`db.create`'s result) used here. */
interface DynaliteStore {
  db: CallbackLevel;
  getIndexDb(indexType: 'Local' | 'Global', tableName: string, indexName: string): IndexDb;
}

type Table = { TableName: string } & { [indexes: string]: unknown };
type Item = Record<string, unknown>;

/** The parts of dynalite's `db` module replaced or used here. */
export interface DynaliteIndexing {
  updateIndexes(store: unknown, table: Table, existing: Item | undefined, item: Item | null, done: Callback): void;
  getIndexActions(
    indexes: Index[],
    existing: Item | undefined,
    item: Item | null,
    table: Table,
  ): { puts: IndexAction[]; deletes: IndexAction[] };
}

const ignore = () => {};

/** What `write` asks of `level`, captured instead of written. */
function capture(level: CallbackLevel, write: () => void): LevelOperation[] {
  const operations: LevelOperation[] = [];
  const { put, del } = level;
  level.put = (key, value) => operations.push({ type: 'put', key, value });
  level.del = (key) => operations.push({ type: 'del', key });
  try {
    write();
  } finally {
    level.put = put;
    level.del = del;
  }
  return operations;
}

/** The index entries dynalite would write for `existing` becoming `item`, in its order: deletes, then puts. */
function indexOperations(
  db: DynaliteIndexing,
  store: DynaliteStore,
  table: Table,
  existing: Item | undefined,
  item: Item | null,
): LevelOperation[] {
  const deletes: [IndexDb, IndexAction][] = [];
  const puts: [IndexDb, IndexAction][] = [];
  for (const indexType of ['Local', 'Global'] as const) {
    const indexes = (table[`${indexType}SecondaryIndexes`] as Index[] | undefined) ?? [];
    if (indexes.length === 0) continue;
    const actions = db.getIndexActions(indexes, existing, item, table);
    for (const a of actions.deletes) deletes.push([store.getIndexDb(indexType, table.TableName, a.index), a]);
    for (const a of actions.puts) puts.push([store.getIndexDb(indexType, table.TableName, a.index), a]);
  }
  if (deletes.length === 0 && puts.length === 0) return [];
  return capture(store.db, () => {
    for (const [indexDb, action] of deletes) indexDb.del(action.key, ignore);
    for (const [indexDb, action] of puts) indexDb.put(action.key, action.item, ignore);
  });
}

let applied = false;

/** Replaces dynalite's `updateIndexes` (once per process: its modules are shared by every store). */
export function batchIndexWrites(db: DynaliteIndexing): void {
  if (applied) return;
  applied = true;
  db.updateIndexes = (given, table, existing, item, done) => {
    if (!existing && !item) return done();
    const store = given as DynaliteStore;
    const operations = indexOperations(db, store, table, existing, item);
    if (operations.length === 0) return done();
    const level = store.db;
    const { put, del } = level;
    let pending = true;
    // The caller's next write, made synchronously from `done`: the item itself when it is this item
    // (a put of it, or a delete when there is none); anything else goes after the entries.
    const restore = () => {
      level.put = put;
      level.del = del;
    };
    const takeEntries = (own: LevelOperation): LevelOperation[] => {
      pending = false;
      return [...operations, own];
    };
    level.put = (key, value, callback) => {
      restore();
      if (item !== null && value === item) return level.batch(takeEntries({ type: 'put', key, value }), callback);
      flush();
      return level.put(key, value, callback);
    };
    level.del = (key, callback) => {
      restore();
      if (item === null) return level.batch(takeEntries({ type: 'del', key }), callback);
      flush();
      return level.del(key, callback);
    };
    const flush = () => {
      if (!pending) return;
      pending = false;
      level.batch(operations, ignore);
    };
    try {
      done();
    } finally {
      restore();
      flush();
    }
  };
}
