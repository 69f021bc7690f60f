/**
 * The console's HTTP API: what each JSON endpoint and SSE event carries. The web page imports these
 * types (types only) so the page and the server cannot disagree on a field.
 */
import type { CostReport } from '../cost/index.ts';
import type { AlarmStatus, AlarmTransition, LogEntry, WidgetData } from '../telemetry/index.ts';

// The page knows the console only through this file (an import rule): the telemetry shapes it shows.
export type { AlarmStatus, AlarmTransition, LogEntry, WidgetData };

/** What `gantry dev` knows and the console does not: the lead wires it from the runtime and gateway. */
export interface StatusSnapshot {
  /** The API's base URL, stage prefix included, e.g. `http://127.0.0.1:3000/api`. */
  url: string;
  /** Execution environments per function (runtime.environments() counted by state). */
  environments?: Record<string, { alive: number; busy: number; idle: number }>;
  /**
   * Whether each route's authorizer is enforced locally. A route missing here counts as enforced
   * (gantry dev enforces JWT and Lambda authorizers).
   */
  enforced?: Record<string, boolean>;
}

/** `GET /api/status`: read by `gantry load --scale-report`; keep the shape stable. */
export interface ApiStatus {
  api: { name: string; apiId: string; stage: string; url: string };
  routes: { routeKey: string; target: string; authorizer?: string; enforced: boolean }[];
  functions: {
    name: string;
    memoryMb: number;
    timeoutSeconds: number;
    reservedConcurrency: number | null;
    /** 0 without provisioned concurrency. */
    provisionedConcurrency: number;
    environments: { alive: number; busy: number; idle: number };
    invocations: number;
    /** Of `invocations` (with provisioned concurrency; 0 without): served by provisioned environments, and spilled over. */
    provisionedInvocations: number;
    spilloverInvocations: number;
    coldStarts: number;
    throttles: number;
    errors: number;
  }[];
  /** ISO 8601. */
  time: string;
}

/** The golden signals over the last `windowSeconds`. Rates are percentages; absent values had no data. */
export interface GoldenSignals {
  windowSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyP50?: number;
  latencyP95?: number;
  latencyP99?: number;
  clientErrorRate?: number;
  serverErrorRate?: number;
  lambda: {
    invocations: number;
    durationP95?: number;
    errors: number;
    throttles: number;
    coldStarts: number;
    /** Busy environments now, all functions. */
    concurrency: number;
    /** Highest ConcurrentExecutions in the window. */
    peakConcurrency: number;
  };
}

export interface RouteRow {
  routeKey: string;
  target: string;
  /** Within the window. */
  requests: number;
  clientErrors: number;
  /** 401 answers (an authorizer's, or the function's own), part of clientErrors. */
  unauthorized: number;
  /** 403 answers, likewise. */
  forbidden: number;
  serverErrors: number;
  latencyP50?: number;
  latencyP95?: number;
  latencyP99?: number;
  integrationLatencyP95?: number;
  /** Since start. */
  totalRequests: number;
}

/** `GET /api/overview` and the `snapshot` SSE event. */
export interface Overview {
  time: number;
  api: ApiStatus['api'];
  signals: GoldenSignals;
  routes: RouteRow[];
  alarms: AlarmStatus[];
  cost: CostReport;
  /** New log records since the previous snapshot (the newest 100), or the recent ones on `GET`. */
  logs: LogEntry[];
  /** The dashboard widgets: present on `GET /api/overview` and in `snapshot` events. */
  widgets: WidgetData[];
  /** Chaos faults: active ones, then the recently ended (`gantry chaos`). */
  faults: FaultView[];
  /** A two-region gantry dev: `/api/regions` answers (a single region has no such view). */
  twoRegions: boolean;
}

/**
 * A chaos fault as `GET /api/chaos/faults` lists it (src/chaos's Fault, field for field). Times are
 * epoch ms; `seen` and `hits` count the invocations or requests asked about and hit.
 */
