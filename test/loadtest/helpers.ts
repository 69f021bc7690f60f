import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  /** Requests received, by method and path. */
  hits: Map<string, number>;
  /** Bytes the server read and wrote on all its connections so far. */
  bytes(): { read: number; written: number };
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1, port 0, answering with `handler`. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    handler(req, res);
  });
  server.keepAliveTimeout = 30_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    bytes: () => {
      let read = 0;
      let written = 0;
      for (const socket of sockets) {
        read += socket.bytesRead;
        written += socket.bytesWritten;
      }
      return { read, written };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Nearest-rank percentile of raw values: the smallest value with at least p % of values at or below it. */
export function nearestRank(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** HDR with 3 significant digits keeps values within 1/1024 relative; values are recorded in whole µs. */
export function assertClose(actual: number, exact: number, label: string): void {
  const tolerance = exact / 1024 + 0.0005;
  assert.ok(Math.abs(actual - exact) <= tolerance, `${label}: HDR ${actual} vs exact ${exact} (±${tolerance})`);
}
