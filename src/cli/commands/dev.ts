import { basename, resolve as resolvePath } from 'node:path';
import {
  consolePortFor,
  DEFAULT_DEV_PORT,
  DEPLOYED_LAMBDA_RUNTIME,
  httpOrigin,
  loadConfig,
  storePortFor,
} from '../../config/index.ts';
import type { Store } from '../../store/index.ts';
import { intFlag, parseFlags } from '../args.ts';
import type { Command } from '../command.ts';
import { configDigest, watchConfig } from '../config-reload.ts';
import {
  type DevServer,
  type DevServerOptions,
  defaultDataDir,
  PortInUseError,
  startDevServer,
  startDevStore,
} from '../dev-server.ts';
import { callbackWarnings, formatFunctionLog, frozenWarnings, paint, warningBlock } from '../terminal.ts';

const usage = `Usage: gantry dev [flags]

Runs the API locally: API Gateway HTTP API emulation, Lambda execution environments on worker threads,
the embedded DynamoDB-compatible store and the console.

Flags:
  --config PATH         api.config.ts to run (default ./api.config.ts)
  --port N              gateway port (default ${DEFAULT_DEV_PORT}; 0 picks a free one)
  --host ADDR           address to bind (default 127.0.0.1)
  --console-port N      console port (default port + 1)
  --store-port N        embedded DynamoDB port (default port + 2; 0 picks a free one)
  --no-console          run without the console (and without telemetry)
  --alarm-webhook URL   also POST every alarm state change to URL (repeatable)
  --data-dir DIR        where tables persist (default .gantry/data beside the config)
  --in-memory           keep tables in memory only (nothing written to disk)
  --no-watch            do not rebuild handlers or reload api.config.ts when their files change
  --quiet               do not print function logs

Example:
  gantry dev --config examples/orders/api.config.ts --port 4000`;

function banner(server: DevServer, consoleUrl: string | undefined): string {
  const { config } = server;
  const width = Math.max(...config.routes.map((r) => r.routeKey.length));
  const origin = httpOrigin(server.host, server.port);
  const routeLines = config.routes.map((route) => {
    const target =
      route.integration.type === 'lambda'
        ? `λ ${route.integration.functionName}${route.integration.payloadFormatVersion === '1.0' ? ' (payload 1.0)' : ''}`
        : `→ ${route.integration.url}`;
    const path = route.path ? `${server.url}${route.path}` : `${server.url}/*`;
    return `  ${paint('bold', route.routeKey.padEnd(width))}  ${target.padEnd(24)} ${paint('dim', path)}`;
  });
  const tables = server.tables.map((t) => `${t.tableName} (${t.action})`).join(', ') || 'none';
  return [
    '',
    `${paint(['bold', 'green'], 'gantry dev')} ${paint('bold', config.name)}  api id ${config.apiId}, stage ${config.stage.name}`,
    '',
    ...routeLines,
    '',
    `  API       ${paint('underline', server.url)}   (${origin})`,
    ...(consoleUrl ? [`  console   ${paint('underline', consoleUrl)}`] : []),
    `  store     ${server.store.endpoint}  tables: ${tables}`,
    `  runtime   handlers run on Node ${process.version} here; gantry deploy uses ${DEPLOYED_LAMBDA_RUNTIME}`,
    '',
  ].join('\n');
}

/** The banner, and loudly what the config asks for that gantry dev does not apply. */
function announce(server: DevServer): void {
  console.log(banner(server, server.consoleUrl));
  if (server.warnings.length)
    console.log(`${warningBlock('Configured, but not applied by gantry dev', server.warnings)}\n`);
}

