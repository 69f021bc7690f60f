/**
 * One request/response exchange: the state a request accumulates on its way through the gateway and
 * the only code that writes a response. Every response gets `apigw-requestid`, `date` and (except
 * 204 and 304, which have no body) `content-length`, and is reported to the recorder exactly once,
 * when it has been handed to the socket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import type { RequestRecorder } from '../telemetry/recorder.ts';
import type { CompiledApi } from './compile.ts';
import { PREFLIGHT_STATUS, withoutCorsHeaders } from './cors.ts';
import { GATEWAY_ERRORS, type GatewayError } from './errors.ts';
import { httpDate, nextRequestId } from './ids.ts';
import { normalizeIp } from './request.ts';
import { errorResponse, type GatewayResponse } from './response.ts';

export interface ExchangeHost {
  recorder: RequestRecorder;
  /** True while the gateway shuts down: responses then close their connection. */
  readonly closing: boolean;
  /** Called once per exchange when its response is complete (or it was abandoned). */
  exchangeEnded(): void;
}

export class Exchange {
  readonly requestId = nextRequestId();
  readonly timeEpoch = Date.now();
  /** Monotonic arrival time, ms. */
  readonly start = performance.now();
  readonly method: string;
  readonly sourceIp: string;
  rawPath = '';
  rawQueryString = '';
  routeKey = '-';
  allowOrigin: string | undefined = undefined;
  requestLength = 0;
  functionName: string | undefined = undefined;
  integrationLatencyMs: number | undefined = undefined;
  integrationStatus: number | undefined = undefined;
  /** Set once a response has started (or the request was abandoned): later outcomes are ignored. */
  settled = false;
  closeConnection = false;
  private ended = false;

  constructor(
    readonly host: ExchangeHost,
    readonly api: CompiledApi,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    this.method = req.method ?? 'GET';
    this.sourceIp = normalizeIp(req.socket.remoteAddress);
  }

  sendError(error: GatewayError): void {
    this.send(errorResponse(error));
  }

  /** Sends a complete response. `response.headers` is taken over (appended to). */
  send(response: GatewayResponse): void {
    if (this.settled) return;
    this.settled = true;
    const headers = this.finalHeaders(response.headers);
    const status = response.statusCode;
    // A body a function gave a 204 or 304 is not sent (HTTP has none there), nor a content-length.
    const body = status === 204 || status === 304 ? '' : response.body;
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    if (status !== 204 && status !== 304) headers.push('content-length', `${length}`);
    this.res.writeHead(status, headers);
    this.res.end(body);
    this.record(status, length, response.errorMessage);
    this.end();
  }

  /** API Gateway's answer to a CORS preflight no route takes. */
  sendPreflight(): void {
    if (this.settled) return;
    this.settled = true;
    const cors = this.api.cors;
    const headers = cors && this.allowOrigin !== undefined ? cors.preflightHeaders(this.allowOrigin) : [];
    this.addGatewayHeaders(headers);
    this.res.writeHead(PREFLIGHT_STATUS, headers);
    this.res.end();
    this.record(PREFLIGHT_STATUS, 0, undefined);
    this.end();
  }

  /** Streams a body whose length is known; `onEnd` runs when it is fully written or failed. */
  stream(
    statusCode: number,
    integrationHeaders: string[],
    contentLength: number,
    body: Readable,
    onEnd: () => void,
  ): void {
    if (this.settled) {
      body.destroy();
      onEnd();
      return;
    }
    this.settled = true;
    const headers = this.finalHeaders(integrationHeaders);
    headers.push('content-length', `${contentLength}`);
    this.res.writeHead(statusCode, headers);
    pipeline(body, this.res, (error) => {
      onEnd();
      if (error && !this.res.destroyed) this.res.destroy();
      this.record(statusCode, contentLength, undefined);
      this.end();
    });
  }

  /** A bug on the request path: a 500 if nothing was sent yet, else the connection is cut. */
  fail(): void {
    if (!this.settled) {
      this.sendError(GATEWAY_ERRORS.internalError);
      return;
    }
    if (!this.ended) {
      this.res.destroy();
      this.end();
    }
  }

  /** The client went away before the request was complete: nothing to answer, nothing recorded. */
  /**
   * A chaos fault: the client's connection is reset (TCP RST), with no answer. Nothing is recorded:
   * the request never got a response API Gateway would count.
   */
  reset(): void {
    this.settled = true;
    this.req.socket.resetAndDestroy();
    this.end();
  }

  abandon(): void {
    this.settled = true;
    this.res.destroy();
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.host.exchangeEnded();
  }

  private finalHeaders(headers: string[]): string[] {
    const cors = this.api.cors;
    let out = headers;
    if (cors) {
      out = withoutCorsHeaders(headers);
      if (this.allowOrigin !== undefined) cors.addResponseHeaders(out, this.allowOrigin);
    }
    this.addGatewayHeaders(out);
    return out;
  }

  private addGatewayHeaders(headers: string[]): void {
    headers.push('apigw-requestid', this.requestId, 'date', httpDate(Date.now()));
    if (this.closeConnection || this.host.closing) headers.push('connection', 'close');
  }

  private record(status: number, responseLength: number, errorMessage: string | undefined): void {
    const api = this.api.api;
    const req = this.req;
    try {
      this.host.recorder.recordRequest({
        apiId: api.apiId,
        stage: api.stage,
        routeKey: this.routeKey,
        requestId: this.requestId,
        requestTimeEpoch: this.timeEpoch,
        httpMethod: this.method,
        path: this.rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: this.sourceIp,
        userAgent: req.headers['user-agent'] ?? '',
        status,
        responseLength,
        requestLength: this.requestLength,
        latencyMs: performance.now() - this.start,
        integrationLatencyMs: this.integrationLatencyMs,
        integrationStatus: this.integrationStatus,
        errorMessage,
        functionName: this.functionName,
      });
    } catch {
      // Telemetry must never take a request (or the server) down.
    }
  }
}
