/**
 * The global endpoint: what a client reaching the API by its global name (a Route 53 record, a
 * Traffic Manager profile, a Cloudflare hostname) gets. Each request is forwarded, headers and body
 * unchanged, to the endpoint the router chooses, over kept-alive undici pools, one per endpoint.
 *
 * DNS routing decides per lookup and clients cache the answer for the record's TTL; here every
 * request is a fresh decision (TTL 0). Reports add the TTL back when they compare with AWS.
 *
 * When the chosen endpoint cannot be reached, the client by default sees what a client of a dead
 * region sees: no HTTP answer (the connection is reset). A proxying product (Cloudflare) answers
 * with a status instead: pass `unreachable: { status }`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Pool } from 'undici';
import type { EndpointRouter } from './router.ts';

export interface GlobalEndpointOptions {
  router: EndpointRouter;
  /** Connections kept per endpoint. @default 128 */
  connectionsPerEndpoint?: number;
  /** @default 'reset' */
  unreachable?: 'reset' | { status: number };
}

export interface GlobalEndpoint {
  listen(port: number, host?: string): Promise<{ port: number; host: string }>;
  close(): Promise<void>;
  /** Requests that found their endpoint unreachable. */
  readonly failures: number;
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Headers that belong to one connection (RFC 9110 §7.6.1) and that undici refuses as request headers. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'expect',
]);

function forwardedHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!HOP_BY_HOP.has(raw[i].toLowerCase())) out.push(raw[i], raw[i + 1]);
  }
  return out;
}

export function createGlobalEndpoint(options: GlobalEndpointOptions): GlobalEndpoint {
  const { router } = options;
  const connections = options.connectionsPerEndpoint ?? 128;
  const pools = new Map<string, Pool>();
  for (const endpoint of router.endpoints) {
    pools.set(endpoint.id, new Pool(endpoint.url, { connections, pipelining: 1, keepAliveTimeout: 10_000 }));
  }
  const unreachable = options.unreachable ?? 'reset';
  let failures = 0;

  const fail = (res: ServerResponse, endpoint: string): void => {
    failures++;
    if (unreachable === 'reset' || res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ message: `endpoint ${endpoint} unreachable` });
    res.writeHead(unreachable.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const endpoint = router.choose();
    const pool = pools.get(endpoint.id)!;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    pool.request(
      {
        path: req.url ?? '/',
        method: req.method as 'GET',
        headers: forwardedHeaders(req.rawHeaders),
        body: hasBody ? req : null,
      },
      (error, data) => {
        if (error) {
          fail(res, endpoint.id);
          return;
        }
        const headers = data.headers;
        delete headers.connection;
        delete headers['keep-alive'];
        delete headers['transfer-encoding'];
        res.writeHead(data.statusCode, headers as Record<string, string | string[]>);
        data.body.on('error', () => res.destroy());
        data.body.pipe(res);
      },
    );
  };

  const server: Server = createServer({ keepAliveTimeout: 30_000 }, handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  return {
    handler,
    get failures() {
      return failures;
    },
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve({ port: address.port, host: address.address });
        });
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
      await Promise.all([...pools.values()].map((p) => p.destroy()));
    },
  };
}
