/**
 * DynamoDB global tables (version 2019.11.21, multi-Region eventual consistency) between the
 * replicas of this process: every item a write changes in one replica reaches the others after
 * `lagMs` ("typically within a second" in AWS; no SLA), items independently, and a conflict goes
 * to the last writer by write time, silently, as MREC resolves it. Undeliverable replication (a
 * region held down) stays in the source's journal and is delivered once both ends are up.
 *
 * Delivery ships the item as the source holds it when delivered, with its version read first: an
 * image can only be as new as or newer than the version it carries, and a newer write has its own
 * journal entry that follows with its own, newer version, so every replica converges.
 */
import type { ReplicaPort } from '../store.ts';
import { type ItemChange, keyText } from './changes.ts';
import { type JournalEntry, newer, ReplicationJournal, type Version } from './journal.ts';

export interface ReplicaOptions {
  region: string;
  store: ReplicaPort;
  /** The journal's file; in memory when undefined. */
  journalFile?: string;
}

/** One delivered write: AWS/DynamoDB ReplicationLatency, dimensions TableName and ReceivingRegion. */
export interface ReplicationSample {
  tableName: string;
  receivingRegion: string;
  sourceRegion: string;
  latencyMs: number;
  at: number;
}

export interface ReplicaStatus {
  region: string;
  /** Whether replication to and from this region is held (the region is down). */
  held: boolean;
  /** Writes made elsewhere not yet applied here. */
  pendingIn: number;
  /** Age of the oldest of them, ms (0 when none): how far this replica is behind. */
  lagMs: number;
  /** Writes made here not yet applied everywhere (the RPO if this region failed now). */
  pendingOut: number;
  /** Age of the oldest of them, ms (0 when none). */
  oldestPendingOutMs: number;
  /** The last ReplicationLatency observed into this region, ms. */
  lastLatencyMs?: number;
}

/** Whether the replicas agree on every item written since a point in time. */
export interface ConsistencyReport {
  since: number;
  /** Items written (in any region) since then, each checked in every region. */
  checked: number;
  /** Writes made in each region since then (each item counted once, in the region of its last write). */
  writtenIn: Record<string, number>;
  /** Items whose replicas differ (at most 20 listed), e.g. missing in one region. */
  divergent: { table: string; key: Record<string, unknown>; detail: string }[];
  divergentCount: number;
}

