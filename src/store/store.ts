/**
 * The embedded DynamoDB-compatible store: dynalite in this process, persisted with LevelDB so data
 * survives restarts and handler crashes (handlers run in worker threads and reach it over loopback HTTP).
 */
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import type { ResolvedTable } from '../config/index.ts';
import { consumedCapacity, type TableRequest } from './capacity.ts';
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
  tables: TableSetup[];
  /** Stops accepting requests and closes LevelDB cleanly. */
  close(): Promise<void>;
}

/** Reads each request beside dynalite (a second 'data' listener) and reports it once answered. */
function observeRequests(server: Server, onRequest: (request: TableRequest) => void): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string') return;
    const operation = target.slice(target.indexOf('.') + 1);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('finish', () => {
      if (res.statusCode !== 200) return;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return;
      }
      const responseBytes = Number(res.getHeader('content-length') ?? 0);
      for (const request of consumedCapacity(operation, body, responseBytes)) onRequest(request);
    });
  });
}

export async function startStore(options: StoreOptions): Promise<Store> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // Tables are ACTIVE at once: the default 500 ms CREATING state would fail a PutItem right after startup.
  const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (options.onRequest) observeRequests(server, options.onRequest);
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${host}:${port}`;
  const client = localClient(endpoint);
  let tables: TableSetup[];
  try {
    tables = await ensureTables(client, options.tables);
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    port,
    tables,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        // Handlers' SDK clients keep sockets alive; without this, close waits for them to time out.
        server.closeIdleConnections();
      }),
  };
}
