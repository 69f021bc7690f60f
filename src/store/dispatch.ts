/**
 * Stands between the store's clients and dynalite. Ordinary requests go straight through, sharing the
 * store; TransactWriteItems and TransactGetItems, which dynalite lacks, run in transactions.ts with
 * the store to themselves (lock.ts). Their own dynalite calls carry a per-store secret header and
 * bypass the lock they are running under.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { checkedRequest, type TableAccessPolicy } from './access.ts';
import { faultedRequest, type StoreFaultDecider } from './faults.ts';
import { StoreLock } from './lock.ts';
import { WRITE_OPERATIONS } from './replication/changes.ts';
import { localClient } from './tables.ts';
import { type TokenMemory, transactGetItems, transactWriteItems, type WireAnswer } from './transactions.ts';

const INTERNAL_HEADER = 'x-gantry-internal';

/** Sees every successful client write before it is acknowledged; the answer waits for it to settle. */
export type WriteHook = (
  operation: string,
  request: Record<string, unknown>,
  answer: Record<string, unknown>,
) => Promise<void>;

export interface Dispatch {
  /** Whether a request is one of the store's own (a step of a transaction), not a client's. */
  isInternal(req: IncomingMessage): boolean;
  /** The store's own client: its requests bypass the lock, the write hook and the request metrics. */
  readonly client: DynamoDBClient;
  /** Runs `fn` while no client request reaches dynalite (as a transaction runs). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Global tables set it; undefined (one region) costs nothing per request. */
  onWrite: WriteHook | undefined;
  /** Chaos sets it while a store fault exists; undefined costs nothing per request. */
  faults: StoreFaultDecider | undefined;
  /** The functions' table access; undefined (no function declares any) costs nothing per request. */
  access: TableAccessPolicy | undefined;
  close(): void;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

function send(res: ServerResponse, answer: WireAnswer): void {
  const text = JSON.stringify(answer.body);
  res.statusCode = answer.status;
  // As dynalite and DynamoDB answer: the SDK checks x-amz-crc32 when present.
  res.setHeader('x-amzn-RequestId', randomBytes(26).toString('hex').toUpperCase());
  res.setHeader('x-amz-crc32', crc32(text));
  res.setHeader('Content-Type', 'application/x-amz-json-1.0');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function internalClient(endpoint: string, secret: string): DynamoDBClient {
  // A failed step is an answer to report, never something to retry behind the transaction's back.
  const client = localClient(endpoint, 1);
  client.middlewareStack.add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers[INTERNAL_HEADER] = secret;
      return next(args);
    },
    { step: 'build', name: 'gantryInternalHeader' },
  );
  return client;
}

/** Takes over the server's request handling from dynalite (whose listener it keeps and calls). */
export function dispatchRequests(server: Server, endpoint: string): Dispatch {
  const [dynalite] = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  const secret = randomUUID();
  const client = internalClient(endpoint, secret);
  const lock = new StoreLock();
  const tokens: TokenMemory = new Map();
  const isInternal = (req: IncomingMessage) => req.headers[INTERNAL_HEADER] === secret;

  const transact = (req: IncomingMessage, res: ServerResponse, operation: string) => {
    req.on('error', () => {});
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, { status: 400, body: { __type: 'com.amazon.coral.service#SerializationException' } });
      }
      lock.exclusive(async (release) => {
        try {
          const answer =
            operation === 'TransactWriteItems'
              ? await transactWriteItems(client, body, tokens)
              : await transactGetItems(client, body);
          if (answer.status === 200 && operation === 'TransactWriteItems')
            await dispatch.onWrite?.(operation, body, answer.body);
          send(res, answer);
        } catch (error) {
          send(res, {
            status: 500,
            body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) },
          });
        } finally {
          release();
        }
      });
    });
  };

  // dynalite throws from its request 'error' listener: a client that hung up halfway through a body
  // ("aborted") would take the whole process down. The answer to such a client goes nowhere anyway.
  const passOn = (req: IncomingMessage, res: ServerResponse) => {
    dynalite(req, res);
    req.removeAllListeners('error');
    req.on('error', () => {});
  };

  const answerFault = (res: ServerResponse, status: number, body: Record<string, string>) =>
    send(res, { status, body });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isInternal(req)) return passOn(req, res);
    const target = req.headers['x-amz-target'];
    const operation = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : '';
    const access = dispatch.access;
    if (access === undefined) return afterAccess(req, res, operation);
    checkedRequest(access, req, res, operation, answerFault, (checked) => afterAccess(checked, res, operation));
  });

  // IAM decides before anything else of DynamoDB's (a denied call is never throttled or faulted).
  const afterAccess = (req: IncomingMessage, res: ServerResponse, operation: string) => {
    const faults = dispatch.faults;
    if (faults === undefined || faults.active?.() === false) return handle(req, res, operation);
    faultedRequest(faults, req, res, operation, answerFault, (replayed) => handle(replayed, res, operation));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, operation: string) => {
    if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') return transact(req, res, operation);
    // Held (body included) while a transaction runs; other listeners' 'data' handlers wait with it.
    req.pause();
    let release: (() => void) | undefined;
    let closed = false;
    res.once('close', () => {
      closed = true;
      // A client that left before its whole body arrived: dynalite will never answer it.
      if (!req.readableEnded) release?.();
    });
    const hook = dispatch.onWrite;
    const journaled = hook !== undefined && WRITE_OPERATIONS.has(operation);
    const chunks: Buffer[] | undefined = journaled ? [] : undefined;
    if (chunks) req.on('data', (chunk: Buffer) => chunks.push(chunk));
    lock.shared((granted) => {
      // A client that left while waiting: nothing to pass on.
      if (closed) return granted();
      release = granted;
      // Otherwise released when dynalite answers, which it does once its write is done, even to a
      // client that has left meanwhile: not on 'close', which would let a transaction in before it.
      const end = res.end;
      res.end = ((...args: Parameters<ServerResponse['end']>) => {
        if (!chunks || res.statusCode !== 200) {
          granted();
          return end.apply(res, args);
        }
        // Global tables: the write is journaled before it is acknowledged (and before the lock is
        // released, so a replicated write cannot slip in between the write and its version).
        let request: Record<string, unknown>;
        let answer: Record<string, unknown>;
        try {
          request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          answer = args[0] ? JSON.parse(String(args[0])) : {};
        } catch {
          granted();
          return end.apply(res, args);
        }
        hook!(operation, request, answer).then(
          () => {
            granted();
            end.apply(res, args);
          },
          (error: Error) => {
            granted();
            // Never acknowledge a write that could not be journaled: the client sees a 500 and retries.
            const text = JSON.stringify({
              __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
              message: error.message,
            });
            res.statusCode = 500;
            res.setHeader('x-amz-crc32', crc32(text));
            res.setHeader('Content-Length', Buffer.byteLength(text));
            (end as (chunk: string) => ServerResponse).call(res, text);
          },
        );
        return res;
      }) as ServerResponse['end'];
      passOn(req, res);
      req.resume();
    });
  };
  const dispatch: Dispatch = {
    isInternal,
    client,
    onWrite: undefined,
    faults: undefined,
    access: undefined,
    exclusive: (fn) =>
      new Promise((resolve, reject) => {
        lock.exclusive(async (release) => {
          try {
            resolve(await fn());
          } catch (error) {
            reject(error);
          } finally {
            release();
          }
        });
      }),
    close: () => client.destroy(),
  };
  return dispatch;
}
