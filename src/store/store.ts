/**
 * The embedded DynamoDB-compatible store: dynalite in this process, persisted with LevelDB so data
 * survives restarts and handler crashes (handlers run in worker threads and reach it over loopback HTTP).
 */
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpOrigin, type ResolvedTable } from '../config/index.ts';
import type { TableAccessPolicy } from './access.ts';
import { consumedCapacity, type TableRequest } from './capacity.ts';
import { type Dispatch, dispatchRequests } from './dispatch.ts';
import { fixDynalite } from './dynalite-fixes.ts';
import { createDynalite, type ItemAccess } from './dynalite-store.ts';
import type { StoreFaultDecider, StoreFaults } from './faults.ts';
import { changedItems, type ItemChange, type KeyNames } from './replication/changes.ts';
import { ensureTables, localClient, type TableSetup } from './tables.ts';

export interface StoreOptions {
  tables: ResolvedTable[];
  /** LevelDB folder; in memory when undefined. */
  dataDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Sees the request units each data-plane request consumed (estimated: see capacity.ts). */
  onRequest?: (request: TableRequest) => void;
}

export interface Store {
  /** `http://127.0.0.1:PORT`: what AWS_ENDPOINT_URL_DYNAMODB points at. */
  endpoint: string;
  port: number;
  /** The tables of the config the store started with. */
  tables: TableSetup[];
  /** Creates the tables that do not exist yet, keeping every item already stored (a config reload). */
  ensureTables(tables: ResolvedTable[]): Promise<TableSetup[]>;
  /** Sees the request units of each data-plane request; replaceable, as telemetry is on a config reload. */
  onRequest: ((request: TableRequest) => void) | undefined;
  /**
   * Hands `onRequest` the units of requests already answered, now: a store in another thread passes
   * them on later otherwise (thread/units-ring.ts). Called as each function's answer arrives, so its
   * store calls are counted before its result is seen. Absent where units are reported at once.
   */
  readUnits?(): void;
  /**
   * Who decides chaos faults per request (src/chaos, through the CLI's wiring). Set it only while a
   * fault exists: with none set, requests pay nothing for chaos.
   */
  faults: StoreFaults | undefined;
  /**
   * The functions' table access (store/access.ts), enforced as IAM would; undefined when no function
   * declares any (then a request pays one null check). Replaced on a config reload.
   */
  access: TableAccessPolicy | undefined;
  /** Stops accepting requests and closes LevelDB cleanly. */
  close(): Promise<void>;
}

/** A store running in this thread (thread/host.ts serves one from its own thread). */
export interface LocalStore extends Store {
  /**
   * The slot `faults` fills, for a decider that may answer later: a store on a worker thread asks
   * the gateway's thread, where chaos decides (thread/worker.ts).
   */
  faultDecider: StoreFaultDecider | undefined;
  /** What global-table replication needs of a replica (src/store/replication). */
  replica: ReplicaPort;
}

/**
 * The seam between a store and global-table replication: small on purpose, so the store may move
 * (another thread, another process) behind it.
 */
export interface ReplicaPort {
  /** Key attribute names of each table of the config. */
  keyNames: KeyNames;
  /** Reads and writes that bypass the client-facing path (no lock, no metrics, no journal, no HTTP). */
  items: ItemAccess;
  /** Runs `fn` while no client request reaches the tables. */
  exclusive<T>(fn: (items: ItemAccess) => Promise<T>): Promise<T>;
  /** Sees the items each successful client write changed; the write is acknowledged once it resolves. */
  onWrite: ((changes: ItemChange[]) => Promise<void>) | undefined;
}

/**
 * Reads each request beside dynalite (a second 'data' listener) and reports it as its answer's head
 * is written: before the client can have the answer, so a host on another thread (thread/host.ts)
 * has seen the units of a request before its client has seen the answer.
 */
