/**
 * Lambda's log lines as CloudWatch shows them for the Node.js runtime. Pure functions: the host writes
 * START/END/REPORT, the worker writes console lines, both through here.
 */

export const FUNCTION_VERSION = '$LATEST';

export type ConsoleLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG' | 'TRACE';

export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  /** `timeout`, or `error` with `errorType` when the environment died. */
  status?: 'timeout' | 'error';
  errorType?: string;
}

export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: ${FUNCTION_VERSION}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export function reportLine(r: ReportFields): string {
  let line =
    `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms` +
    `\tBilled Duration: ${r.billedDurationMs} ms\tMemory Size: ${r.memorySizeMb} MB` +
    `\tMax Memory Used: ${r.maxMemoryUsedMb} MB`;
  if (r.initDurationMs !== undefined) line += `\tInit Duration: ${r.initDurationMs.toFixed(2)} ms`;
  if (r.status) line += `\tStatus: ${r.status}`;
  if (r.errorType) line += `\tError Type: ${r.errorType}`;
  return line;
}

/**
 * Lambda bills whole milliseconds, rounded up; since August 2025 an on-demand cold start's init phase
 * is billed too, so it is added before rounding.
 */
export function billedDuration(durationMs: number, initDurationMs?: number): number {
  return Math.ceil(durationMs + (initDurationMs ?? 0));
}

/** A console line of the Node.js runtime's text log format. Outside an invocation the id reads `undefined`. */
export function consoleLine(isoTime: string, requestId: string | undefined, level: ConsoleLevel, message: string) {
  return `${isoTime}\t${requestId}\t${level}\t${message}`;
}

/** The runtime's line for an error it reports: `Invoke Error`, `Uncaught Exception`, `Unhandled Promise Rejection`. */
export function errorReportMessage(
  label: string,
  errorType: string,
  errorMessage: string,
  stack: string[],
  extra?: Record<string, unknown>,
): string {
  return `${label} \t${JSON.stringify({ errorType, errorMessage, ...extra, stack })}`;
}

/** The line older runtimes wrote on a timeout (newer ones mark the REPORT line with `Status: timeout`). */
export function timeoutLine(isoTime: string, requestId: string, timeoutSeconds: number): string {
  return `${isoTime} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

/** The error message Lambda gives when the runtime process ended during an invocation. */
export function runtimeExitMessage(requestId: string, exit: number | 'killed'): string {
  if (exit === 0) return `RequestId: ${requestId} Error: Runtime exited without providing a reason`;
  const how = exit === 'killed' ? 'signal: killed' : `exit status ${exit}`;
  return `RequestId: ${requestId} Error: Runtime exited with error: ${how}`;
}

/** `YYYY/MM/DD/[$LATEST]{32 hex}`: one stream per execution environment, dated when it was created (UTC). */
export function logStreamName(createdAt: Date, environmentId: string): string {
  const y = createdAt.getUTCFullYear();
  const m = String(createdAt.getUTCMonth() + 1).padStart(2, '0');
  const d = String(createdAt.getUTCDate()).padStart(2, '0');
  return `${y}/${m}/${d}/[${FUNCTION_VERSION}]${environmentId}`;
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

export function functionArn(region: string, account: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${account}:function:${functionName}`;
}
