/**
 * CloudWatch Logs, locally: one bounded ring buffer per log group (function logs in
 * `/aws/lambda/{name}`, the access log in its own group, alarm and budget lines in `gantry/events`),
 * queries by function, filter pattern and time, and live subscriptions for `gantry logs -f` and the console.
 */
import { compileFilter, type LogMatcher, structuredPayload } from './log-filter.ts';

export type LogSource = 'function' | 'access' | 'system';

/**
 * One line as a log group holds it. The store keeps its sequence number and source beside it rather
 * than on it, so a writer can hand over an object it already has (a function's log event, whose text
 * may be built only when read) instead of a copy per line.
 */
export interface LogLine {
  logGroupName: string;
  logStreamName: string;
  /** Epoch ms. */
  timestamp: number;
  /** May be computed when first read: copy lines field by field, never by spreading. */
  readonly message: string;
  functionName?: string;
  requestId?: string;
  /** For function logs: start, end, report, app, timeout, error. */
  kind?: string;
}

export interface LogRecord extends LogLine {
  /** Increases by one per record across all groups: a cursor for "what came after". */
  seq: number;
  source: LogSource;
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

/** One log group: its newest `capacity` lines and their sequence numbers. */
class Ring {
  private readonly lines: (LogLine | undefined)[];
  private readonly seqs: Float64Array;
  private next = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    readonly source: LogSource,
  ) {
    this.lines = new Array(capacity);
    this.seqs = new Float64Array(capacity);
  }

  push(line: LogLine, seq: number): void {
    this.lines[this.next] = line;
    this.seqs[this.next] = seq;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Oldest first. */
  /** The matching lines as records, oldest first, appended to `into`. */
  collect(matches: LineMatcher, into: LogRecord[]): void {
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) {
      const at = (start + i) % this.capacity;
      const line = this.lines[at]!;
      if (matches(line, this.seqs[at], this.source)) into.push(recordOf(line, this.seqs[at], this.source));
    }
  }

  get length(): number {
    return this.size;
  }
}

function recordOf(line: LogLine, seq: number, source: LogSource): LogRecord {
  const record: LogRecord = {
    seq,
    source,
    logGroupName: line.logGroupName,
    logStreamName: line.logStreamName,
    timestamp: line.timestamp,
    message: line.message,
  };
  if (line.functionName !== undefined) record.functionName = line.functionName;
  if (line.requestId !== undefined) record.requestId = line.requestId;
  if (line.kind !== undefined) record.kind = line.kind;
  return record;
}

function toEntry(record: LogRecord): LogEntry {
  const json = structuredPayload(record.message);
  return json ? { ...record, json } : record;
}

type LineMatcher = (line: LogLine, seq: number, source: LogSource) => boolean;
type LineListener = (line: LogLine, seq: number, source: LogSource) => void;

function matcherFor(query: LogQuery): LineMatcher {
  const filter: LogMatcher | undefined = query.filter?.trim() ? compileFilter(query.filter) : undefined;
  const sources = query.sources && new Set(query.sources);
  return (line, seq, source) => {
    if (query.functionName !== undefined && line.functionName !== query.functionName) return false;
    if (sources && !sources.has(source)) return false;
    if (query.since !== undefined && line.timestamp < query.since) return false;
    if (query.afterSeq !== undefined && seq <= query.afterSeq) return false;
    // Without a pattern the text is not read: a line built on demand stays unbuilt.
    if (!filter) return true;
    let parsed: Record<string, unknown> | undefined | null = null;
    return filter(line.message, () => {
      if (parsed === null) parsed = structuredPayload(line.message);
      return parsed;
    });
  };
}

export class LogStore {
  private readonly groups = new Map<string, Ring>();
  private readonly listeners = new Set<LineListener>();
  private seq = 0;

  /** `capacity`: records kept per log group; older ones are dropped first. */
  constructor(readonly capacity = 5000) {}

  /** Stores `line` itself (not a copy): a writer must not change it afterwards. */
  append(source: LogSource, line: LogLine): void {
    const seq = ++this.seq;
    let ring = this.groups.get(line.logGroupName);
    if (!ring) {
      ring = new Ring(this.capacity, source);
      this.groups.set(line.logGroupName, ring);
    }
    ring.push(line, seq);
    if (this.listeners.size > 0) {
      for (const listener of this.listeners) {
        try {
          listener(line, seq, ring.source);
        } catch {
          // A broken subscriber (e.g. a closed SSE stream) must not break logging.
        }
      }
    }
  }

  /** Matching records, oldest first, the newest `limit` of them. Throws FilterPatternError for a bad filter. */
  query(query: LogQuery = {}): LogEntry[] {
    const matches = matcherFor(query);
    const found: LogRecord[] = [];
    for (const ring of this.groups.values()) ring.collect(matches, found);
    found.sort((a, b) => a.seq - b.seq);
    const limit = query.limit ?? 200;
    return found.slice(Math.max(0, found.length - limit)).map(toEntry);
  }

  /** Calls `listener` for each new record matching `query` (its `limit` and `afterSeq` are ignored). */
  subscribe(query: LogQuery, listener: (entry: LogEntry) => void): () => void {
    const matches = matcherFor({ ...query, afterSeq: undefined });
    const wrapped: LineListener = (line, seq, source) => {
      if (matches(line, seq, source)) listener(toEntry(recordOf(line, seq, source)));
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
