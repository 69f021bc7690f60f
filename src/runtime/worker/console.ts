/**
 * The Node.js runtime's console inside an execution environment: each console call becomes one
 * CloudWatch line `{ISO time}\t{requestId}\t{LEVEL}\t{util.format(...)}`, a record in the log ring
 * (log-capture.ts). Raw writes to process.stdout/stderr (Powertools' JSON lines) pass through as they are.
 */
import { format } from 'node:util';
import { type ConsoleLevel, consoleLine } from '../log-format.ts';
import { APP_RECORD, ERROR_RECORD, RECORD_NEWLINE } from '../protocol.ts';
import { writeLog } from './log-capture.ts';

let currentRequestId: string | undefined;

/** Lambda keeps the last invocation's id for lines written after it returned (from timers). */
export function setRequestId(requestId: string): void {
  currentRequestId = requestId;
}

function write(marker: string, level: ConsoleLevel, message: string): void {
  const line = consoleLine(new Date().toISOString(), currentRequestId, level, message);
  writeLog(`${marker}${line.includes('\n') ? line.replaceAll('\n', RECORD_NEWLINE) : line}\n`);
}

export function patchConsole(): void {
  const level =
    (name: ConsoleLevel) =>
    (...args: unknown[]): void =>
      write(APP_RECORD, name, format(...args));
  console.log = level('INFO');
  console.info = level('INFO');
  console.warn = level('WARN');
  console.error = level('ERROR');
  console.debug = level('DEBUG');
  console.trace = level('TRACE');
}

/** A line the runtime itself writes (`Invoke Error`, `Uncaught Exception`, ...). */
export function logRuntimeError(message: string): void {
  write(ERROR_RECORD, 'ERROR', message);
}
