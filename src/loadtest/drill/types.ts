/**
 * The failover drill's vocabulary. The drill reaches a running two-region `gantry dev` only through
 * `RegionsPort` (the console's regions API, in practice), so it knows nothing of how regions run.
 */

export interface DrillRegion {
  region: string;
  status: 'up' | 'down';
  healthy: boolean;
  pendingIn: number;
  /** Age of the oldest write made elsewhere not yet applied here, ms. */
  replicationLagMs: number;
  pendingOut: number;
  oldestPendingOutMs: number;
  healthCheck?: { probes: number };
}

export interface DrillView {
  url?: string;
  routing: { policy: string; serving: string[]; lastResort: boolean };
  healthCheck?: { path: string; localIntervalSeconds: number; intervalSeconds: number; failureThreshold: number };
  replicationLagMs?: number;
  regions: DrillRegion[];
}

export interface DrillEvent {
  at: number;
  type: 'down' | 'up' | 'unhealthy' | 'healthy' | 'serving';
  region?: string;
  detail?: string;
}

export interface DrillConsistency {
  checked: number;
  writtenIn: Record<string, number>;
  divergent: { table: string; key: Record<string, unknown>; detail: string }[];
  divergentCount: number;
  pending: number;
}

export interface RegionsPort {
  view(): Promise<DrillView>;
  setStatus(region: string, status: 'up' | 'down'): Promise<DrillView>;
  events(): Promise<DrillEvent[]>;
  consistency(since: number): Promise<DrillConsistency>;
}

export interface DrillTargets {
  rtoMs: number;
  rpoMs: number;
}

/** One judged line of the verdict. */
export interface DrillCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DrillReport {
  region: string;
  otherRegions: string[];
  policy: string;
  startedAt: number;
  endedAt: number;
  targets: DrillTargets;
  outageMs: number;
  /** Down → the global endpoint stops answering from the region (undefined: it never did). */
  rtoMs?: number;
  /** Failed probes between the outage and the health flip. */
  detectionProbes?: number;
  /** What the same settings give in AWS: RequestInterval × FailureThreshold + the record's TTL. */
  aws: { intervalSeconds: number; failureThreshold: number; dnsTtlSeconds: number; rtoSeconds: number };
  localIntervalSeconds: number;
  /** Writes acknowledged in the region and not yet in the others when it went down. */
  rpo: { count: number; ageMs: number };
  /** Requests that failed during the failover window, and in the whole run. */
  failedDuringFailover: number;
  requests: { total: number; failed: number };
  /** Up → the global endpoint answers from the region again. */
  failbackMs?: number;
  /** Up → every write held during the outage applied everywhere. */
  catchUpMs?: number;
  consistency: DrillConsistency;
  events: DrillEvent[];
  /** Per-interval load, seconds since startedAt. */
  timeline: { t: number; seconds: number; requests: number; failed: number }[];
  checks: DrillCheck[];
  passed: boolean;
}