export interface FaultView {
  id: string;
  action: string;
  targetKind: 'function' | 'route' | 'table' | 'region';
  target: string;
  parameters: Record<string, number | boolean | string>;
  seed: number;
  durationMs: number;
  startedAt: number;
  endsAt: number;
  state: 'active' | 'ended';
  endedAt?: number;
  endReason?: 'expired' | 'stopped';
  source?: string;
  /** A two-region gantry dev: the region whose function, route or table it hits. */
  region?: string;
  seen: number;
  hits: number;
}

/** SSE events on `GET /api/events`. */
export type ConsoleEvent =
  | { type: 'snapshot'; data: Overview }
  | { type: 'alarm'; data: AlarmTransition }
  | { type: 'budget'; data: { line: string; raised: boolean; projectedMonthlyUsd: number; budgetUsd: number } };

/** `gantry federate`'s console: `GET /api/federation` (src/console/federation.ts). */
export interface FederationEndpointView {
  id: string;
  url: string;
  healthy: boolean;
  /** Smoothed round trip of passing probes, ms. */
  latencyMs?: number;
  /** Requests the entry point sent here. */
  answered: number;
  /** answered / Σ answered, 0–1; 0 before the first request. */
  share: number;
  serving: boolean;
  probes?: number;
  /** The last probe: its HTTP status (none when no answer came), why it failed, when. */
  lastProbe?: { ok: boolean; status?: number; reason?: string; latencyMs: number; at: number };
}

export interface FederationView {
  /** The entry point clients call. */
  url: string;
  policy: 'failover' | 'weighted' | 'latency';
  serving: string[];
  /** No endpoint is healthy: every endpoint (or the fallback) answers. */
  lastResort: boolean;
  healthCheck?: { path: string; intervalMs: number; timeoutMs: number; failureThreshold: number };
  endpoints: FederationEndpointView[];
  /** Health flips and serving changes, oldest first, already in words. */
  events: string[];
}

/** `GET /api/regions` of a two-region gantry dev (src/console/regions.ts). */
export interface RegionView {
  region: string;
  /** The regional endpoint, stage path included. */
  url: string;
  /** `down`: taken down on demand (connections refused, replication held). */
  status: 'up' | 'down';
  /** The last health-check verdict (Route 53's view). */
  healthy: boolean;
  /** Age of the oldest write made elsewhere and not yet applied here, ms. */
  replicationLagMs: number;
  /** Writes made elsewhere not yet applied here. */
  pendingIn: number;
  /** Writes made here not yet applied elsewhere: the RPO if this region failed now. */
  pendingOut: number;
  oldestPendingOutMs: number;
  /** The last AWS/DynamoDB ReplicationLatency into this region, ms. */
  lastReplicationLatencyMs?: number;
  role?: 'primary' | 'secondary';
  weight?: number;
  /** Latency routing: the round trip from the clients assumed here (`local.regionLatencyMs`). */
  latencyMs?: number;
  healthCheck?: { probes: number; lastStatus?: number; lastReason?: string; lastAt?: number };
  /** Requests the global endpoint sent here. */
  answered: number;
  signals?: GoldenSignals;
}

export interface RegionsView {
  /** The global endpoint (what the custom domain serves in AWS). */
  url?: string;
  routing: {
    policy: 'failover' | 'weighted' | 'latency' | 'single';
    /** Regions the global endpoint answers from now. */
    serving: string[];
    /** No region is healthy: Route 53's last resort applies (failover ⇒ the primary). */
    lastResort: boolean;
  };
  healthCheck?: {
    path: string;
    /** The probe interval gantry dev uses. */
    localIntervalSeconds: number;
    /** The configured Route 53 RequestInterval, used in AWS. */
    intervalSeconds: number;
    failureThreshold: number;
  };
  replicationLagMs?: number;
  regions: RegionView[];
}
