/**
 * The Node.js runtime's console inside an execution environment: each console call becomes one
 * CloudWatch line `{ISO time}\t{requestId}\t{LEVEL}\t{util.format(...)}`. Raw writes to
 * process.stdout/stderr (Powertools' JSON lines) are left alone and pass through as they are.
 */
import { format } from 'node:util';
import { type ConsoleLevel, consoleLine } from '../log-format.ts';
import { APP_RECORD, ERROR_RECORD, RECORD_NEWLINE } from '../protocol.ts';

let currentRequestId: string | undefined;

/** Lambda keeps the last invocation's id for lines written after it returned (from timers). */
export function setRequestId(requestId: string): void {
  currentRequestId = requestId;
}

function write(marker: string, level: ConsoleLevel, message: string): void {
  const line = consoleLine(new Date().toISOString(), currentRequestId, level, message);
  process.stdout.write(`${marker}${line.includes('\n') ? line.replaceAll('\n', RECORD_NEWLINE) : line}\n`);
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

/**
 * A worker's stdout write completes only once the host has taken the chunk, so waiting for an empty
 * write guarantees every line of this invocation reaches the host before the result does (their
 * order would otherwise be free: they travel on different ports). Nothing to wait for when nothing
 * is in flight, which keeps a silent handler's invoke at one round trip.
 */
export function flushStdio(): Promise<void> | undefined {
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) return undefined;
  return new Promise((resolve) => {
    let pending = 2;
    const done = () => {
      if (--pending === 0) resolve();
    };
    process.stdout.write('', done);
    process.stderr.write('', done);
  });
}
