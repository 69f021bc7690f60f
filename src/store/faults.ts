/**
 * The store's side of fault injection: what it asks, per client request, when faults are active.
 * src/chaos answers; the CLI sets the answerer only while a fault exists, so with none active a
 * request pays one null check. Faulted requests are read whole first (the table name is in the body),
 * then answered with DynamoDB's error or handed on, late, as if they had just arrived.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';

/** DynamoDB's own errors a fault can answer with: both are retried by the AWS SDKs. */
export type StoreFaultError = 'ProvisionedThroughputExceededException' | 'InternalServerError';

export interface StoreFault {
  /** Milliseconds the request waits before the store handles it (or answers the error). */
  readonly delayMs: number;
  readonly error?: StoreFaultError;
}

export interface StoreFaults {
  /** Asked once per client request (each SDK retry is one) naming `tableNames`; undefined: not hit. */
  request(tableNames: readonly string[], operation: string): StoreFault | undefined;
}

/**
 * What the store itself asks: a store on its own thread asks the gateway's thread, where chaos
 * decides (thread/host.ts), hence the promise.
 */
export interface StoreFaultDecider {
  /** Whether any fault may hit now; false costs a request nothing more. @default always */
  active?(): boolean;
  request(tableNames: readonly string[], operation: string): StoreFault | undefined | Promise<StoreFault | undefined>;
}

/** Status and body DynamoDB answers (the SDK reads `__type`). */
export const STORE_FAULT_ANSWERS: Record<StoreFaultError, { status: number; body: Record<string, string> }> = {
  ProvisionedThroughputExceededException: {
    status: 400,
    body: {
      __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      message:
        'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    },
  },
  InternalServerError: {
    status: 500,
    body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' },
  },
};

/** The tables a DynamoDB request names: `TableName`, the keys of `RequestItems`, or each transact item's. */
export function tablesOf(body: Buffer): string[] {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return [];
  }
  if (parsed === null || typeof parsed !== 'object') return [];
  const out: string[] = [];
  if (typeof parsed.TableName === 'string') out.push(parsed.TableName);
  if (parsed.RequestItems && typeof parsed.RequestItems === 'object') out.push(...Object.keys(parsed.RequestItems));
  if (Array.isArray(parsed.TransactItems)) {
    for (const item of parsed.TransactItems as Record<string, { TableName?: unknown }>[]) {
      for (const part of Object.values(item ?? {})) {
        if (part && typeof part.TableName === 'string' && !out.includes(part.TableName)) out.push(part.TableName);
      }
    }
  }
  return out;
}

/** A request already read, readable again: what dynalite (or a transaction) reads in its place. */
export function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new PassThrough() as PassThrough & Partial<IncomingMessage>;
  Object.assign(copy, { headers: req.headers, method: req.method, url: req.url, httpVersion: req.httpVersion });
  copy.end(body);
  return copy as unknown as IncomingMessage;
}

/**
 * Reads the request, asks `faults`, then answers DynamoDB's error, or forwards it (late, when delayed).
 * `answer` writes a wire answer the way the store does.
 */
export function faultedRequest(
  faults: StoreFaultDecider,
  req: IncomingMessage,
  res: ServerResponse,
  operation: string,
  answer: (res: ServerResponse, status: number, body: Record<string, string>) => void,
  forward: (req: IncomingMessage) => void,
): void {
  const chunks: Buffer[] = [];
  req.on('error', () => {});
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const decided = faults.request(tablesOf(body), operation);
    if (decided instanceof Promise) decided.then((fault) => apply(body, fault));
    else apply(body, decided);
  });
  const apply = (body: Buffer, fault: StoreFault | undefined) => {
    if (fault === undefined) {
      forward(replay(req, body));
      return;
    }
    const proceed = () => {
      if (res.destroyed) return;
      if (fault.error === undefined) forward(replay(req, body));
      else {
        const { status, body: error } = STORE_FAULT_ANSWERS[fault.error];
        answer(res, status, error);
      }
    };
    if (fault.delayMs > 0) setTimeout(proceed, fault.delayMs);
    else proceed();
  };
}
