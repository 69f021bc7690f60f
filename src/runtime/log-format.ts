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

/** Digits of a non-negative safe integer, or the length of its decimal text otherwise. */
function decimalLength(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return String(n).length;
  let digits = 1;
  for (let bound = 10; n >= bound; bound *= 10) digits++;
  return digits;
}

/**
 * `x.toFixed(2).length` without building the string. Away from a rounding tie, rounding x × 100 in
 * binary agrees with toFixed's exact decimal rounding; at a tie (or out of range) toFixed decides.
 */
function fixed2Length(x: number): number {
  const hundredths = x * 100;
  if (!(x >= 0 && x < 1e15) || Math.abs(hundredths - Math.floor(hundredths) - 0.5) < 1e-6) {
    return x.toFixed(2).length;
  }
  return decimalLength(Math.floor(Math.round(hundredths) / 100)) + 3;
}

// The fixed parts of the lines (all ASCII), measured on the formatters themselves.
const START_FIXED = startLine('').length;
const END_FIXED = endLine('').length;
const ZERO_REPORT: ReportFields = {
  requestId: '',
  durationMs: 0,
  billedDurationMs: 0,
  memorySizeMb: 0,
  maxMemoryUsedMb: 0,
};
const REPORT_BASE = reportLine(ZERO_REPORT).length;
/** Less the variable parts of a zero report: "0.00" and three "0". */
const REPORT_FIXED = REPORT_BASE - 7;
const INIT_FIXED = reportLine({ ...ZERO_REPORT, initDurationMs: 0 }).length - REPORT_BASE - 4;
const STATUS_FIXED = reportLine({ ...ZERO_REPORT, status: 'error' }).length - REPORT_BASE - 'error'.length;
const ERROR_TYPE_FIXED = reportLine({ ...ZERO_REPORT, errorType: 'x' }).length - REPORT_BASE - 1;

/**
 * The UTF-8 size of startLine/endLine/reportLine, computed without building them: the cost meter
 * needs every line's size, and most of these lines are never read.
 */
export function startLineBytes(requestId: string): number {
  return START_FIXED + Buffer.byteLength(requestId);
}

export function endLineBytes(requestId: string): number {
  return END_FIXED + Buffer.byteLength(requestId);
}

export function reportLineBytes(r: ReportFields): number {
  let bytes =
    REPORT_FIXED +
    Buffer.byteLength(r.requestId) +
    fixed2Length(r.durationMs) +
    decimalLength(r.billedDurationMs) +
    decimalLength(r.memorySizeMb) +
    decimalLength(r.maxMemoryUsedMb);
  if (r.initDurationMs !== undefined) bytes += INIT_FIXED + fixed2Length(r.initDurationMs);
  if (r.status) bytes += STATUS_FIXED + r.status.length;
  if (r.errorType) bytes += ERROR_TYPE_FIXED + Buffer.byteLength(r.errorType);
  return bytes;
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
export function runtimeExitMessage(requestId: string | undefined, exit: number | 'killed'): string {
  // An environment initialised ahead of any request (provisioned) has no request to name.
  const prefix = requestId ? `RequestId: ${requestId} ` : '';
  if (exit === 0) return `${prefix}Error: Runtime exited without providing a reason`;
  const how = exit === 'killed' ? 'signal: killed' : `exit status ${exit}`;
  return `${prefix}Error: Runtime exited with error: ${how}`;
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