export interface GlobalTables {
  /**
   * Compares every item written since `since` across the replicas (read as each holds it now).
   * Meaningful once replication has drained.
   */
  verify(since: number): Promise<ConsistencyReport>;
  /** Stops replication to and from `region` (its outage); writes keep being journaled. */
  hold(region: string): void;
  /** Resumes it: the backlog drains. */
  release(region: string): void;
  status(): ReplicaStatus[];
  /** Told about every write applied in another replica. */
  onReplicated(listener: (sample: ReplicationSample) => void): () => void;
  /** Resolves once nothing deliverable is pending (held regions aside). For tests and the drill. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

interface Replica {
  region: string;
  store: ReplicaPort;
  journal: ReplicationJournal;
  lastLatencyMs?: number;
}

/** Items applied under one exclusive hold of the destination (which holds its client requests meanwhile). */
const BATCH = 100;
/** After a failed delivery (a store closing), try again this much later. */
const RETRY_MS = 500;

export async function createGlobalTables(options: {
  replicas: ReplicaOptions[];
  lagMs: number;
}): Promise<GlobalTables> {
  const replicas: Replica[] = [];
  for (const r of options.replicas) {
    replicas.push({
      region: r.region,
      store: r.store,
      journal: await ReplicationJournal.open(r.region, r.journalFile, r.store.keyNames),
    });
  }
  const held = new Set<string>();
  const listeners = new Set<(sample: ReplicationSample) => void>();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  const idle = new Set<() => void>();
  let closed = false;

  const pairs: [Replica, Replica][] = [];
  for (const from of replicas) for (const to of replicas) if (from !== to) pairs.push([from, to]);
  const name = (from: Replica, to: Replica) => `${from.region}>${to.region}`;

  /**
   * Delivers a batch: the source's images read in parallel, then applied under one exclusive hold of
   * the destination and journaled there with one fsync (one apply and fsync per item fell behind a
   * steady 20 writes/s on a busy disk).
   */
  const deliver = async (from: Replica, to: Replica, entries: JournalEntry[]): Promise<void> => {
    const byKey = new Map<string, JournalEntry[]>();
    for (const entry of entries) {
      const text = keyText(entry.table, entry.key, from.store.keyNames);
      byKey.set(text, [...(byKey.get(text) ?? []), entry]);
    }
    const groups = [...byKey.values()];
    for (let start = 0; start < groups.length; start += BATCH) {
      if (closed || held.has(from.region) || held.has(to.region)) return;
      const batch = groups.slice(start, start + BATCH).map((group) => {
        const change: ItemChange = { table: group[0].table, key: group[0].key };
        // The version first: the image read after it is at least as new (see the top of this file).
        const version = from.journal.version(change.table, change.key) ?? { t: group[0].t, origin: from.region };
        return { group, change, version };
      });
      const images = await Promise.all(batch.map(({ change }) => from.store.items.get(change.table, change.key)));
      await to.store.exclusive(async (items) => {
        const applied: { change: ItemChange; version: Version }[] = [];
        for (const [i, { change, version }] of batch.entries()) {
          if (!newer(version, to.journal.version(change.table, change.key))) continue;
          const item = images[i];
          if (item) await items.put(change.table, item);
          else await items.delete(change.table, change.key);
          applied.push({ change, version });
        }
        await to.journal.recordApplied(applied);
      });
      const at = Date.now();
      for (const { group } of batch) {
        for (const entry of group) {
          from.journal.delivered(entry, to.region);
          const latencyMs = at - entry.t;
          to.lastLatencyMs = latencyMs;
          const sample = {
            tableName: entry.table,
            receivingRegion: to.region,
            sourceRegion: from.region,
            latencyMs,
            at,
          };
          for (const listener of listeners) listener(sample);
        }
      }
    }
  };

  const schedule = (from: Replica, to: Replica, delayMs: number) => {
    const id = name(from, to);
    if (closed || timers.has(id) || running.has(id)) return;
    const timer = setTimeout(
      () => {
        timers.delete(id);
        const run = pump(from, to).then((next) => {
          running.delete(id);
          if (next !== undefined) schedule(from, to, next);
          settle();
        });
        running.set(id, run);
      },
      Math.max(0, delayMs),
    );
    timer.unref();
    timers.set(id, timer);
  };

  /** Delivers what is due; answers when to run again (undefined: nothing left to deliver). */
  const pump = async (from: Replica, to: Replica): Promise<number | undefined> => {
    if (closed || held.has(from.region) || held.has(to.region)) return undefined;
    const now = Date.now();
    const pending = from.journal.pending(to.region);
    const due = pending.filter((e) => e.t + options.lagMs <= now);
    let retry = false;
    try {
      await deliver(from, to, due);
    } catch {
      retry = true;
    }
    const rest = from.journal.pending(to.region);
    if (rest.length === 0) return undefined;
    return retry ? RETRY_MS : Math.min(...rest.map((e) => e.t)) + options.lagMs - Date.now();
  };

  const settle = () => {
    if (timers.size > 0 || running.size > 0) return;
    for (const resolve of idle) resolve();
    idle.clear();
  };

  for (const replica of replicas) {
    const others = replicas.filter((r) => r !== replica).map((r) => r.region);
    replica.store.onWrite = async (changes) => {
      await replica.journal.recordWrites(changes, others);
      for (const [from, to] of pairs) if (from === replica) schedule(from, to, options.lagMs);
    };
  }
  // A journal reopened after a crash or restart may hold writes that never left.
  for (const [from, to] of pairs) if (from.journal.pending(to.region).length > 0) schedule(from, to, 0);

  const oldestAge = (entries: JournalEntry[], now: number) =>
    entries.length === 0 ? 0 : Math.max(0, now - Math.min(...entries.map((e) => e.t)));

  return {
    async verify(since) {
      const seen = new Map<string, ItemChange & { origin: string }>();
      for (const replica of replicas) {
        for (const item of replica.journal.writtenSince(since)) {
          seen.set(keyText(item.table, item.key, replica.store.keyNames), {
            table: item.table,
            key: item.key,
            origin: item.version.origin,
          });
        }
      }
      const writtenIn: Record<string, number> = Object.fromEntries(replicas.map((r) => [r.region, 0]));
      const divergent: ConsistencyReport['divergent'] = [];
      let divergentCount = 0;
      for (const item of seen.values()) {
        if (item.origin in writtenIn) writtenIn[item.origin]++;
        const images = await Promise.all(
          replicas.map(async (r) => {
            const got = await r.store.items.get(item.table, item.key);
            return got ? JSON.stringify(Object.entries(got).sort(([a], [b]) => (a < b ? -1 : 1))) : undefined;
          }),
        );
        if (images.every((image) => image === images[0])) continue;
        divergentCount++;
        if (divergent.length < 20) {
          const missing = replicas.filter((_, i) => images[i] === undefined).map((r) => r.region);
          divergent.push({
            table: item.table,
            key: item.key,
            detail: missing.length > 0 ? `missing in ${missing.join(', ')}` : 'differs between regions',
          });
        }
      }
      return { since, checked: seen.size, writtenIn, divergent, divergentCount };
    },
    hold(region) {
      held.add(region);
    },
    release(region) {
      held.delete(region);
      for (const [from, to] of pairs) if (from.journal.pending(to.region).length > 0) schedule(from, to, 0);
    },
    status() {
      const now = Date.now();
      return replicas.map((replica) => {
        const incoming = replicas.filter((r) => r !== replica).flatMap((r) => r.journal.pending(replica.region));
        const outgoing = replicas.filter((r) => r !== replica).flatMap((r) => replica.journal.pending(r.region));
        return {
          region: replica.region,
          held: held.has(replica.region),
          pendingIn: incoming.length,
          lagMs: oldestAge(incoming, now),
          pendingOut: outgoing.length,
          oldestPendingOutMs: oldestAge(outgoing, now),
          lastLatencyMs: replica.lastLatencyMs,
        };
      });
    },
    onReplicated(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    drained() {
      const deliverable = pairs.some(
        ([from, to]) => !held.has(from.region) && !held.has(to.region) && from.journal.pending(to.region).length > 0,
      );
      if (!deliverable && running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idle.add(resolve));
    },
    async close() {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all(running.values());
      for (const replica of replicas) replica.store.onWrite = undefined;
      await Promise.all(replicas.map((r) => r.journal.close()));
      settle();
    },
  };
}
