/**
 * Composes a two-region `gantry dev`: one stack per region (store, runtime, gateway, telemetry), the
 * stores joined as a global table, and the global endpoint routing between the regional gateways as
 * Route 53 would, with health checks on each. Region outages (down/up) are the one control it adds;
 * the console exposes it. Wiring only: replication lives in src/store, routing in src/traffic.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { MANUAL_HOLD, RegionalFaults, RegionHolds } from '../chaos/index.ts';
import { httpOrigin, type ResolvedConfig, regionalPortsFor, servedRegions, stageBasePath } from '../config/index.ts';
import {
  goldenSignals,
  RegionError,
  type RegionEvent,
  type RegionsControl,
  type RegionsView,
} from '../console/index.ts';
import { answerClientError, LISTENER_TIMEOUTS } from '../gateway/index.ts';
import { SandboxReserve } from '../runtime/index.ts';
import { type Store, StoreThread, type ThreadGlobalTables } from '../store/index.ts';
import { createGlobalEndpoint, EndpointRouter, type GlobalEndpoint, type RoutingPolicy } from '../traffic/index.ts';
import { PortInUseError } from './dev-ports.ts';
import { type DevServer, type DevServerOptions, longestIntegrationTimeoutMs, startDevServer } from './dev-server.ts';
import { defaultDataDir, startDevStore } from './dev-store.ts';
import { reloadRegions } from './regions-reload.ts';

export interface RegionalDevOptions {
  /** The global endpoint's port (`--port`). */
  port: number;
  host: string;
  storePort: number;
  /** As DevServerOptions.dataDir: `null` in memory. The secondary's folder is this one + `-{region}`. */
  dataDir: string | null | undefined;
  /**
   * Options of each region's server (the console runs beside the primary's): per region, so that
   * what a server prints can say which region it is.
   */
  server: (region: string) => DevServerOptions;
}

export interface RegionalDev {
  config: ResolvedConfig;
  /** The global endpoint, stage path included. */
  url: string;
  port: number;
  host: string;
  regions: string[];
  servers: DevServer[];
  stores: Store[];
  tables: ThreadGlobalTables;
  router: EndpointRouter;
  control: RegionsControl;
  events(): RegionEvent[];
  /** Both regions serve `config` from now on, or neither does (regions-reload.ts). */
  reload(config: ResolvedConfig): Promise<void>;
  stopAccepting(): Promise<void>;
  close(): Promise<void>;
}

/** Events kept for the console and the drill. */
const MAX_EVENTS = 500;
/** Route 53 allows 4 s to connect and 2 s more for the response. */
const PROBE_TIMEOUT_MS = 6000;

export function routingPolicyOf(config: ResolvedConfig): RoutingPolicy {
  const { primary, secondary, routing } = config.regions;
  if (routing.policy === 'weighted') return { type: 'weighted', weights: routing.weights };
  // Given round trips, never the probes' own: two local regions measure alike, and the answer would
  // flap between them with every probe.
  if (routing.policy === 'latency') return { type: 'latency', latencyMs: routing.latencyMs };
  return { type: 'failover', order: [primary, secondary!] };
}

/** Fails fast, before two stacks start, when the global endpoint's port is taken. */
async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              `the API port ${port} on ${host} is already in use (another gantry dev?): stop what holds it, or pass --port N (0 picks a free port)`,
            )
          : error,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

