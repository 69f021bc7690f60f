/**
 * A replica's replication journal: an append-only file of JSON lines, written and fsynced before the
 * write it records is acknowledged, so a write acknowledged to a handler survives a SIGKILL of
 * `gantry dev` and is delivered to the other replicas after a restart. Appends that arrive while an
 * fsync runs wait for the next one and share it (group commit): the cost is one fsync per batch.
 *
 * It also holds each item's version, the write time last-writer-wins compares (DynamoDB keeps it in
 * a private system attribute of the item; here it lives beside the table, never in the item, so
 * reads return exactly what was written). Records:
 *   {"w":id,"table","key","t","o","to":[region…]}  a local write, pending for each region in `to`
 *   {"d":id,"to":region}                           delivered there
 *   {"a":1,"table","key","t","o"}                  a replicated write applied here (its version)
 * Opening compacts the file to the versions and the entries still pending.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
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
  #handle: FileHandle | undefined;
  #queue: string[] = [];
  #waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  /** Whether a line queued for the next write records a write a client waits on (then it is fsynced). */
  #durable = false;
  #flushing = false;

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
      journal.#handle = await open(file, 'a');
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
    return this.#append(lines, true);
  }

  /** Records that replicated writes were applied here, so a later, older one loses to them. */
  recordApplied(applied: { change: ItemChange; version: Version }[]): Promise<void> {
    const lines: string[] = [];
    for (const { change, version } of applied) {
      this.#versions.set(keyText(change.table, change.key, this.#keyNames), version);
      lines.push(JSON.stringify({ a: 1, table: change.table, key: change.key, t: version.t, o: version.origin }));
    }
    return lines.length > 0 ? this.#append(lines, false) : Promise.resolve();
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
    // Not awaited: a lost delivery mark means one harmless redelivery (the version makes it a no-op).
    void this.#append([JSON.stringify({ d: entry.id, to: destination })], false).catch(() => undefined);
  }

  async close(): Promise<void> {
    while (this.#flushing || this.#queue.length > 0) await new Promise((r) => setTimeout(r, 1));
    await this.#handle?.close();
    this.#handle = undefined;
  }

  /**
   * Appends `lines`; resolves once written, and on disk when `durable`. A write returned by the OS
   * survives the process being killed (SIGKILL) either way; fsync adds a crash of the machine, owed
   * to the local writes a client is told are done. Applied versions and delivery marks need not
   * wait for it: their items sit in LevelDB, itself written without fsync, and a lost mark is one
   * harmless redelivery. Each fsync saved is ~1 ms of a disk's time per replicated write.
   */
  #append(lines: string[], durable: boolean): Promise<void> {
    if (!this.#file) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (durable) this.#durable = true;
      this.#queue.push(...lines);
      this.#waiters.push({ resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#queue.length > 0) {
      const text = `${this.#queue.join('\n')}\n`;
      const waiters = this.#waiters;
      const durable = this.#durable;
      this.#durable = false;
      this.#queue = [];
      this.#waiters = [];
      try {
        if (!this.#handle) throw new Error('the replication journal is closed');
        await this.#handle.write(text);
        if (durable) await this.#handle.datasync();
        for (const w of waiters) w.resolve();
      } catch (error) {
        const failure = new Error(`replication journal ${this.#file}: ${(error as Error).message}`);
        for (const w of waiters) w.reject(failure);
      }
    }
    this.#flushing = false;
  }

  #replay(text: string): void {
    for (const line of text.split('\n')) {
      if (!line) continue;
      let record: Record_;
      try {
        record = JSON.parse(line);
      } catch {
        // A torn last line: its write was never acknowledged (the fsync had not returned).
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
