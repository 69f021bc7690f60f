/**
 * The node:http listener around the request path: keep-alive, timeouts, malformed-HTTP answers,
 * hot config swaps and a bounded graceful shutdown.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import { Agent } from 'undici';
import { accountThrottleFor } from '../aws/limits.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import type { ThrottleConfig } from '../config/types.ts';
import type { Invoker } from '../runtime/types.ts';
import { noopRecorder, type RequestRecorder } from '../telemetry/recorder.ts';
import { type AuthorizerContext, type CompiledApi, compileApi } from './compile.ts';
import { GATEWAY_ERRORS } from './errors.ts';
import type { GatewayFaults } from './faults.ts';
import { createRequestHandler, type HandlerHost } from './handler.ts';
import { httpDate, nextRequestId } from './ids.ts';
import { TokenBucket } from './throttle.ts';

export interface GatewayOptions {
  config: ResolvedConfig;
  /** The seam to Lambda emulation (src/runtime). */
  invoker: Invoker;
  /** Told about every answered request once, when its response has been handed to the socket. */
  recorder?: RequestRecorder;
  /** Region in `requestContext.domainName` and for the account throttle. @default config.regions.primary */
  region?: string;
  /** How long close() lets in-flight requests finish before cutting connections. @default 10000 */
  shutdownTimeoutMs?: number;
  /**
   * The account-level throttle every request passes. Benchmarks that drive more than 10,000 rps pass
   * `false` to measure the gateway rather than AWS's quota.
   * @default the region's account quota (10,000 rps, burst 5,000 in most regions)
   */
  accountThrottle?: ThrottleConfig | false;
  /**
   * The public keys of `gantry dev`'s local issuer, for JWT authorizers it stands in for
   * (`cognitoUserPool` / `localIssuer`). Without them such authorizers refuse every token.
   */
  localIssuerKeys?: JSONWebKeySet;
}

