/**
 * Composes `gantry dev`: store → telemetry → runtime → gateway → console. Wiring only: every
 * behaviour lives in the folder that owns it. Exported for tests and the benchmark, which run the
 * same composition a user gets from the command line.
 */
import { join } from 'node:path';
import { FaultRegistry, type RegionOutages } from '../chaos/index.ts';
import {
  consolePortFor,
  DEFAULT_DEV_PORT,
  httpOrigin,
  type ResolvedConfig,
  runtimeWarnings,
  stageBasePath,
  usesLocalIssuer,
} from '../config/index.ts';
import { type ConsoleServerOptions, createConsoleServer, type RegionsControl } from '../console/index.ts';
import { type CostMeter, createCostMeter } from '../cost/index.ts';
import { createGateway, type Gateway, unenforcedFeatures } from '../gateway/index.ts';
import { issuerDocuments, keySetOf, loadIssuerKey, localIssuerEndpoints } from '../identity/index.ts';
import { createRuntime, type Runtime, SandboxReserve } from '../runtime/index.ts';
import type { RuntimeObserver } from '../runtime/types.ts';
import { type Store, type TableRequest, type TableSetup, tableAccessPolicy } from '../store/index.ts';
import { createTelemetry, type Telemetry, type TelemetryOptions } from '../telemetry/index.ts';
import type { RequestRecorder } from '../telemetry/recorder.ts';
import { environmentsOf, observe, recorderFor } from './dev-observers.ts';
import { listening } from './dev-ports.ts';
import { startDevStore } from './dev-store.ts';

export interface DevServerOptions {
  port?: number;
  host?: string;
  /** Console port; `false` runs no console. @default port + 1 (a free one when port is 0) */
  consolePort?: number | false;
  /** Where tables persist; `null` keeps them in memory. @default .gantry/data beside the config */
  dataDir?: string | null;
  /** @default 0 (a free port) */
  storePort?: number;
  /**
   * The region this server is (two-region configs run one per region): handlers see it in
   * AWS_REGION, the gateway in its domain name and account quota. @default config.regions.primary
   */
  region?: string;
  /** Rebuild handlers when their files change. @default false */
  watch?: boolean;
  /** Sees function logs, reloads and the rest, after telemetry has recorded them (the terminal printer). */
  observer?: RuntimeObserver;
  /** `false` leaves the fault registry unattached: the benchmark's "chaos compiled out" side. */
  chaos?: false;
  /** `false` records nothing: the benchmark's "telemetry off" side. */
  telemetry?: TelemetryOptions | false;
  /** The regions of a two-region gantry dev, for the console's `/api/regions`. */
  regions?: RegionsControl;
  /** The same regions as chaos takes them down (`gantry:region:outage`): with `regions`, on the console's server. */
  regionOutages?: RegionOutages;
  /** What the console's chaos endpoints inject into and list (two regions: both regions' faults). @default this server's */
  consoleFaults?: ConsoleServerOptions['faults'];
  /** Chart and snapshot settings of the console. */
  console?: Pick<ConsoleServerOptions, 'chartPeriodSeconds' | 'chartRangeSeconds' | 'snapshotIntervalMs'>;
  /** Also sees every request sample (tests comparing metrics with raw samples). */
  onRequest?: RequestRecorder['recordRequest'];
  /**
   * A running store to use instead of starting one: a config reload keeps the store, so in-memory
   * tables keep their items. Its owner closes it; `storePort` and `dataDir` are then unused.
   */
  store?: Store;
  /**
   * Where the runtimes' pre-started sandboxes come from: a two-region gantry dev gives its regions one
   * (runtime/sandbox-reserve.ts). @default one of this server's, shared by the runtimes its reloads start
   */
  sandboxReserve?: SandboxReserve;
}

export interface DevServer {
  config: ResolvedConfig;
  /** Base URL of the API including the stage prefix, e.g. `http://127.0.0.1:3000/api`. */
  url: string;
  port: number;
  host: string;
  /** Undefined when the console is off. */
  consoleUrl?: string;
  consolePort?: number;
  /** The local issuer's documents on the console, per authorizer it stands in for (none without a console). */
  issuers: LocalIssuerUrls[];
  store: Store;
  /** This config's tables and what starting did to each (created, existing). */
  tables: TableSetup[];
  runtime: Runtime;
  gateway: Gateway;
  telemetry?: Telemetry;
  cost?: CostMeter;
  /** The faults of this server (`gantry chaos`): they end with it. */
  chaos: FaultRegistry;
  warnings: string[];
  /**
   * Serves `config` from now on, keeping what it has seen: the gateway's listener, connections and
   * token buckets, telemetry (metrics, logs, alarm states), the cost meter, the console and the store.
   * The new config's functions are built first, while this one serves: if they do not build this
   * rejects (a RuntimeStartError) and nothing changes. Invocations in flight finish on the old code.
   */
  reload(config: ResolvedConfig): Promise<void>;
  /**
   * reload() in two steps, for servers that must switch together (two regions): everything that can
   * fail happens here; `commit` then swaps without awaiting, `discard` drops what was prepared.
   */
  prepareReload(config: ResolvedConfig): Promise<PreparedReload>;
  /** Stops accepting new connections (API and console); requests on open ones are answered until close(). */
  stopAccepting(): Promise<void>;
  /** Graceful: in-flight requests finish, workers stop, the store flushes to disk. */
  close(): Promise<void>;
}

