/**
 * The local console: the dashboard page, JSON endpoints for everything it shows, a Server-Sent
 * Events stream that pushes a snapshot every second (and alarm and budget notifications at once),
 * a log stream for `gantry logs -f`, and `/metrics` for Prometheus.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpOrigin, type ResolvedConfig } from '../config/index.ts';
import type { CostMeter } from '../cost/index.ts';
import {
  dashboardData,
  FilterPatternError,
  MetricQueryError,
  type Namespace,
  PROMETHEUS_CONTENT_TYPE,
  renderExposition,
  type Telemetry,
  telemetryFamilies,
} from '../telemetry/index.ts';
import type { ConsoleEvent, Overview, StatusSnapshot } from './api-types.ts';
import { createAssetCache } from './assets.ts';
import { type FaultControl, handleChaos, isChaosPath } from './chaos.ts';
import {
  BadRequest,
  costFamilies,
  logQuery,
  metricQuery,
  number,
  SSE_HEADERS,
  sendDocument,
  sendJson,
  writeEvent,
} from './http.ts';
import { type RegionsControl, routeRegions } from './regions.ts';
import { buildStatus, goldenSignals, routeTable } from './signals.ts';

export interface ConsoleServerOptions {
  config: ResolvedConfig;
  telemetry: Telemetry;
  cost: CostMeter;
  /** What the runtime and gateway know (URL, environments); called per request to `/api/status`. */
  status?: () => StatusSnapshot;
  /** Milliseconds between `snapshot` events. @default 1000 */
  snapshotIntervalMs?: number;
  /** Range and period of the charts in snapshots. @default 300 s in 5 s periods */
  chartRangeSeconds?: number;
  chartPeriodSeconds?: number;
  /** Window of the golden signals and the route table. @default 60 s */
  signalWindowSeconds?: number;
  /** gantry dev's faults (`/api/chaos/faults`); without it those endpoints answer 404. */
  faults?: FaultControl;
  /**
   * Public JSON documents by path (`gantry dev` serves its local issuer's discovery documents and JWKS
   * here), built once the console knows its own origin, for the absolute URLs they contain.
   */
  documents?: (origin: string) => ReadonlyMap<string, unknown>;
  /** The regions of a two-region gantry dev (`/api/regions`). */
  regions?: RegionsControl;
}

export interface ConsoleServer {
  listen(port: number, host?: string): Promise<{ port: number; host: string; url: string }>;
  /** A reloaded config (routes, functions, names); the telemetry it shows is the same. */
  reconfigure(config: ResolvedConfig): void;
  close(): Promise<void>;
}

