/**
 * What one function's invocations leave behind, as CloudWatch and Lambda show it: START, the timeout
 * or runtime-exit line, END and REPORT through `onLog`, and the InvocationReport through `onInvocation`.
 */
import type { ResolvedFunction } from '../config/index.ts';
import type { ExecutionEnvironment } from './environment.ts';
import {
  billedDuration,
  endLine,
  logGroupName,
  reportLine,
  runtimeExitMessage,
  startLine,
  timeoutLine,
} from './log-format.ts';
import type { FunctionLogEvent, InvocationReport, InvokeOutcome, RuntimeObserver } from './types.ts';

export class InvocationReporter {
  readonly logGroupName: string;
  private readonly onLog: ((event: FunctionLogEvent) => void) | undefined;

  constructor(
    private readonly fn: ResolvedFunction,
    private readonly observer: RuntimeObserver,
  ) {
    this.logGroupName = logGroupName(fn.name);
    this.onLog = observer.onLog?.bind(observer);
  }

  /** Whether anyone reads logs: without a reader no line is formatted at all. */
  get logging(): boolean {
    return this.onLog !== undefined;
  }

  log(env: ExecutionEnvironment, message: string, kind: FunctionLogEvent['kind'], requestId?: string): void {
    this.onLog?.({
      functionName: this.fn.name,
      logGroupName: this.logGroupName,
      logStreamName: env.logStreamName,
      timestamp: Date.now(),
      message,
      requestId,
      kind,
    });
  }

  start(env: ExecutionEnvironment, requestId: string): void {
    if (this.onLog) this.log(env, startLine(requestId), 'start', requestId);
  }

  /** The invocation ended: its closing lines and its report. `durationMs` is 0 when init failed. */
  finish(
    env: ExecutionEnvironment,
    requestId: string,
    startTime: number,
    durationMs: number,
    initDurationMs: number | undefined,
    outcome: InvokeOutcome,
  ): InvocationReport {
    let status: 'timeout' | 'error' | undefined;
    let errorType: string | undefined;
    if (outcome.status === 'timeout') {
      status = 'timeout';
      if (this.onLog) {
        this.log(env, timeoutLine(new Date().toISOString(), requestId, outcome.timeoutSeconds), 'timeout', requestId);
      }
    } else if (outcome.status === 'runtime-crash') {
      status = 'error';
      errorType = outcome.errorType === 'Runtime.OutOfMemory' ? outcome.errorType : 'Runtime.ExitError';
      if (this.onLog) {
        this.log(env, `${runtimeExitMessage(requestId, env.exitStatus ?? 1)}\n${errorType}`, 'error', requestId);
      }
    } else if (outcome.status === 'init-error') {
      status = 'error';
      errorType = outcome.errorType;
    }
    const report: InvocationReport = {
      functionName: this.fn.name,
      requestId,
      startTime,
      durationMs,
      billedDurationMs: billedDuration(durationMs, initDurationMs),
      memorySizeMb: this.fn.memoryMb,
      maxMemoryUsedMb: env.maxMemoryMb,
      coldStart: initDurationMs !== undefined,
      environmentId: env.id,
      outcome: outcome.status,
    };
    if (initDurationMs !== undefined) report.initDurationMs = initDurationMs;
    if (this.onLog) {
      this.log(env, endLine(requestId), 'end', requestId);
      this.log(env, reportLine({ ...report, status, errorType }), 'report', requestId);
    }
    this.observer.onInvocation?.(report);
    return report;
  }
}