export const command: Command = {
  name: 'dev',
  summary: 'run the API locally: gateway, Lambda runtime, store, console',
  usage,
  async run(args) {
    const { values } = parseFlags(
      args,
      {
        config: { type: 'string', default: 'api.config.ts' },
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'console-port': { type: 'string' },
        'no-console': { type: 'boolean', default: false },
        'alarm-webhook': { type: 'string', multiple: true },
        'store-port': { type: 'string' },
        'data-dir': { type: 'string' },
        'in-memory': { type: 'boolean', default: false },
        'no-watch': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
      usage,
    );
    const port = intFlag(values.port, 'port', DEFAULT_DEV_PORT);
    const storePort = intFlag(values['store-port'], 'store-port', port === 0 ? 0 : storePortFor(port));
    const consolePort = values['no-console']
      ? false
      : intFlag(values['console-port'], 'console-port', port === 0 ? 0 : consolePortFor(port));
    const configFile = resolvePath(values.config);
    const loadedDigest = configDigest(configFile);
    const config = await loadConfig(configFile);
    const quiet = values.quiet;

    const options: DevServerOptions = {
      port,
      host: values.host,
      watch: !values['no-watch'],
      consolePort,
      // The help promises no telemetry without the console: metrics, alarms and the cost meter all stop.
      telemetry: values['no-console']
        ? false
        : {
            alarmActions: {
              webhookUrls: values['alarm-webhook'],
              log: (line) => console.log(paint(line.includes('-> ALARM') ? ['bold', 'red'] : 'green', line)),
            },
          },
      observer: {
        onLog: quiet ? undefined : (event) => console.log(formatFunctionLog(event)),
        onFrozen: frozenWarnings((line) => console.log(line)),
        onCallbackUsed: callbackWarnings((line) => console.log(line)),
        onReload: (functionName, error) =>
          console.log(
            error
              ? paint('red', `✗ ${functionName}: rebuild failed, still serving the previous build\n${error.message}`)
              : paint('green', `↻ ${functionName} rebuilt: new invocations use the new code`),
          ),
      },
    };
    // The store outlives config reloads (its items with it, in memory too); it closes last.
    let store: Store | undefined;
    let server: DevServer;
    try {
      store = await startDevStore(config, {
        storePort,
        dataDir: values['in-memory'] ? null : (values['data-dir'] ?? defaultDataDir(config)),
      });
      server = await startDevServer(config, { ...options, store });
    } catch (error) {
      await store?.close();
      if (!(error instanceof PortInUseError)) throw error;
      console.error(`gantry dev: ${error.message}`);
      return 1;
    }
    // Closed last, after every server of every config has drained.
    const liveStore = store;
    announce(server);

    const configName = basename(config.file);
    let failed: ((code: number) => void) | undefined;
    const reloader = values['no-watch']
      ? undefined
      : watchConfig({
          file: config.file,
          loadedDigest,
          server,
          options,
          onReload: (next) => {
            console.log(paint('green', `↻ ${configName} reloaded: routes, functions and tables as now written`));
            announce(next);
          },
          onRejected: (message) =>
            console.log(paint('red', `✗ ${configName} not applied, still serving the previous config\n${message}`)),
          onProblem: (message) => console.error(paint('red', `gantry dev: ${message}`)),
          onFailed: (error) => {
            console.error(`gantry dev: the reloaded config could not start, stopping: ${error.message}`);
            failed?.(1);
          },
        });
    const current = () => reloader?.server ?? server;
    return new Promise<number>((resolve) => {
      let signals = 0;
      let stopping: Promise<void> | undefined;
      // New connections are refused at once; a reload under way is let finish (or discarded), then the
      // current server and those of earlier configs drain together, and the store closes last.
      const stop = () => {
        stopping ??= (async () => {
          const accepting = current().stopAccepting();
          await reloader?.close();
          await accepting;
          try {
            await Promise.all([current().close(), reloader?.drained()]);
          } finally {
            await liveStore.close();
          }
        })();
        return stopping;
      };
      failed = (code) => {
        stop().finally(() => resolve(code));
      };
      const shutdown = (signal: string) => {
        signals++;
        if (signals > 1) {
          console.error('gantry dev: second signal, exiting now');
          resolve(130);
          process.exit(130);
        }
        // Printed once new connections are already refused (stop() does that before its first await).
        const stopped = stop();
        console.log(`\n${signal}: finishing in-flight requests, stopping environments, flushing the store…`);
        stopped.then(
          () => {
            console.log('gantry dev stopped');
            resolve(0);
          },
          (error: Error) => {
            console.error(`gantry dev: error while stopping: ${error.message}`);
            resolve(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
  },
};