export function createConsoleServer(options: ConsoleServerOptions): ConsoleServer {
  const { telemetry, cost } = options;
  let config = options.config;
  const assets = createAssetCache();
  const statusOf = options.status ?? (() => ({ url: '' }));
  const chartRange = options.chartRangeSeconds ?? 300;
  const chartPeriod = options.chartPeriodSeconds ?? 5;
  const signalWindow = options.signalWindowSeconds ?? 60;
  const clients = new Set<ServerResponse>();
  const streams = new Set<ServerResponse>();
  let lastLogSeq = telemetry.logs.lastSeq;
  let snapshotTimer: NodeJS.Timeout | undefined;
  let documents: ReadonlyMap<string, unknown> | undefined;
  let origin: string | undefined;

  function overview(logs: Overview['logs']): Overview {
    return {
      time: telemetry.clock(),
      api: buildStatus(config, telemetry, statusOf()).api,
      signals: goldenSignals(telemetry, signalWindow),
      routes: routeTable(telemetry, signalWindow),
      alarms: telemetry.alarms.describe(),
      cost: cost.report(),
      logs,
      widgets: dashboardData(config, telemetry.metrics, {
        end: telemetry.clock(),
        rangeSeconds: chartRange,
        period: chartPeriod,
        custom: telemetry.customMetrics.list(),
      }),
      faults: options.faults?.list() ?? [],
      twoRegions: options.regions !== undefined,
    };
  }

  function broadcast(event: ConsoleEvent): void {
    for (const client of clients) writeEvent(client, event);
  }

  function sendSnapshot(): void {
    if (clients.size === 0) return;
    const logs = telemetry.logs.query({ afterSeq: lastLogSeq, limit: 100 });
    lastLogSeq = telemetry.logs.lastSeq;
    broadcast({ type: 'snapshot', data: overview(logs) });
  }

  const stopAlarms = telemetry.alarms.onTransition((transition) => broadcast({ type: 'alarm', data: transition }));
  const stopBudget = cost.onBudgetAlert((event) =>
    broadcast({
      type: 'budget',
      data: {
        line: event.line,
        raised: event.raised,
        projectedMonthlyUsd: event.projectedMonthlyUsd,
        budgetUsd: event.budgetUsd,
      },
    }),
  );

  function openEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, SSE_HEADERS);
    res.write(': gantry console\n\n');
    clients.add(res);
    writeEvent(res, { type: 'snapshot', data: overview(telemetry.logs.query({ limit: 100 })) });
    snapshotTimer ??= setInterval(sendSnapshot, options.snapshotIntervalMs ?? 1000);
    snapshotTimer.unref();
    req.on('close', () => {
      clients.delete(res);
      if (clients.size === 0 && snapshotTimer) {
        clearInterval(snapshotTimer);
        snapshotTimer = undefined;
      }
    });
  }

  function openLogStream(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
    const query = logQuery(params);
    const backlog = params.has('since') || params.has('after') ? telemetry.logs.query(query) : [];
    res.writeHead(200, SSE_HEADERS);
    res.write(': gantry logs\n\n');
    for (const entry of backlog) writeEvent(res, { type: 'log', data: entry });
    const stop = telemetry.logs.subscribe(query, (entry) => writeEvent(res, { type: 'log', data: entry }));
    streams.add(res);
    req.on('close', () => {
      stop();
      streams.delete(res);
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    const params = url.searchParams;
    if (isChaosPath(url.pathname)) return handleChaos(options.faults, req, res, url.pathname);
    if (await routeRegions(req, res, url.pathname, options.regions)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { message: `${req.method} is not supported; the console is read-only` });
      return;
    }
    switch (url.pathname) {
      case '/api/status':
        return sendJson(res, 200, buildStatus(config, telemetry, statusOf()));
      case '/api/overview':
        return sendJson(res, 200, overview(telemetry.logs.query({ limit: 100 })));
      case '/api/signals':
        return sendJson(res, 200, goldenSignals(telemetry, number(params, 'window', signalWindow)));
      case '/api/routes':
        return sendJson(res, 200, routeTable(telemetry, number(params, 'window', signalWindow)));
      case '/api/dashboard':
        return sendJson(
          res,
          200,
          dashboardData(config, telemetry.metrics, {
            end: telemetry.clock(),
            rangeSeconds: number(params, 'range', chartRange)!,
            period: number(params, 'period', chartPeriod)!,
            custom: telemetry.customMetrics.list(),
          }),
        );
      case '/api/metrics':
        return sendJson(res, 200, telemetry.getMetricData(metricQuery(params, telemetry.clock())));
      case '/api/metrics/list':
        return sendJson(res, 200, telemetry.metrics.list((params.get('namespace') as Namespace) || undefined));
      case '/api/alarms':
        return sendJson(res, 200, { alarms: telemetry.alarms.describe(), history: telemetry.alarms.history() });
      case '/api/logs':
        return sendJson(res, 200, telemetry.logs.query(logQuery(params)));
      case '/api/logs/stream':
        return openLogStream(req, res, params);
      case '/api/cost':
        return sendJson(res, 200, cost.report());
      case '/api/events':
        return openEvents(req, res);
      case '/metrics': {
        const text = renderExposition([...telemetryFamilies(telemetry), ...costFamilies(cost.report())]);
        res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      default: {
        const document = documents?.get(url.pathname);
        if (document !== undefined) return sendDocument(res, document, req.method === 'HEAD');
        const asset = await assets.get(url.pathname === '/index.html' ? '/' : url.pathname);
        if (!asset) return sendJson(res, 404, { message: `no console page or endpoint at ${url.pathname}` });
        res.writeHead(200, {
          'content-type': asset.contentType,
          'content-length': asset.body.length,
          'cache-control': 'no-cache',
        });
        res.end(req.method === 'HEAD' ? undefined : asset.body);
      }
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: Error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const expected =
        error instanceof BadRequest || error instanceof MetricQueryError || error instanceof FilterPatternError;
      sendJson(res, expected ? 400 : 500, { message: error.message });
    });
  });
  server.keepAliveTimeout = 5000;

  return {
    async listen(port, host = '127.0.0.1') {
      server.listen(port, host);
      await once(server, 'listening');
      const address = server.address() as AddressInfo;
      const url = httpOrigin(address.address, address.port);
      origin = url;
      documents = options.documents?.(url);
      return { port: address.port, host: address.address, url };
    },
    reconfigure(next) {
      config = next;
      // The documents follow the config (its issuers); their URLs stay this console's.
      if (origin !== undefined) documents = options.documents?.(origin);
    },
    async close() {
      stopAlarms();
      stopBudget();
      if (snapshotTimer) clearInterval(snapshotTimer);
      snapshotTimer = undefined;
      for (const res of [...clients, ...streams]) res.end();
      clients.clear();
      streams.clear();
      if (!server.listening) return;
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