export async function startRegionalDev(config: ResolvedConfig, options: RegionalDevOptions): Promise<RegionalDev> {
  await assertPortFree(options.host, options.port);
  const regions = servedRegions(config.regions);
  const ports = regionalPortsFor(options.port);
  const undo: (() => Promise<void> | void)[] = [];
  const unwind = async () => {
    for (const step of undo.reverse()) await step();
  };
  const base = options.dataDir === null ? undefined : (options.dataDir ?? defaultDataDir(config));
  const events: RegionEvent[] = [];
  const note = (event: RegionEvent) => {
    events.push(event);
    if (events.length > MAX_EVENTS) events.shift();
  };
  try {
    // Both regions' stores and the global table between them run in one thread of their own.
    const thread = new StoreThread();
    undo.push(() => thread.terminate());
    const stores: Store[] = [];
    for (const [i, region] of regions.entries()) {
      const store = await startDevStore(config, {
        storePort: i === 0 ? options.storePort : ports.secondaryStore,
        dataDir: base === undefined ? null : i === 0 ? base : `${base}-${region}`,
        thread,
      });
      undo.push(() => store.close());
      stores.push(store);
    }
    const tables = await thread.replicate({
      lagMs: config.local.replicationLagMs,
      replicas: regions.map((region, i) => ({
        region,
        store: stores[i],
        journalFile: base && join(`${base}-journal`, `${region}.jsonl`),
      })),
    });
    undo.push(() => tables.close());

    const servers: DevServer[] = [];
    let view: (() => Promise<RegionsView>) | undefined;
    const control: RegionsControl = {
      view: () => {
        // The console listens before the global endpoint: until then there is nothing to show.
        if (!view) throw new RegionError(503, 'gantry dev is still starting its regions: try again in a moment');
        return view();
      },
      events: () => [...events],
      async consistency(since) {
        const report = await tables.verify(since);
        const pending = (await tables.status()).reduce((sum, r) => sum + r.pendingIn, 0);
        return { ...report, pending };
      },
      async setStatus(region, status) {
        if (!regions.includes(region))
          throw new RegionError(404, `unknown region "${region}": this gantry dev serves ${regions.join(' and ')}`);
        if (status === 'down') return holds.hold(region, MANUAL_HOLD);
        await holds.release(region, MANUAL_HOLD);
        const faults = holds.holdersOf(region);
        if (faults.length) {
          throw new RegionError(
            409,
            `${region} stays down: chaos fault ${faults.join(', ')} (gantry:region:outage) holds it until it ends; gantry chaos stop ${faults[0]} brings it up now`,
          );
        }
      },
    };
    // Health-check probes completed so far, once the router exists.
    let probesOf: (region: string) => number | undefined = () => undefined;
    // Held down by hand (setStatus) and by chaos faults (gantry:region:outage), each on its own.
    const holds = new RegionHolds(async (region, status) => {
      const i = regions.indexOf(region);
      if (status === 'down') {
        await tables.hold(region);
        await servers[i].gateway.suspend();
      } else {
        await servers[i].gateway.resume();
        await tables.release(region);
      }
      // The probes completed by then: the drill counts detection from here, in gantry dev's own time.
      const probes = probesOf(region);
      note({ at: Date.now(), type: status, region, detail: probes === undefined ? undefined : `probe ${probes}` });
    });

    // The console injects into either region's faults (a request's `region`, the primary's by default).
    const faults = new RegionalFaults(regions[0]);
    // Pre-started runtimes are the machine's capacity: both regions' cold starts draw on one reserve.
    const sandboxReserve = new SandboxReserve();
    for (const [i, region] of regions.entries()) {
      const own = options.server(region);
      const server = await startDevServer(config, {
        ...own,
        host: options.host,
        region,
        store: stores[i],
        port: ports.apis[i],
        consolePort: i === 0 ? own.consolePort : false,
        regions: i === 0 ? control : undefined,
        regionOutages: i === 0 ? holds : undefined,
        consoleFaults: i === 0 ? faults : undefined,
        sandboxReserve,
      });
      undo.push(() => server.close());
      servers.push(server);
      faults.add(region, server.chaos);
    }
    tables.onReplicated((sample) => {
      servers[regions.indexOf(sample.sourceRegion)].telemetry?.recordReplicationLatency(
        sample.tableName,
        sample.receivingRegion,
        sample.latencyMs,
      );
    });

    const { healthCheck } = config.regions;
    const live = new EndpointRouter({
      endpoints: regions.map((region, i) => ({ id: region, url: httpOrigin(servers[i].host, servers[i].port) })),
      policy: routingPolicyOf(config),
      healthCheck: {
        path: `${stageBasePath(config.stage.name)}${healthCheck.path}`,
        intervalMs: config.local.healthCheckIntervalSeconds * 1000,
        timeoutMs: PROBE_TIMEOUT_MS,
        failureThreshold: healthCheck.failureThreshold,
      },
    });
    probesOf = (region) => live.checker?.status().find((s) => s.endpoint === region)?.probes;
    live.checker!.onChange((change) =>
      note({
        at: change.at,
        type: change.healthy ? 'healthy' : 'unhealthy',
        region: change.endpoint,
        detail: `probe ${change.sequence}`,
      }),
    );
    live.onServingChange((change) =>
      note({
        at: change.at,
        type: 'serving',
        detail: change.serving.join(',') + (change.lastResort ? ' (no region healthy)' : ''),
      }),
    );
    live.start();
    undo.push(() => live.stop());
    // The regional gateways live in this process: the global endpoint hands them its requests (as
    // DNS hands a client the regional address) rather than proxying over a second connection.
    const global: GlobalEndpoint = createGlobalEndpoint({
      router: live,
      inProcess: new Map(regions.map((region, i) => [region, { serve: servers[i].gateway.adopt }])),
      onClientError: answerClientError,
      // A slow or idle client is cut when the regional gateway would cut it (not Node's 60 s / 300 s).
      timeouts: LISTENER_TIMEOUTS,
      // As each regional gateway: every request is answered within its integration timeout.
      drainTimeoutMs: longestIntegrationTimeoutMs(config) + 1000,
    });
    undo.push(() => global.close());
    const address = await global.listen(options.port, options.host).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      throw new PortInUseError(
        `the API port ${options.port} on ${options.host} is already in use (another gantry dev?): stop what holds it, or pass --port N (0 picks a free port)`,
      );
    });
    const url = `${httpOrigin(address.host, address.port)}${stageBasePath(config.stage.name)}`;
    note({ at: Date.now(), type: 'serving', detail: live.serving().serving.join(',') });

    view = async (): Promise<RegionsView> => {
      const replication = await tables.status();
      const snapshot = live.snapshot();
      const status = live.checker!.status();
      return {
        url,
        routing: { policy: config.regions.routing.policy, serving: snapshot.serving, lastResort: snapshot.lastResort },
        healthCheck: {
          path: healthCheck.path,
          localIntervalSeconds: config.local.healthCheckIntervalSeconds,
          intervalSeconds: healthCheck.intervalSeconds,
          failureThreshold: healthCheck.failureThreshold,
        },
        replicationLagMs: config.local.replicationLagMs,
        regions: regions.map((region, i) => {
          const r = replication[i];
          const probe = status.find((s) => s.endpoint === region);
          return {
            region,
            url: servers[i].url,
            status: holds.isDown(region) ? 'down' : 'up',
            healthy: snapshot.endpoints[i].healthy,
            replicationLagMs: r.lagMs,
            pendingIn: r.pendingIn,
            pendingOut: r.pendingOut,
            oldestPendingOutMs: r.oldestPendingOutMs,
            lastReplicationLatencyMs: r.lastLatencyMs,
            role: config.regions.routing.policy === 'failover' ? (i === 0 ? 'primary' : 'secondary') : undefined,
            weight: config.regions.routing.policy === 'weighted' ? config.regions.routing.weights[region] : undefined,
            latencyMs:
              config.regions.routing.policy === 'latency' ? config.regions.routing.latencyMs[region] : undefined,
            healthCheck: probe && {
              probes: probe.probes,
              lastStatus: probe.last?.status,
              lastReason: probe.last?.reason,
              lastAt: probe.last?.at,
            },
            answered: snapshot.endpoints[i].answered,
            signals: servers[i].telemetry && goldenSignals(servers[i].telemetry!, 60),
          };
        }),
      };
    };

    let closing: Promise<void> | undefined;
    let current = config;
    return {
      get config() {
        return current;
      },
      url,
      port: address.port,
      host: address.host,
      regions,
      servers,
      stores,
      tables,
      router: live,
      control,
      events: () => [...events],
      async reload(next) {
        await reloadRegions(current, next, servers);
        current = next;
      },
      async stopAccepting() {
        global.stopAccepting();
        await Promise.all(servers.map((s) => s.stopAccepting()));
      },
      close() {
        closing ??= unwind();
        return closing;
      },
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}
