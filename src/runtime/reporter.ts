/**
 * What one function's invocations leave behind, as CloudWatch and Lambda show it: START, the timeout
 * or runtime-exit line, END and REPORT through `onLog`, and the InvocationReport through `onInvocation`.
 */
import type { ResolvedFunction } from '../config/index.ts';
import type { ExecutionEnvironment } from './environment.ts';
import {
  billedDuration,
  endLine,
  endLineBytes,
  logGroupName,
  type ReportFields,
  reportLine,
  reportLineBytes,
  runtimeExitMessage,
  startLine,
  startLineBytes,
  timeoutLine,
} from './log-format.ts';
import type { FunctionLogEvent, InvocationReport, InvokeOutcome, RuntimeObserver } from './types.ts';

/**
 * A START, END or REPORT line. Every invocation writes three and most are never read, so the text is
 * built only when something reads `message` (the terminal, a log query, the console); its size, which
 * the cost meter takes for every line, is computed without it.
 */
class RuntimeLine implements FunctionLogEvent {
  readonly timestamp = Date.now();
  private text: string | undefined;

  constructor(
    readonly functionName: string,
    readonly logGroupName: string,
    readonly logStreamName: string,
    readonly requestId: string,
    readonly kind: 'start' | 'end' | 'report',
    private readonly report: ReportFields | undefined,
  ) {}

  get message(): string {
    this.text ??=
      this.kind === 'start'
        ? startLine(this.requestId)
        : this.kind === 'end'
          ? endLine(this.requestId)
          : reportLine(this.report!);
    return this.text;
  }

  get messageBytes(): number {
    if (this.kind === 'start') return startLineBytes(this.requestId);
    if (this.kind === 'end') return endLineBytes(this.requestId);
    return reportLineBytes(this.report!);
  }
}

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
    this.onLog?.(new RuntimeLine(this.fn.name, this.logGroupName, env.logStreamName, requestId, 'start', undefined));
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
      initializationType: env.initializationType,
      environmentId: env.id,
      outcome: outcome.status,
    };
    if (initDurationMs !== undefined) report.initDurationMs = initDurationMs;
    if (this.onLog) {
      const stream = env.logStreamName;
      this.onLog(new RuntimeLine(this.fn.name, this.logGroupName, stream, requestId, 'end', undefined));
      const fields: ReportFields = status ? { ...report, status, errorType } : report;
      this.onLog(new RuntimeLine(this.fn.name, this.logGroupName, stream, requestId, 'report', fields));
    }
    this.observer.onInvocation?.(report);
    return report;
  }
}
