/**
 * Real HTTP endpoints on loopback for router tests: each answers `/health` with a settable status
 * and every other path with its own id; `down()` refuses connections on its port, `up()` listens again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Backend {
  id: string;
  url: string;
  healthStatus: number;
  requests: number;
  /** The last request's method, headers (raw pairs) and body. */
  last?: { method: string; url: string; rawHeaders: string[]; body: string };
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startBackend(id: string): Promise<Backend> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/health') {
        res.writeHead(backend.healthStatus, { 'content-type': 'text/plain' }).end(`ok from ${id}`);
        return;
      }
      backend.requests++;
      backend.last = {
        method: req.method!,
        url: req.url!,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString(),
      };
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': id }).end(JSON.stringify({ id }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number) =>
    new Promise<number>((resolve) =>
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
  const port = await listen(0);
  const backend: Backend = {
    id,
    url: `http://127.0.0.1:${port}`,
    healthStatus: 200,
    requests: 0,
    async down() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    async up() {
      await listen(port);
    },
    async close() {
      if (!server.listening) return;
      await backend.down();
    },
  };
  return backend;
}
