/**
 * Reading a running console from another process: `gantry logs` and `gantry cost` use these, so the
 * commands stay wiring. Errors name the URL and what to do.
 */
import type { LogEntry } from '../telemetry/index.ts';

export class ConsoleUnreachableError extends Error {
  override name = 'ConsoleUnreachableError';
}

export interface LogFilter {
  functionName?: string;
  filter?: string;
  sources?: ('function' | 'access' | 'system')[];
  since?: number;
  /** Only records after this sequence number; with followLogs, `0` replays the newest `limit` first. */
  afterSeq?: number;
  limit?: number;
}

function logParams(query: LogFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (query.functionName) params.set('function', query.functionName);
  if (query.filter) params.set('filter', query.filter);
  if (query.sources?.length) params.set('source', query.sources.join(','));
  if (query.since !== undefined) params.set('since', String(query.since));
  if (query.afterSeq !== undefined) params.set('after', String(query.afterSeq));
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  return params;
}

function unreachable(url: string, error: unknown): ConsoleUnreachableError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return new ConsoleUnreachableError(
    `cannot reach gantry dev's console at ${url} (${reason}); start \`gantry dev\` or pass --console-port`,
  );
}

export async function fetchConsoleJson<T>(baseUrl: string, path: string, signal?: AbortSignal): Promise<T> {
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ?? AbortSignal.timeout(5000) });
  } catch (error) {
    throw unreachable(url, error);
  }
  const body = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
  if (!response.ok) throw new Error(body?.message ?? `${url} answered ${response.status}`);
  return body as T;
}

/** A POST or DELETE to the console (the chaos endpoints); a non-2xx answer rejects with its message. */
export async function sendConsoleJson<T>(
  baseUrl: string,
  method: 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const url = `${baseUrl.replace(/\/+$/, '')}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    throw unreachable(url, error);
  }
  const answer = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
  if (!response.ok) throw new Error(answer?.message ?? `${url} answered ${response.status}`);
  return answer as T;
}

export function fetchLogs(baseUrl: string, query: LogFilter): Promise<LogEntry[]> {
  return fetchConsoleJson<LogEntry[]>(baseUrl, `/api/logs?${logParams(query)}`);
}

/**
 * Follows the log stream until `signal` aborts or the console goes away. Resolves when the stream
 * ends; rejects with ConsoleUnreachableError if it cannot be opened.
 */
export async function followLogs(
  baseUrl: string,
  query: LogFilter,
  onEntry: (entry: LogEntry) => void,
  signal?: AbortSignal,
): Promise<void> {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/logs/stream?${logParams(query)}`;
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal?.aborted) return;
    throw unreachable(url, error);
  }
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
    throw new Error(body?.message ?? `${url} answered ${response.status}`);
  }
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (/^event: log$/m.test(block) && data) onEntry(JSON.parse(data) as LogEntry);
        end = buffer.indexOf('\n\n');
      }
    }
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
}

/** `2026-11-24T06:00:00.010Z [orders] message`: one line per record, JSON messages kept as written. */
export function formatLogEntry(entry: LogEntry): string {
  const who = entry.functionName ?? (entry.source === 'access' ? 'access' : 'gantry');
  return `${new Date(entry.timestamp).toISOString()} [${who}] ${entry.message.replace(/\n$/, '')}`;
}
