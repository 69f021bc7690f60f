/**
 * The global endpoint: what a client reaching the API by its global name (a Route 53 record, a
 * Traffic Manager profile, a Cloudflare hostname) gets. Each request goes to the endpoint the router
 * chooses:
 * - an endpoint of this process (`inProcess`: the regional gateways of `gantry dev`) is handed the
 *   request itself, as DNS hands a client the regional address: one HTTP hop, as in AWS. The handler
 *   sees what a client of the regional endpoint sees (same socket, headers, sourceIp), except that
 *   `x-forwarded-port` is the port the client connected to, as behind a custom domain.
 * - any other endpoint (another cloud, another process) is forwarded to, headers and body unchanged,
 *   over kept-alive undici pools, one per endpoint, through undici's dispatch hooks (`pool.request`
 *   with its body stream and header object measured 2,200 vs 3,160 req/s for the regional endpoint
 *   itself, one 3 s wrk round on a loaded VM).
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
import { type Dispatcher, Pool } from 'undici';
import type { EndpointRouter } from './router.ts';
import type { InProcessEndpoint, TrafficEndpoint } from './types.ts';

export interface GlobalEndpointOptions {
  router: EndpointRouter;
  /**
   * Endpoints served by this process, by endpoint id: handed each request instead of forwarded.
   * @default none: every endpoint is forwarded to over HTTP
   */
  inProcess?: ReadonlyMap<string, InProcessEndpoint>;
  /** How long close() lets requests in flight finish before cutting their connections. @default 10000 */
  drainTimeoutMs?: number;
  /** Connections kept per forwarded endpoint. @default 128 */
  connectionsPerEndpoint?: number;
  /** @default 'reset' */
  unreachable?: 'reset' | { status: number };
  /**
   * Answers HTTP the listener cannot parse (node's `clientError`): the regional gateway's own
   * answer (400, 431, 408) when the endpoints are in-process, as API Gateway answers behind a custom
   * domain. @default the connection is closed
   */
  onClientError?: (error: Error & { code?: string }, socket: Socket) => void;
  /**
   * The listener's clocks: the regional gateway's when the endpoints are in-process, so a slow or
   * idle client is cut at the same moment on either port.
   * @default keep-alive 30 s, Node's own header (60 s) and request (300 s) timeouts
   */
  timeouts?: ListenerTimeouts;
}

export interface ListenerTimeouts {
  keepAliveTimeoutMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface GlobalEndpoint {
  listen(port: number, host?: string): Promise<{ port: number; host: string }>;
  /** Refuses new connections; requests on open ones are still answered, each closing its connection. */
  stopAccepting(): void;
  /** Stops accepting, lets requests in flight finish (bounded by `drainTimeoutMs`), then cuts what is left. */
  close(): Promise<void>;
  /**
   * Requests that found their endpoint unreachable (refused, or for a forwarded endpoint also cut
   * before their answer).
   */
  readonly failures: number;
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** How often a draining endpoint closes the connections that went idle. */
const DRAIN_SWEEP_MS = 20;

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

/**
 * Streams one upstream answer to the client as it arrives: undici's low-level dispatch hooks, raw
 * header pairs, no intermediate stream or header object (the request path of every request).
 */
class Forward implements Dispatcher.DispatchHandler {
  #resume: (() => void) | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly failed: () => void,
  ) {
    res.on('drain', () => this.#resume?.());
  }

  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    this.#resume = resume;
    const headers: string[] = [];
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i].toString('latin1');
      if (!HOP_BY_HOP.has(name.toLowerCase())) headers.push(name, rawHeaders[i + 1].toString('latin1'));
    }
    this.res.writeHead(statusCode, headers);
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.res.write(chunk);
  }

  onComplete(): void {
    this.res.end();
  }

  onError(): void {
    if (this.res.headersSent) this.res.destroy();
    else this.failed();
  }
}

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

  // One way in per endpoint, decided at startup: the request path only looks it up.
  const pools: Pool[] = [];
  const routes = new Map<TrafficEndpoint, (req: IncomingMessage, res: ServerResponse) => void>();
  for (const endpoint of router.endpoints) {
    const local = options.inProcess?.get(endpoint.id);
    if (local) {
      routes.set(endpoint, (req, res) => {
        if (!local.serve(req, res)) fail(res, endpoint.id);
      });
      continue;
    }
    const pool = new Pool(endpoint.url, { connections, pipelining: 1, keepAliveTimeout: 10_000 });
    pools.push(pool);
    routes.set(endpoint, (req, res) => {
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      pool.dispatch(
        {
          path: req.url ?? '/',
          method: req.method as 'GET',
          headers: forwardedHeaders(req.rawHeaders),
          body: hasBody ? req : null,
        },
        new Forward(res, () => fail(res, endpoint.id)),
      );
    });
  }

  let draining = false;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (draining) res.shouldKeepAlive = false;
    routes.get(router.choose())!(req, res);
  };

  const { timeouts } = options;
  const server: Server = createServer(
    timeouts
      ? {
          keepAliveTimeout: timeouts.keepAliveTimeoutMs,
          headersTimeout: timeouts.headersTimeoutMs,
          requestTimeout: timeouts.requestTimeoutMs,
        }
      : { keepAliveTimeout: 30_000 },
    handler,
  );
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', options.onClientError ?? ((_error, socket) => socket.destroy()));
  let closed: Promise<void> | undefined;
  const stopAccepting = () => {
    draining = true;
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
  };

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
    stopAccepting,
    async close() {
      stopAccepting();
      if (sockets.size > 0) {
        // A connection whose answer was sent while draining is idle a moment later: sweep until none is left.
        await new Promise<void>((resolve) => {
          const done = () => {
            clearInterval(sweep);
            clearTimeout(deadline);
            resolve();
          };
          const sweep = setInterval(() => {
            server.closeIdleConnections();
            if (sockets.size === 0) done();
          }, DRAIN_SWEEP_MS);
          const deadline = setTimeout(done, options.drainTimeoutMs ?? 10_000);
        });
      }
      for (const socket of sockets) socket.destroy();
      await closed;
      await Promise.all(pools.map((p) => p.destroy()));
    },
  };
}
