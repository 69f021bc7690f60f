/** The `context` object Lambda's Node.js runtime passes to a handler. */
import type { WorkerData } from '../protocol.ts';

export type Completion = (error: unknown, result?: unknown) => void;

export class InvocationContext {
  callbackWaitsForEmptyEventLoop = true;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly #deadlineMs: number;
  readonly #complete: Completion;

  constructor(data: WorkerData, awsRequestId: string, deadlineMs: number, complete: Completion) {
    this.functionName = data.functionName;
    this.functionVersion = data.functionVersion;
    this.invokedFunctionArn = data.invokedFunctionArn;
    this.memoryLimitInMB = data.memoryLimitInMB;
    this.awsRequestId = awsRequestId;
    this.logGroupName = data.logGroupName;
    this.logStreamName = data.logStreamName;
    this.#deadlineMs = deadlineMs;
    this.#complete = complete;
  }

  getRemainingTimeInMillis(): number {
    return this.#deadlineMs - Date.now();
  }

  done(error?: unknown, result?: unknown): void {
    this.#complete(error, result);
  }

  succeed(result?: unknown): void {
    this.#complete(null, result);
  }

  fail(error: unknown): void {
    this.#complete(error ?? 'handled');
  }
}
