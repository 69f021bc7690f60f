/**
 * The runtime's side of fault injection: what it asks, per invocation, when faults are active. It
 * knows nothing of experiments or percentages; src/chaos answers these questions and the CLI swaps
 * the answerer in only while a fault exists, so with none active an invoke pays one null check.
 */
import type { InvokeOutcome } from './types.ts';

/**
 * What happens to one invocation, as AWS FIS's Lambda extension does it (fis-actions-reference):
 * the delay runs inside the invocation, after any cold start (billed, counted in Duration, and past
 * the function's timeout a real timeout); the replacement becomes the invocation's result, after
 * the handler ran when `preventExecution` is false (its side effects happen) or instead of it.
 */
export interface InvocationFault {
  /** Milliseconds between the invocation's start and the handler's. 0: none. */
  readonly delayMs: number;
  /** The result the invocation gives instead of the handler's. */
  readonly replacement?: Extract<InvokeOutcome, { status: 'success' | 'function-error' }>;
  /** With a replacement: false runs the handler first (FIS's `preventExecution: false`). */
  readonly preventExecution: boolean;
  /**
   * Lines the fault writes into the invocation's log stream after START, as FIS's extension logs
   * each fault it applies (`AWS FIS EXTENSION - adding 5000 milliseconds of latency…`).
   */
  readonly logLines?: readonly string[];
}

export interface RuntimeFaults {
  /** Asked once per invocation before it runs; undefined: this one is not hit. */
  invocation(functionName: string): InvocationFault | undefined;
  /** A concurrency limit below the function's own, while a fault lowers it. */
  concurrencyLimit(functionName: string): number | undefined;
}
