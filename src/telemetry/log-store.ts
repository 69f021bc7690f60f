/**
 * CloudWatch Logs, locally: one bounded ring buffer per log group (function logs in
 * `/aws/lambda/{name}`, the access log in its own group, alarm and budget lines in `gantry/events`),
 * queries by function, filter pattern and time, and live subscriptions for `gantry logs -f` and the console.
 */
import { compileFilter, type LogMatcher, structuredPayload } from './log-filter.ts';

export type LogSource = 'function' | 'access' | 'system';

export interface LogRecord {
  /** Increases by one per record across all groups: a cursor for "what came after". */
  seq: number;
  source: LogSource;
  logGroupName: string;
  logStreamName: string;
  /** Epoch ms. */
  timestamp: number;
  /** May be computed when first read (see FunctionLogRecord): copy records field by field, not by spreading. */
  readonly message: string;
  functionName?: string;
  requestId?: string;
  /** For function logs: start, end, report, app, timeout, error. */
  kind?: string;
}

/** A record as the console and `gantry logs` receive it: structured messages carry their parsed JSON. */
export interface LogEntry extends LogRecord {
  json?: Record<string, unknown>;
}

export interface LogQuery {
  /** Only this function's group. */
  functionName?: string;
  /** Only these sources. @default all */
  sources?: LogSource[];
  /** CloudWatch-style filter pattern (see log-filter.ts). */
  filter?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Only records with a larger seq. */
  afterSeq?: number;
  /** Newest records kept when more match. @default 200 */
  limit?: number;
}

class Ring {
  private readonly items: (LogRecord | undefined)[];
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.items = new Array(capacity);
  }

  push(record: LogRecord): void {
    this.items[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Oldest first. */
  *values(): Generator<LogRecord> {
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) yield this.items[(start + i) % this.capacity]!;
  }

  get length(): number {
    return this.size;
  }
}

function toEntry(record: LogRecord): LogEntry {
  const entry: LogEntry = {
    seq: record.seq,
    source: record.source,
    logGroupName: record.logGroupName,
    logStreamName: record.logStreamName,
    timestamp: record.timestamp,
    message: record.message,
  };
  if (record.functionName !== undefined) entry.functionName = record.functionName;
  if (record.requestId !== undefined) entry.requestId = record.requestId;
  if (record.kind !== undefined) entry.kind = record.kind;
  const json = structuredPayload(entry.message);
  if (json) entry.json = json;
  return entry;
}

function matcherFor(query: LogQuery): (record: LogRecord) => boolean {
  const filter: LogMatcher = compileFilter(query.filter);
  const sources = query.sources && new Set(query.sources);
  return (record) => {
    if (query.functionName !== undefined && record.functionName !== query.functionName) return false;
    if (sources && !sources.has(record.source)) return false;
    if (query.since !== undefined && record.timestamp < query.since) return false;
    if (query.afterSeq !== undefined && record.seq <= query.afterSeq) return false;
    let parsed: Record<string, unknown> | undefined | null = null;
    return filter(record.message, () => {
      if (parsed === null) parsed = structuredPayload(record.message);
      return parsed;
    });
  };
}

export class LogStore {
  private readonly groups = new Map<string, Ring>();
  private readonly listeners = new Set<(record: LogRecord) => void>();
  private seq = 0;

  /** `capacity`: records kept per log group; older ones are dropped first. */
  constructor(readonly capacity = 5000) {}

  append(record: Omit<LogRecord, 'seq'>): LogRecord {
    const stored = record as LogRecord;
    stored.seq = ++this.seq;
    let ring = this.groups.get(stored.logGroupName);
    if (!ring) {
      ring = new Ring(this.capacity);
      this.groups.set(stored.logGroupName, ring);
    }
    ring.push(stored);
    if (this.listeners.size > 0) {
      for (const listener of this.listeners) {
        try {
          listener(stored);
        } catch {
          // A broken subscriber (e.g. a closed SSE stream) must not break logging.
        }
      }
    }
    return stored;
  }

  /** Matching records, oldest first, the newest `limit` of them. Throws FilterPatternError for a bad filter. */
  query(query: LogQuery = {}): LogEntry[] {
    const matches = matcherFor(query);
    const found: LogRecord[] = [];
    for (const ring of this.groups.values())
      for (const record of ring.values()) if (matches(record)) found.push(record);
    found.sort((a, b) => a.seq - b.seq);
    const limit = query.limit ?? 200;
    return found.slice(Math.max(0, found.length - limit)).map(toEntry);
  }

  /** Calls `listener` for each new record matching `query` (its `limit` and `afterSeq` are ignored). */
  subscribe(query: LogQuery, listener: (entry: LogEntry) => void): () => void {
    const matches = matcherFor({ ...query, afterSeq: undefined });
    const wrapped = (record: LogRecord) => {
      if (matches(record)) listener(toEntry(record));
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  /** Records held now, summed over groups (never more than groups × capacity). */
  size(): number {
    let n = 0;
    for (const ring of this.groups.values()) n += ring.length;
    return n;
  }

  get lastSeq(): number {
    return this.seq;
  }
}