export interface Gateway {
  listen(port: number, host?: string): Promise<{ port: number; host: string }>;
  /**
   * Frees the port at once (a successor may bind it) while open connections go on being served;
   * close() then drains them.
   */
  stopListening(): void;
  /** Stops accepting, lets in-flight requests finish (bounded), closes idle keep-alive sockets. */
  close(): Promise<void>;
  /**
   * Who decides chaos faults per request (src/chaos, through the CLI's wiring). Set it only while a
   * fault exists: with none set, requests pay nothing for chaos.
   */
  faults: GatewayFaults | undefined;
  /**
   * A region outage: refuses connections from now on (the port is closed) and cuts those open,
   * requests in flight included. resume() listens on the same port again.
   */
  suspend(): Promise<void>;
  resume(): Promise<void>;
  /**
   * Serves a request another listener of this process accepted: the global endpoint of a two-region
   * `gantry dev` handing its client to this region, as DNS would have sent the client here (one HTTP
   * hop, not two). False while suspended (the caller answers as for a dead region); suspend() cuts
   * adopted requests in flight as it cuts the gateway's own connections.
   */
  adopt(req: IncomingMessage, res: ServerResponse): boolean;
  /**
   * Swap in a new config (routes/CORS/stage) without dropping connections (hot reload of
   * api.config.ts): the account bucket and unchanged routes' buckets keep their tokens. `next` swaps
   * the invoker (a runtime built for the new config) and the local issuer's keys too.
   */
  reload(config: ResolvedConfig, next?: { invoker?: Invoker; localIssuerKeys?: JSONWebKeySet }): void;
  /** For tests/bench: the node:http request listener. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * The listener's clocks, shared with every listener that hands its requests to a gateway (a
 * two-region global endpoint), so a client meets the same limits whichever port it connected to.
 */
export const LISTENER_TIMEOUTS = {
  /** Idle keep-alive connections are closed after this long (clients and load generators reuse them). */
  keepAliveTimeoutMs: 30_000,
  /** A client has this long to send its request line and headers. */
  headersTimeoutMs: 20_000,
  /** ... and this long for the whole request, body included (10 MB on a slow link). */
  requestTimeoutMs: 60_000,
} as const;

function rawAnswer(status: number, reason: string, body: Buffer): string {
  return (
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n` +
    `apigw-requestid: ${nextRequestId()}\r\ndate: ${httpDate(Date.now())}\r\nconnection: close\r\n\r\n${body}`
  );
}

/**
 * Malformed HTTP never reaches the handler: node's parser reports it here, and the server lives on.
 * Exported for the listeners that hand their requests to a gateway (a two-region global endpoint).
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    socket.end(
      rawAnswer(431, 'Request Header Fields Too Large', Buffer.from('{"message":"Request Header Fields Too Large"}')),
    );
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    socket.end(rawAnswer(408, 'Request Timeout', Buffer.from('{"message":"Request Timeout"}')));
  } else {
    socket.end(rawAnswer(400, 'Bad Request', GATEWAY_ERRORS.badRequest.body));
  }
}

export function createGateway(options: GatewayOptions): Gateway {
  const region = options.region ?? options.config.regions.primary;
  const accountLimits = options.accountThrottle ?? accountThrottleFor(region);
  const account =
    accountLimits === false
      ? undefined
      : new TokenBucket(accountLimits.rateLimit, accountLimits.burstLimit, performance.now());
  const agent = new Agent({ keepAliveTimeout: 4_000 });
  const authorizerContext: AuthorizerContext = {
    get invoker() {
      return host.invoker;
    },
    localIssuerKeys: options.localIssuerKeys,
  };
  let api: CompiledApi = compileApi(options.config, region, account, performance.now(), authorizerContext);
  let closing = false;
  let inflight = 0;
  let onDrained: (() => void) | undefined;
  let faults: GatewayFaults | undefined;
  const host: HandlerHost = {
    get faults() {
      return faults;
    },
    get api() {
      return api;
    },
    get closing() {
      return closing;
    },
    invoker: options.invoker,
    recorder: options.recorder ?? noopRecorder,
    agent,
    exchangeEnded() {
      inflight--;
      if (inflight === 0 && onDrained) onDrained();
    },
  };
  const handle = createRequestHandler(host);

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    inflight++;
    handle(req, res);
  };

  const server = createServer(
    { headersTimeout: LISTENER_TIMEOUTS.headersTimeoutMs, requestTimeout: LISTENER_TIMEOUTS.requestTimeoutMs },
    handler,
  );
  server.keepAliveTimeout = LISTENER_TIMEOUTS.keepAliveTimeoutMs;
  server.on('clientError', answerClientError);

  let closed: Promise<void> | undefined;
  let listened = false;
  let ended = false;
  let suspended: { port: number; host: string } | undefined;
  server.on('close', () => {
    if (!suspended) ended = true;
  });
  // Adopted requests not yet answered: a suspend cuts them (their sockets belong to another server).
  const adopted = new Set<ServerResponse>();
  const settled = function (this: ServerResponse) {
    adopted.delete(this);
  };

  return {
    handler,
    get faults() {
      return faults;
    },
    set faults(next) {
      faults = next;
    },
    listen(port, hostname = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, hostname, () => {
          server.off('error', reject);
          listened = true;
          const address = server.address() as AddressInfo;
          resolve({ port: address.port, host: address.address });
        });
      });
    },
    reload(config, next) {
      if (next?.invoker) host.invoker = next.invoker;
      if (next && 'localIssuerKeys' in next) authorizerContext.localIssuerKeys = next.localIssuerKeys;
      api = compileApi(config, region, account, performance.now(), authorizerContext, api);
    },
    adopt(req, res) {
      // Served while the gateway drains (its listener closed, as the global endpoint's may be), not once it closes.
      if (suspended || closing) return false;
      adopted.add(res);
      res.once('close', settled);
      handler(req, res);
      return true;
    },
    stopListening() {
      if (server.listening) server.close();
    },
    suspend() {
      if (suspended || !server.listening) return Promise.resolve();
      const address = server.address() as AddressInfo;
      suspended = { port: address.port, host: address.address };
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const res of adopted) res.destroy();
        adopted.clear();
      });
    },
    resume() {
      const at = suspended;
      if (!at || closing) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(at.port, at.host, () => {
          server.off('error', reject);
          suspended = undefined;
          resolve();
        });
      });
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        const finish = () => {
          clearTimeout(deadline);
          agent.close().then(resolve, resolve);
        };
        const deadline = setTimeout(() => server.closeAllConnections(), options.shutdownTimeoutMs ?? 10_000);
        if (!listened || ended || suspended) {
          finish();
          return;
        }
        // 'close' comes once the last connection has ended, whether or not stopListening() came first.
        server.once('close', finish);
        if (server.listening) server.close();
        // A connection whose response finished becomes idle a tick later: close it then.
        onDrained = () => setImmediate(() => server.closeIdleConnections());
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