export interface PreparedReload {
  commit(): void;
  discard(): Promise<void>;
}

export interface LocalIssuerUrls {
  authorizer: string;
  /** The configured issuer: the `iss` of its tokens. */
  issuer: string;
  discoveryUrl: string;
  jwksUrl: string;
}

export function longestIntegrationTimeoutMs(config: ResolvedConfig): number {
  let longest = 0;
  for (const route of config.routes) longest = Math.max(longest, route.timeoutInMillis);
  return longest;
}

/**
 * A dev server built but not yet listening: the config's telemetry, tables and bundled functions are
 * ready. A config reload prepares the next one while the current one still serves, so a config whose
 * handlers do not build never takes the running API down.
 */
export interface PreparedDevServer {
  /** Binds the API (and console) ports and starts answering. */
  listen(): Promise<DevServer>;
  /** Undoes the preparation (workers, telemetry; the store too unless it was given). */
  discard(): Promise<void>;
}

export async function startDevServer(config: ResolvedConfig, options: DevServerOptions = {}): Promise<DevServer> {
  return (await prepareDevServer(config, options)).listen();
}

export async function prepareDevServer(
  config: ResolvedConfig,
  options: DevServerOptions = {},
): Promise<PreparedDevServer> {
  const host = options.host ?? '127.0.0.1';
  // Undone in reverse order if a later step fails, so a failed start leaves nothing running.
  const undo: (() => Promise<void> | void)[] = [];
  const unwind = async () => {
    for (const step of undo.reverse()) await step();
  };
  try {
    const telemetry = options.telemetry === false ? undefined : createTelemetry(config, options.telemetry);
    if (telemetry) undo.push(() => telemetry.close());
    // Table traffic feeds AWS/DynamoDB metrics and the DynamoDB line of the cost meter.
    const onTableRequest = telemetry && ((request: TableRequest) => telemetry.recordTableRequest(request));

    const store = options.store ?? (await startDevStore(config, options));
    if (!options.store) undo.push(() => store.close());

    const sandboxReserve = options.sandboxReserve ?? new SandboxReserve();
    const newRuntime = async (next: ResolvedConfig) => {
      const built = createRuntime(next, {
        sandboxReserve,
        observer: observe(telemetry, options.observer),
        watch: options.watch ?? false,
        environment: { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint },
        // A function's store calls are counted before its result is seen, without a wake-up of their own.
        onAnswer: onTableRequest && store.readUnits?.bind(store),
        region: options.region,
        // Each region bundles into its own folder: two runtimes writing one bundle would race.
        buildDir:
          options.region && options.region !== next.regions.primary
            ? join(next.dir, '.gantry', 'build', options.region)
            : undefined,
      });
      try {
        await built.start();
      } catch (error) {
        await built.stop();
        throw error;
      }
      return built;
    };
    // The local issuer's key, when an authorizer trusts it: created under .gantry/ on first use.
    const issuerKeysFor = async (next: ResolvedConfig) =>
      Object.values(next.authorizers).some(usesLocalIssuer) ? keySetOf(await loadIssuerKey(next.dir)) : undefined;
    let runtime = await newRuntime(config);
    // The runtime of the config being served, whichever it is by then; old ones are stopped on reload.
    undo.push(() => runtime.stop());
    // Replaced on reload, with the config they belong to.
    let issuer = { config, keys: await issuerKeysFor(config) };
    const localIssuerKeys = issuer.keys;
    // A given store gets this config's new tables only once its functions have built, so a rejected
    // reload leaves no tables behind.
    const tables = options.store ? await store.ensureTables(Object.values(config.tables)) : store.tables;

    const listen = async (): Promise<DevServer> => {
      try {
        // The store reports to this server's telemetry until it closes (a reload's next server takes over).
        store.onRequest = onTableRequest;
        // This config's table access, enforced as the deployed roles will (store/access.ts).
        store.access = tableAccessPolicy(config);
        undo.push(() => {
          if (store.onRequest === onTableRequest) store.onRequest = undefined;
        });
        const gateway = createGateway({
          config,
          invoker: runtime,
          region: options.region,
          recorder: recorderFor(telemetry, options.onRequest),
          accountThrottle: config.local.accountThrottle,
          localIssuerKeys,
          // Every request is answered within its integration timeout (at most 30 s): closing waits for that.
          shutdownTimeoutMs: longestIntegrationTimeoutMs(config) + 1000,
        });
        // Closed whatever happens next, so a failed listen does not leave its agent open.
        undo.push(() => gateway.close());
        // Faults fill the gateway's, runtime's and store's slots only while one concerns them.
        const chaos = new FaultRegistry(config, {
          clock: telemetry?.clock,
          log: telemetry?.log,
          regions: options.regionOutages,
          // Two regions: each fault says which region's function, route or table it hits.
          region: config.regions.secondary ? options.region : undefined,
        });
        const attach = (target: Runtime) =>
          options.chaos === false ? () => {} : chaos.attach({ runtime: target, gateway, store });
        let detach = attach(runtime);
        undo.push(async () => {
          chaos.close();
          detach();
          // A region an outage fault held comes back (its listener reopens before this server closes).
          await chaos.settled();
        });
        const apiPort = options.port ?? DEFAULT_DEV_PORT;
        const address = await listening('API', '--port', host, apiPort, () => gateway.listen(apiPort, host));
        const url = `${httpOrigin(address.host, address.port)}${stageBasePath(config.stage.name)}`;

        let cost: CostMeter | undefined;
        let consoleUrl: string | undefined;
        let consoleServer: ReturnType<typeof createConsoleServer> | undefined;
        let consolePort: number | undefined;
        if (telemetry && options.consolePort !== false) {
          const meter = createCostMeter({ config, telemetry });
          cost = meter;
          undo.push(() => meter.close());
          const viewer = createConsoleServer({
            faults: options.consoleFaults ?? chaos,
            config,
            telemetry,
            cost: meter,
            status: () => ({ url, environments: environmentsOf(runtime) }),
            documents: (origin) =>
              issuer.keys ? issuerDocuments(issuer.config, issuer.keys, origin) : new Map<string, unknown>(),
            regions: options.regions,
            ...options.console,
          });
          const wanted = options.consolePort ?? (options.port === 0 ? 0 : consolePortFor(address.port));
          consoleServer = viewer;
          undo.push(() => viewer.close());
          const bound = await listening('console', '--console-port', host, wanted, () => viewer.listen(wanted, host));
          consoleUrl = bound.url;
          consolePort = bound.port;
        }

        const issuersOf = (c: ResolvedConfig, keys: typeof localIssuerKeys) =>
          consoleUrl === undefined || keys === undefined
            ? []
            : localIssuerEndpoints(c).map((e) => ({
                authorizer: e.authorizer,
                issuer: e.issuer,
                discoveryUrl: `${consoleUrl}${e.discoveryPath}`,
                jwksUrl: `${consoleUrl}${e.jwksPath}`,
              }));
        const warningsOf = (c: ResolvedConfig, t: TableSetup[]) => [
          ...unenforcedFeatures(c),
          ...runtimeWarnings(c.functions, process.version),
          ...t.flatMap((table) => (table.warning ? [table.warning] : [])),
        ];
        // Runtimes of earlier configs, finishing their invocations in flight: close() waits for them.
        const retiring = new Set<Promise<void>>();
        let closing: Promise<void> | undefined;
        const server: DevServer = {
          config,
          url,
          port: address.port,
          host: address.host,
          consoleUrl,
          consolePort,
          issuers: issuersOf(config, localIssuerKeys),
          store,
          tables,
          runtime,
          gateway,
          telemetry,
          cost,
          chaos,
          warnings: warningsOf(config, tables),
          async reload(next) {
            (await server.prepareReload(next)).commit();
          },
          async prepareReload(next) {
            const nextRuntime = await newRuntime(next);
            let nextKeys: Awaited<ReturnType<typeof issuerKeysFor>>;
            let nextTables: TableSetup[];
            try {
              nextKeys = await issuerKeysFor(next);
              nextTables = await store.ensureTables(Object.values(next.tables));
            } catch (error) {
              await nextRuntime.stop();
              throw error;
            }
            // commit() awaits nothing: every request sees either the old config or the new one.
            const commit = () => {
              const old = runtime;
              old.unwatch();
              runtime = nextRuntime;
              telemetry?.reconfigure(next);
              cost?.reconfigure(next);
              consoleServer?.reconfigure(next);
              gateway.reload(next, { invoker: nextRuntime, localIssuerKeys: nextKeys });
              issuer = { config: next, keys: nextKeys };
              // The edited config's grants (functions.NAME.tables), enforced from its first request.
              store.access = tableAccessPolicy(next);
              chaos.reconfigure(next);
              detach();
              detach = attach(nextRuntime);
              Object.assign(server, {
                config: next,
                runtime: nextRuntime,
                tables: nextTables,
                warnings: warningsOf(next, nextTables),
                issuers: issuersOf(next, nextKeys),
              });
              const stopped: Promise<void> = old.stop().finally(() => retiring.delete(stopped));
              retiring.add(stopped);
            };
            return { commit, discard: () => nextRuntime.stop() };
          },
          async stopAccepting() {
            gateway.stopListening();
            runtime.unwatch();
            await consoleServer?.close();
          },
          close() {
            // Console first (no new viewers), then the gateway drains, then workers, then the store flushes.
            closing ??= Promise.all(retiring).then(unwind);
            return closing;
          },
        };
        return server;
      } catch (error) {
        await unwind();
        throw error;
      }
    };
    return { listen, discard: unwind };
  } catch (error) {
    await unwind();
    throw error;
  }
}
