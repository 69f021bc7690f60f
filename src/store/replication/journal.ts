/**
 * A replica's replication journal: an append-only file of JSON lines, written and fsynced before the
 * write it records is acknowledged, so a write acknowledged to a handler survives a SIGKILL of
 * `gantry dev` and is delivered to the other replicas after a restart. Local writes go through a
 * descriptor opened with O_DSYNC, so a write and its flush to disk are one system call, one job of
 * libuv's pool (a write then an fdatasync were two, each waking a pool thread: profiled on the
 * example, the journal was the store thread's third cost). Appends that arrive while one is on its
 * way to disk wait for the next and share it (group commit): one write per batch.
 *
 * It also holds each item's version, the write time last-writer-wins compares (DynamoDB keeps it in
 * a private system attribute of the item; here it lives beside the table, never in the item, so
 * reads return exactly what was written). Records:
 *   {"w":id,"table","key","t","o","to":[region…]}  a local write, pending for each region in `to`
 *   {"d":id,"to":region}                           delivered there
 *   {"a":1,"table","key","t","o"}                  a replicated write applied here (its version)
 * Opening compacts the file to the versions and the entries still pending.
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  constants as fs,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  write,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { type ItemChange, type Key, type KeyNames, keyText } from './changes.ts';

/** An item's write time (epoch ms, fractional: strictly increasing in this process) and the region written. */
export interface Version {
  t: number;
  origin: string;
}

export interface JournalEntry extends ItemChange {
  id: number;
  t: number;
  /** Regions this write has not reached yet. */
  pending: Set<string>;
}

export function newer(a: Version, b: Version | undefined): boolean {
  if (!b) return true;
  return a.t > b.t || (a.t === b.t && a.origin > b.origin);
}

/** O_DSYNC: a write returns once its data is on disk, as write then fdatasync. Undefined where the OS lacks it. */
const DSYNC: number | undefined = fs.O_DSYNC;

let lastWriteTime = 0;
/** Write times are unique and increasing across every replica of this process. */
export function nextWriteTime(): number {
  const now = Date.now();
  lastWriteTime = now > lastWriteTime ? now : lastWriteTime + 0.001;
  return lastWriteTime;
}

interface Record_ {
  w?: number;
  d?: number;
  a?: number;
  table?: string;
  key?: Key;
  t?: number;
  o?: string;
  to?: string | string[];
}

export class ReplicationJournal {
  readonly region: string;
  readonly #file: string | undefined;
  readonly #keyNames: KeyNames;
  readonly #versions = new Map<string, Version>();
  readonly #entries = new Map<number, JournalEntry>();
  #nextId = 1;
  /** Appends that need not wait for the disk (written at once, synchronously: no pool job). */
  #fd: number | undefined;
  /** Appends a client waits on: each write returns once on disk (O_DSYNC where the OS has it). */
  #durableFd: number | undefined;
  #queue: string[] = [];
  #waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  #flushing: Promise<void> | undefined;

  private constructor(region: string, file: string | undefined, keyNames: KeyNames) {
    this.region = region;
    this.#file = file;
    this.#keyNames = keyNames;
  }

