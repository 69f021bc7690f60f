import { readFile } from 'node:fs/promises';
import { httpOrigin, loadConfig, type ResolvedConfig } from '../../config/index.ts';
import { lookupInstance } from '../../console/index.ts';
import { createRuntime } from '../../runtime/index.ts';
import type { InvokeOutcome } from '../../runtime/types.ts';
import { type Store, startStore, tableAccessPolicy } from '../../store/index.ts';
import { intFlag, parseFlags, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { defaultDataDir } from '../dev-store.ts';
import { callbackWarnings, formatFunctionLog } from '../terminal.ts';

const usage = `Usage: gantry invoke FUNCTION [--event FILE] [flags]

Invokes one function once, directly (no gateway), like \`aws lambda invoke\`: prints the function's
response on stdout and its logs (START/END/REPORT and console output) on stderr.

While the config's gantry dev runs, its handlers use that gantry dev's store (the same items, in memory
too); otherwise the store's data folder is opened here.

Flags:
  --config PATH     api.config.ts (default ./api.config.ts)
  --event FILE      JSON event to pass (default {}); - reads standard input
  --data-dir DIR    open the store's data here (default .gantry/data beside the config, as gantry dev)
  --in-memory       use an empty in-memory store instead
  --store-port N    use the embedded store listening on 127.0.0.1:N (default: the running gantry dev's)

Exit code: 0 when the function succeeded, 1 on a function error, timeout or crash.

Example:
  gantry invoke health --config examples/orders/api.config.ts --event event.json`;

async function readEvent(path: string | undefined): Promise<string> {
  if (path === undefined) return '{}';
  const text =
    path === '-' ? await new Response(process.stdin as unknown as ReadableStream).text() : await readFile(path, 'utf8');
  try {
    JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--event ${path}: not valid JSON (${(error as Error).message})`);
  }
  return text;
}

type StoreFlags = { 'data-dir'?: string; 'in-memory': boolean; 'store-port'?: string };

/**
 * The store the handlers use: one already listening (--store-port, or the running gantry dev's, whose
 * LevelDB folder no second process may open), else one opened here for this invocation.
 */
async function storeFor(config: ResolvedConfig, flags: StoreFlags): Promise<Pick<Store, 'endpoint' | 'close'>> {
  if (flags['store-port'] !== undefined) {
    const port = intFlag(flags['store-port'], 'store-port', 0, 1);
    return { endpoint: httpOrigin('127.0.0.1', port), close: async () => {} };
  }
  if (flags['data-dir'] === undefined && !flags['in-memory']) {
    const found = await lookupInstance(config.file);
    if (found.status === 'running') {
      console.error(`(using the store of the running gantry dev, pid ${found.instance.state.pid})`);
      return { endpoint: found.instance.storeEndpoint, close: async () => {} };
    }
  }
  const store = await startStore({
    tables: Object.values(config.tables),
    dataDir: flags['in-memory'] ? undefined : (flags['data-dir'] ?? defaultDataDir(config)),
  });
  store.access = tableAccessPolicy(config);
  return store;
}

/** The JSON Lambda's Invoke API returns for a function error (X-Amz-Function-Error: Unhandled). */
function errorPayload(outcome: Exclude<InvokeOutcome, { status: 'success' }>): Record<string, unknown> {
  switch (outcome.status) {
    case 'function-error':
      return { errorType: outcome.errorType, errorMessage: outcome.errorMessage, trace: outcome.stackTrace };
    case 'timeout':
      return {
        errorType: 'Sandbox.Timedout',
        errorMessage: `Task timed out after ${outcome.timeoutSeconds.toFixed(2)} seconds`,
      };
    case 'throttled':
      return {
        errorType: 'TooManyRequestsException',
        errorMessage: 'Rate Exceeded.',
        Reason:
          outcome.reason === 'reserved-concurrency'
            ? 'ReservedFunctionConcurrentInvocationLimitExceeded'
            : 'ConcurrentInvocationLimitExceeded',
      };
    case 'response-too-large':
      return {
        errorType: 'RequestTooLargeException',
        errorMessage: `Response payload size (${outcome.sizeBytes} bytes) exceeded maximum allowed payload size (6291556 bytes).`,
      };
    default:
      return { errorType: outcome.errorType, errorMessage: outcome.errorMessage };
  }
}

export const command: Command = {
  name: 'invoke',
  summary: 'invoke one function directly, like aws lambda invoke',
  usage,
  async run(args) {
    const { values, positionals } = parseFlags(
      args,
      {
        config: { type: 'string', default: 'api.config.ts' },
        event: { type: 'string' },
        'data-dir': { type: 'string' },
        'in-memory': { type: 'boolean', default: false },
        'store-port': { type: 'string' },
      },
      usage,
    );
    const config = await loadConfig(values.config);
    const functionName = positionals[0];
    const known = Object.keys(config.functions);
    if (!functionName) throw new UsageError(`missing FUNCTION (known: ${known.join(', ')})\n\n${usage}`);
    if (!config.functions[functionName])
      throw new UsageError(`unknown function "${functionName}" (known: ${known.join(', ')})`);
    const event = await readEvent(values.event);

    const store = await storeFor(config, values);
    const runtime = createRuntime(config, {
      environment: { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint },
      // One invocation, one environment: nothing to share compiled code with, no cold start to wait for.
      codeCache: false,
      prestartedRuntimes: false,
      observer: {
        onLog: (line) => console.error(formatFunctionLog(line)),
        onCallbackUsed: callbackWarnings((line) => console.error(line)),
      },
    });
    try {
      await runtime.start();
      const { outcome } = await runtime.invoke(functionName, event);
      if (outcome.status === 'success') {
        console.log(outcome.payload);
        return 0;
      }
      console.log(JSON.stringify(errorPayload(outcome)));
      return 1;
    } finally {
      await runtime.stop();
      await store.close();
    }
  },
};
