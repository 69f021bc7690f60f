import {
  consolePortFor,
  DEFAULT_DEV_PORT,
  DEPLOYED_LAMBDA_RUNTIME,
  loadConfig,
  storePortFor,
} from '../../config/index.ts';
import { intFlag, parseFlags } from '../args.ts';
import type { Command } from '../command.ts';
import { type DevServer, defaultDataDir, PortInUseError, startDevServer } from '../dev-server.ts';
import { formatFunctionLog, paint, warningBlock } from '../terminal.ts';

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
  --no-watch            do not rebuild handlers when their files change
  --quiet               do not print function logs

Example:
  gantry dev --config examples/orders/api.config.ts --port 4000`;

function banner(server: DevServer, consoleUrl: string | undefined): string {
  const { config } = server;
  const width = Math.max(...config.routes.map((r) => r.routeKey.length));
  const origin = `http://${server.host}:${server.port}`;
  const routeLines = config.routes.map((route) => {
    const target =
      route.integration.type === 'lambda'
        ? `λ ${route.integration.functionName}${route.integration.payloadFormatVersion === '1.0' ? ' (payload 1.0)' : ''}`
        : `→ ${route.integration.url}`;
    const path = route.path ? `${server.url}${route.path}` : `${server.url}/*`;
    return `  ${paint('bold', route.routeKey.padEnd(width))}  ${target.padEnd(24)} ${paint('dim', path)}`;
  });
  const tables = server.store.tables.map((t) => `${t.tableName} (${t.action})`).join(', ') || 'none';
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
    const config = await loadConfig(values.config);
    const quiet = values.quiet;

    let server: DevServer;
    try {
      server = await startDevServer(config, {
        port,
        host: values.host,
        storePort,
        dataDir: values['in-memory'] ? null : (values['data-dir'] ?? defaultDataDir(config)),
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
          onReload: (functionName, error) =>
            console.log(
              error
                ? paint('red', `✗ ${functionName}: rebuild failed, still serving the previous build\n${error.message}`)
                : paint('green', `↻ ${functionName} rebuilt: new invocations use the new code`),
            ),
        },
      });
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
      console.error(`gantry dev: ${error.message}`);
      return 1;
    }
    console.log(banner(server, server.consoleUrl));
    if (server.warnings.length)
      console.log(`${warningBlock('Configured, but not applied by gantry dev', server.warnings)}\n`);

    return new Promise<number>((resolve) => {
      let signals = 0;
      const shutdown = (signal: string) => {
        signals++;
        if (signals > 1) {
          console.error('gantry dev: second signal, exiting now');
          resolve(130);
          process.exit(130);
        }
        console.log(`\n${signal}: finishing in-flight requests, stopping environments, flushing the store…`);
        server.close().then(
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
