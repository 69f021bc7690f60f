/**
 * The HTTP client of a VU: undici's low-level dispatch (no streams, no header parsing we do not need),
 * one keep-alive connection per VU and origin, as k6 does. Bytes on the wire are read off the sockets.
 */
import type { Socket } from 'node:net';
import { buildConnector, Client, type Dispatcher } from 'undici';

export interface HttpResult {
  /** 0 when no response arrived. */
  status: number;
  durationMs: number;
  /** Collected only when a check reads it. */
  body: string | undefined;
  /** undici's error code (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`, …) when no response arrived. */
  error: string | undefined;
}

/** Counts bytes of every socket the generator opens: k6's data_sent / data_received are wire bytes. */
export class ByteCounter {
  private closedIn = 0;
  private closedOut = 0;
  private readonly open = new Set<Socket>();

  track(socket: Socket): void {
    this.open.add(socket);
    socket.once('close', () => {
      this.open.delete(socket);
      this.closedIn += socket.bytesRead;
      this.closedOut += socket.bytesWritten;
    });
  }

  totals(): { received: number; sent: number } {
    let received = this.closedIn;
    let sent = this.closedOut;
    for (const socket of this.open) {
      received += socket.bytesRead;
      sent += socket.bytesWritten;
    }
    return { received, sent };
  }
}

export function createClient(origin: string, bytes: ByteCounter, insecure: boolean): Client {
  const connector = buildConnector({ rejectUnauthorized: !insecure });
  return new Client(origin, {
    pipelining: 1,
    connect(options, callback) {
      connector(options, (error, socket) => {
        if (socket) bytes.track(socket as Socket);
        if (error) callback(error, null);
        else callback(null, socket!);
      });
    },
  });
}

/**
 * Collects one response and is itself the result: one object per request, with its methods on the
 * prototype, keeps the generator's own allocations per request to a minimum.
 *
 * It implements the handler hooks undici 7 drives every dispatch through (onConnect … onComplete).
 * undici marks them deprecated in favour of onRequestStart/onResponse*, but in this major it adapts
 * those onto these per request (an UnwrapHandler, a controller, and the response headers and
 * trailers parsed into objects nobody here reads): 0.78-0.81 → 0.86-0.93 of wrk's req/s in
 * `npm run bench loadgen`. undici is pinned exactly; its next major decides whether this moves.
 */
class Exchange implements HttpResult, Dispatcher.DispatchHandler {
  status = 0;
  durationMs = 0;
  body: string | undefined = undefined;
  error: string | undefined = undefined;
  private chunks: Buffer[] | undefined = undefined;
  /**
   * When the request started on its way: undici calls onConnect once the connection (TCP, and TLS
   * for https) is up, just before it writes the request. So `durationMs` is k6's http_req_duration,
   * sending + waiting + receiving, without the time spent blocked or connecting (a VU's first request,
   * one after a dropped connection); a request that never got a connection lasted 0 ms, as in k6.
   */
  private started: number | undefined = undefined;

  constructor(
    private readonly wantBody: boolean,
    private readonly resolve: (result: HttpResult) => void,
  ) {}

  onConnect(): void {
    this.started = performance.now();
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (!this.wantBody) return true;
    if (this.chunks) this.chunks.push(chunk);
    else this.chunks = [chunk];
    return true;
  }

  onComplete(): void {
    this.durationMs = this.elapsed();
    if (this.wantBody) this.body = this.chunks ? Buffer.concat(this.chunks).toString('utf8') : '';
    this.resolve(this);
  }

  onError(error: Error): void {
    this.durationMs = this.elapsed();
    this.status = 0;
    this.error = (error as NodeJS.ErrnoException).code ?? error.name;
    this.resolve(this);
  }

  private elapsed(): number {
    return this.started === undefined ? 0 : performance.now() - this.started;
  }
}

/**
 * Sends one request; never rejects (a transport failure is a result with status 0). `request` may be
 * reused across calls: undici reads it and keeps nothing of it.
 */
export function send(client: Dispatcher, request: Dispatcher.DispatchOptions, wantBody: boolean): Promise<HttpResult> {
  return new Promise((resolve) => {
    client.dispatch(request, new Exchange(wantBody, resolve));
  });
}