function observeRequests(server: Server, store: Pick<Store, 'onRequest'>, dispatch: Dispatch): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    // A transaction's own steps: the transaction itself is counted, as DynamoDB bills it.
    if (!store.onRequest || dispatch.isInternal(req)) return;
    if (typeof target !== 'string') return;
    const operation = target.slice(target.indexOf('.') + 1);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
      res.writeHead = writeHead;
      if (args[0] === 200) report(Number(res.getHeader('content-length') ?? 0));
      return writeHead.apply(this, args);
    } as ServerResponse['writeHead'];
    const report = (responseBytes: number) => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return;
      }
      const onRequest = store.onRequest;
      if (onRequest) for (const request of consumedCapacity(operation, body, responseBytes)) onRequest(request);
    };
  });
}

const KEEP_ALIVE_MS = 60 * 60 * 1000;
/** How long close() lets a request in flight finish before it cuts the connection. */
const CLOSE_GRACE_MS = 10_000;

export async function startStore(options: StoreOptions): Promise<LocalStore> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  fixDynalite();
  // Tables are ACTIVE at once: the default 500 ms CREATING state would fail a PutItem right after startup.
  const { server, items, opened } = createDynalite({
    path: options.dataDir,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await opened;
  // node:http closes a connection idle for 5 s; DynamoDB's endpoints keep one far longer. A frozen
  // environment (runtime/worker/freeze.ts) would otherwise find its pooled connection closed under it
  // and its next call fail and retry. An hour outlasts any environment at the default idle time
  // (reaped after 300 s); connections end when their environment does.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = httpOrigin(host, port);
  const dispatch = dispatchRequests(server, endpoint);
  // In memory, only a new store starts afresh; on disk, the data folder holds the table.
  const remedy = options.dataDir ? `delete ${options.dataDir} to recreate it` : 'restart gantry dev to recreate it';
  // "created" means created by this store (this gantry dev run), also when a reload asks again.
  const created = new Set<string>();
  const ensure = async (wanted: ResolvedTable[]) => {
    const client = localClient(endpoint);
    try {
      const setups = await ensureTables(client, wanted, remedy);
      return setups.map((setup): TableSetup => {
        if (setup.action === 'created') created.add(setup.tableName);
        return created.has(setup.tableName) && !setup.warning ? { ...setup, action: 'created' } : setup;
      });
    } finally {
      client.destroy();
    }
  };
  const keys = new Map<string, string[]>();
  const learnKeys = (wanted: ResolvedTable[]) => {
    for (const t of wanted)
      keys.set(t.tableName, t.sortKey ? [t.partitionKey.name, t.sortKey.name] : [t.partitionKey.name]);
  };
  learnKeys(options.tables);
  const keyNames: KeyNames = (table) => keys.get(table);
  let onWrite: ReplicaPort['onWrite'];
  const replica: ReplicaPort = {
    keyNames,
    items,
    exclusive: (fn) => dispatch.exclusive(() => fn(items)),
    get onWrite() {
      return onWrite;
    },
    set onWrite(hook) {
      onWrite = hook;
      dispatch.onWrite =
        hook && ((operation, request, answer) => hook(changedItems(operation, request, answer, keyNames)));
    },
  };
  let tables: TableSetup[];
  try {
    tables = await ensure(options.tables);
  } catch (error) {
    dispatch.close();
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  let faults: StoreFaults | undefined;
  const store: LocalStore = {
    endpoint,
    port,
    tables,
    onRequest: options.onRequest,
    ensureTables: (wanted) => {
      learnKeys(wanted);
      return ensure(wanted);
    },
    replica,
    get access() {
      return dispatch.access;
    },
    set access(policy) {
      dispatch.access = policy;
    },
    get faults() {
      return faults;
    },
    set faults(given) {
      faults = given;
      dispatch.faults = given;
    },
    get faultDecider() {
      return dispatch.faults;
    },
    set faultDecider(decider) {
      faults = undefined;
      dispatch.faults = decider;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        dispatch.close();
        // Clients keep connections alive for an hour: close each as soon as it is idle (a request in
        // flight finishes first), and cut what is left after CLOSE_GRACE_MS.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close((error?: Error) => {
          clearInterval(sweep);
          clearTimeout(cut);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
  observeRequests(server, store, dispatch);
  return store;
}
