/**
 * Test helpers for the gateway: configs built through the real resolver, an in-test Invoker (the
 * seam to Lambda), a gateway on a loopback port, and HTTP clients (node:http and raw sockets).
 */
import { once } from 'node:events';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type ApiConfig, resolveConfig } from '../../src/config/index.ts';
import type { ResolvedConfig } from '../../src/config/resolved.ts';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway/index.ts';
import type { InvokeOptions, InvokeOutcome, InvokeResult, Invoker } from '../../src/runtime/types.ts';
import type { RequestSample } from '../../src/telemetry/recorder.ts';

const fixtureFile = fileURLToPath(new URL('../fixtures/basic/api.config.ts', import.meta.url));

/** A resolved config; every function named in `functions` points at the fixture handler. */
export function configOf(
  raw: Partial<ApiConfig> & { routes: ApiConfig['routes'] },
  functions = ['hello'],
): ResolvedConfig {
  return resolveConfig(
    {
      name: 'gateway-test',
      functions: Object.fromEntries(functions.map((name) => [name, { handler: 'src/hello.handler' }])),
      ...raw,
    },
    fixtureFile,
  );
}

export interface InvokeCall {
  functionName: string;
  event: Record<string, unknown> & { requestContext: Record<string, unknown> };
  eventText: string;
  options: InvokeOptions | undefined;
}

type Respond = (call: InvokeCall) => InvokeOutcome | Promise<InvokeOutcome>;

/** Records every invocation and answers with `respond` (by default: echo the event back as JSON). */
export class TestInvoker implements Invoker {
  readonly calls: InvokeCall[] = [];
  constructor(public respond: Respond = (call) => success({ statusCode: 200, body: call.eventText })) {}

  async invoke(functionName: string, event: string, options?: InvokeOptions): Promise<InvokeResult> {
    const call: InvokeCall = { functionName, event: JSON.parse(event), eventText: event, options };
    this.calls.push(call);
    return { outcome: await this.respond(call) };
  }
}

export function success(result: unknown): InvokeOutcome {
  return { status: 'success', payload: JSON.stringify(result) };
}

export interface RunningGateway {
  gateway: Gateway;
  port: number;
  invoker: TestInvoker;
  samples: RequestSample[];
  close(): Promise<void>;
}

export async function startGateway(
  config: ResolvedConfig,
  invoker = new TestInvoker(),
  options: Partial<GatewayOptions> = {},
): Promise<RunningGateway> {
  const samples: RequestSample[] = [];
  const gateway = createGateway({ config, invoker, recorder: { recordRequest: (s) => samples.push(s) }, ...options });
  const { port } = await gateway.listen(0);
  return { gateway, port, invoker, samples, close: () => gateway.close() };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  /** Names as sent, in order, repeats kept. */
  rawHeaders: string[];
  body: Buffer;
  text: string;
  /** Whether the request went over a kept-alive connection. */
  reused: boolean;
}

export interface Send {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  agent?: import('node:http').Agent | false;
}

/** One request over node:http to 127.0.0.1:port. */
export function send(port: number, options: Send): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body,
            text: body.toString(),
            reused: req.reusedSocket,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes raw bytes on a fresh connection and returns everything the server sends until it closes. */
export async function sendRaw(port: number, bytes: string | Buffer): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(bytes);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('latin1');
}

/** Header names of a response in the order sent, lower-cased. */
export function headerNames(reply: Reply): string[] {
  return reply.rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
}

/** Polls `condition` every 5 ms; fails after `timeoutMs` (generous: machines here are slow and shared). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

export const REQUEST_ID = /^[A-Za-z0-9+/]{15}=$/;
