/** `gantry dev`'s flags, and what they mean: the ports, the store's place and the server's options. */
import { resolve as resolvePath } from 'node:path';
import { consolePortFor, DEFAULT_DEV_PORT, storePortFor } from '../config/index.ts';
import { intFlag, parseFlags } from './args.ts';
import type { DevServerOptions } from './dev-server.ts';
import { callbackWarnings, formatFunctionLog, frozenWarnings, labelledLines, paint } from './terminal.ts';

export const devUsage = `Usage: gantry dev [flags]

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

const DEV_FLAGS = {
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
} as const;

export interface DevInvocation {
  /** Absolute path of the config file. */
  configFile: string;
  storePort: number;
  /** `null`: tables in memory only; undefined: the default folder beside the config. */
  dataDir: string | null | undefined;
  watch: boolean;
  /** The server's options, the store aside (it is started first and outlives reloads). */
  options: DevServerOptions;
  /**
   * The same options, every line they print to the terminal (function logs, warnings, rebuilds,
   * alarm state changes) starting with `label`: one region's server of a two-region `gantry dev`.
   */
  labelled(label: string): DevServerOptions;
}

/** Parses `gantry dev`'s arguments; throws UsageError on a bad flag. */
export function parseDevFlags(args: string[]): DevInvocation {
  const { values } = parseFlags(args, DEV_FLAGS, devUsage);
  const port = intFlag(values.port, 'port', DEFAULT_DEV_PORT);
  const storePort = intFlag(values['store-port'], 'store-port', port === 0 ? 0 : storePortFor(port));
  const consolePort = values['no-console']
    ? false
    : intFlag(values['console-port'], 'console-port', port === 0 ? 0 : consolePortFor(port));
  const quiet = values.quiet;
  const optionsPrinting = (print: (line: string) => void): DevServerOptions => ({
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
            log: (line) => print(paint(line.includes('-> ALARM') ? ['bold', 'red'] : 'green', line)),
          },
        },
    observer: {
      onLog: quiet ? undefined : (event) => print(formatFunctionLog(event)),
      onFrozen: frozenWarnings(print),
      onCallbackUsed: callbackWarnings(print),
      onReload: (functionName, error) =>
        print(
          error
            ? paint('red', `✗ ${functionName}: rebuild failed, still serving the previous build\n${error.message}`)
            : paint('green', `↻ ${functionName} rebuilt: new invocations use the new code`),
        ),
      onProvisioned: (functionName, ready, requested, problem) =>
        print(
          problem
            ? paint(
                'red',
                `✗ ${functionName}: provisioned concurrency FAILED, ${ready} of ${requested} environments initialised (${problem}); invocations spill over to on-demand`,
              )
            : paint('green', `● ${functionName}: provisioned concurrency ready, ${ready} environments initialised`),
        ),
    },
  });
  const print = (line: string) => console.log(line);
  return {
    configFile: resolvePath(values.config),
    storePort,
    dataDir: values['in-memory'] ? null : values['data-dir'],
    watch: !values['no-watch'],
    options: optionsPrinting(print),
    labelled: (label) => optionsPrinting(labelledLines(label, print)),
  };
}
