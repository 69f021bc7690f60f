/**
 * The console tests run `gantry dev` itself (the CLI's composition: real runtime on worker threads,
 * real gateway, store, telemetry, cost meter and console) on free loopback ports, with a test clock
 * and chart settings where a test needs them.
 */
import { fileURLToPath } from 'node:url';
import { startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { InvocationReport } from '../../src/runtime/index.ts';
import type { RequestSample } from '../../src/telemetry/index.ts';

export const FIXTURE = fileURLToPath(new URL('./fixtures/dashboard-api/api.config.ts', import.meta.url));

export interface StackOptions {
  clock?: () => number;
  tickIntervalMs?: number | false;
  chartPeriodSeconds?: number;
  chartRangeSeconds?: number;
  /** Sees every request sample and invocation report too (brute-force checks). */
  onRequest?: (sample: RequestSample) => void;
  onInvocation?: (report: InvocationReport) => void;
}

export async function startStack(options: StackOptions = {}) {
  const config = await loadConfig(FIXTURE);
  const dev = await startDevServer(config, {
    port: 0,
    dataDir: null,
    telemetry: { clock: options.clock, tickIntervalMs: options.tickIntervalMs },
    console: { chartPeriodSeconds: options.chartPeriodSeconds, chartRangeSeconds: options.chartRangeSeconds },
    onRequest: options.onRequest,
    observer: { onInvocation: options.onInvocation },
  });
  if (!dev.telemetry || !dev.cost || !dev.consoleUrl) throw new Error('gantry dev started without its console');
  return {
    config,
    telemetry: dev.telemetry,
    cost: dev.cost,
    runtime: dev.runtime,
    apiUrl: dev.url,
    consoleUrl: dev.consoleUrl,
    close: () => dev.close(),
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