  /** `file` undefined: in memory (a store that keeps its tables in memory loses both together). */
  static async open(region: string, file: string | undefined, keyNames: KeyNames): Promise<ReplicationJournal> {
    const journal = new ReplicationJournal(region, file, keyNames);
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      if (existsSync(file)) journal.#replay(readFileSync(file, 'utf8'));
      journal.#compact(file);
      const append = fs.O_WRONLY | fs.O_APPEND | fs.O_CREAT;
      journal.#fd = openSync(file, append);
      journal.#durableFd = openSync(file, append | (DSYNC ?? 0));
    }
    return journal;
  }

  version(table: string, key: Key): Version | undefined {
    return this.#versions.get(keyText(table, key, this.#keyNames));
  }

  /** Records local writes for delivery to `destinations`; resolves once they are on disk. */
  recordWrites(changes: ItemChange[], destinations: readonly string[]): Promise<void> {
    const lines: string[] = [];
    for (const change of changes) {
      const t = nextWriteTime();
      const entry: JournalEntry = { ...change, id: this.#nextId++, t, pending: new Set(destinations) };
      this.#versions.set(keyText(change.table, change.key, this.#keyNames), { t, origin: this.region });
      if (destinations.length > 0) this.#entries.set(entry.id, entry);
      lines.push(
        JSON.stringify({ w: entry.id, table: change.table, key: change.key, t, o: this.region, to: destinations }),
      );
    }
    return this.#appendDurable(lines);
  }

  /** Records that replicated writes were applied here, so a later, older one loses to them. */
  recordApplied(applied: { change: ItemChange; version: Version }[]): Promise<void> {
    const lines: string[] = [];
    for (const { change, version } of applied) {
      this.#versions.set(keyText(change.table, change.key, this.#keyNames), version);
      lines.push(JSON.stringify({ a: 1, table: change.table, key: change.key, t: version.t, o: version.origin }));
    }
    if (lines.length === 0) return Promise.resolve();
    try {
      this.#appendNow(lines);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Items last written at or after `since`, with their versions. */
  writtenSince(since: number): (ItemChange & { version: Version })[] {
    const out: (ItemChange & { version: Version })[] = [];
    for (const [text, version] of this.#versions) {
      if (version.t < since) continue;
      const [table, keyJson] = text.split('\u0000');
      const names = this.#keyNames(table);
      if (!names) continue;
      const values = JSON.parse(keyJson) as Key[string][];
      out.push({ table, key: Object.fromEntries(names.map((n, i) => [n, values[i]])), version });
    }
    return out;
  }

  /** Entries still to deliver to `destination`, oldest first. */
  pending(destination: string): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (const entry of this.#entries.values()) if (entry.pending.has(destination)) out.push(entry);
    return out;
  }

  delivered(entry: JournalEntry, destination: string): void {
    entry.pending.delete(destination);
    if (entry.pending.size === 0) this.#entries.delete(entry.id);
    try {
      this.#appendNow([JSON.stringify({ d: entry.id, to: destination })]);
    } catch {
      // A lost delivery mark means one harmless redelivery (the version makes it a no-op).
    }
  }

  async close(): Promise<void> {
    await this.#flushing;
    for (const fd of [this.#fd, this.#durableFd]) if (fd !== undefined) closeSync(fd);
    this.#fd = undefined;
    this.#durableFd = undefined;
  }

  /**
   * Appends `lines` at once, through the page cache: a write returned by the OS survives the process
   * being killed (SIGKILL); only a crash of the machine could lose it. Enough for applied versions and
   * delivery marks: their items sit in LevelDB, itself written without fsync, and a lost mark is one
   * harmless redelivery. A synchronous write is a system call on the store's own thread, no pool job.
   */
  #appendNow(lines: string[]): void {
    if (!this.#file) return;
    if (this.#fd === undefined) throw new Error(`replication journal ${this.#file}: it is closed`);
    const text = Buffer.from(`${lines.join('\n')}\n`);
    try {
      for (let done = 0; done < text.length; ) done += writeSync(this.#fd, text, done);
    } catch (error) {
      throw new Error(`replication journal ${this.#file}: ${(error as Error).message}`);
    }
  }

  /** Appends `lines`; resolves once they are on disk, owed to the local writes a client is told are done. */
  #appendDurable(lines: string[]): Promise<void> {
    if (!this.#file) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#queue.push(...lines);
      this.#waiters.push({ resolve, reject });
      if (!this.#flushing) this.#flushing = new Promise((done) => this.#flush(done));
    });
  }

  /** Writes what is queued, one write per batch, until nothing is; then `done`. */
  #flush(done: () => void): void {
    const text = Buffer.from(`${this.#queue.join('\n')}\n`);
    const waiters = this.#waiters;
    this.#queue = [];
    this.#waiters = [];
    const settle = (error: Error | null) => {
      if (error) {
        const failure = new Error(`replication journal ${this.#file}: ${error.message}`);
        for (const w of waiters) w.reject(failure);
      } else for (const w of waiters) w.resolve();
      if (this.#queue.length > 0) return this.#flush(done);
      this.#flushing = undefined;
      done();
    };
    const fd = this.#durableFd;
    // On a later turn, as a write's callback would be: `#flushing` is set by then.
    if (fd === undefined) {
      queueMicrotask(() => settle(new Error('it is closed')));
      return;
    }
    const writeFrom = (offset: number) =>
      write(fd, text, offset, text.length - offset, null, (error, written) => {
        if (error) return settle(error);
        if (offset + written < text.length) return writeFrom(offset + written);
        // Without O_DSYNC (not every OS has it), the flush to disk is a call of its own.
        if (DSYNC === undefined) fdatasync(fd, settle);
        else settle(null);
      });
    writeFrom(0);
  }

  #replay(text: string): void {
    for (const line of text.split('\n')) {
      if (!line) continue;
      let record: Record_;
      try {
        // After a crash of the machine, a mark not yet flushed can read back as zeroes ahead of a
        // later line that was: the line still counts.
        record = JSON.parse(line.charCodeAt(0) === 0 ? line.replace(/^\0+/, '') : line);
      } catch {
        // A torn last line: its write was never acknowledged (the write to disk had not returned).
        continue;
      }
      if (record.w !== undefined && record.table && record.key && record.t !== undefined) {
        const destinations = Array.isArray(record.to) ? record.to : [];
        const entry: JournalEntry = {
          id: record.w,
          table: record.table,
          key: record.key,
          t: record.t,
          pending: new Set(destinations),
        };
        if (destinations.length > 0) this.#entries.set(entry.id, entry);
        this.#remember(record.table, record.key, { t: record.t, origin: record.o ?? this.region });
        this.#nextId = Math.max(this.#nextId, record.w + 1);
        lastWriteTime = Math.max(lastWriteTime, record.t);
      } else if (record.d !== undefined && typeof record.to === 'string') {
        const entry = this.#entries.get(record.d);
        entry?.pending.delete(record.to);
        if (entry && entry.pending.size === 0) this.#entries.delete(entry.id);
      } else if (record.a !== undefined && record.table && record.key && record.t !== undefined) {
        this.#remember(record.table, record.key, { t: record.t, origin: record.o ?? '' });
      }
    }
  }

  #remember(table: string, key: Key, version: Version): void {
    const text = keyText(table, key, this.#keyNames);
    if (newer(version, this.#versions.get(text))) this.#versions.set(text, version);
  }

  /** Rewrites the file with what still matters, atomically (temporary file, fsync, rename). */
  #compact(file: string): void {
    const lines: string[] = [];
    for (const [text, version] of this.#versions) {
      const [table, keyJson] = text.split('\u0000');
      const names = this.#keyNames(table);
      const values = JSON.parse(keyJson) as Key[string][];
      const key: Key = names ? Object.fromEntries(names.map((n, i) => [n, values[i]])) : {};
      if (names) lines.push(JSON.stringify({ a: 1, table, key, t: version.t, o: version.origin }));
    }
    for (const entry of this.#entries.values()) {
      lines.push(
        JSON.stringify({
          w: entry.id,
          table: entry.table,
          key: entry.key,
          t: entry.t,
          o: this.region,
          to: [...entry.pending],
        }),
      );
    }
    const temporary = `${file}.compacting`;
    const fd = openSync(temporary, 'w');
    try {
      if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  }
}
