import { ConsoleUnreachableError, fetchLogs, followLogs, formatLogEntry, type LogFilter } from '../../console/index.ts';
import type { LogEntry } from '../../telemetry/index.ts';
import { intFlag, parseFlags, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { consoleBase } from '../console-base.ts';

const usage = `Usage: gantry logs [FUNCTION] [flags]

Prints the logs a running \`gantry dev\` keeps, like \`aws logs tail\`: function logs (START, END,
REPORT and the handler's own lines; Powertools JSON stays JSON), the stage's access log, and
gantry's alarm and budget notices. Read through gantry dev's console.

Flags:
  -f, --follow          keep printing new lines as they arrive (Ctrl-C stops)
  --filter TEXT         CloudWatch-style filter pattern: terms, "a phrase", ?either, -excluded,
                        or a JSON selector such as '{ $.level = "ERROR" }'
  --source LIST         function, access, system, comma-separated (default: all; with FUNCTION: function)
  --since DURATION      only lines newer than this: 30s, 10m, 2h (default: all that is kept)
  --limit N             how many of the most recent lines to print first (default 100)
  --json                print each record as one JSON object per line
  --config PATH         api.config.ts whose running gantry dev to read (default ./api.config.ts)
  --console-port N      read the console on this port instead (default: found from the config's gantry dev)
  --console-host ADDR   with --console-port: the console's address (default 127.0.0.1)

Examples:
  gantry logs orders -f
  gantry logs --source access --filter '"status":"5'
  gantry logs --filter '{ $.level = "ERROR" }' --since 10m`;

const SOURCES = ['function', 'access', 'system'] as const;

function parseSince(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)(s|m|h)$/.exec(value);
  if (!match) throw new UsageError(`--since: expected a duration such as 30s, 10m or 2h, got "${value}"`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
  return now - Number(match[1]) * unit;
}

export const command: Command = {
  name: 'logs',
  summary: 'print or follow function logs, access logs and alarm notices of a running gantry dev',
  usage,
  async run(args) {
    const { values, positionals } = parseFlags(
      args,
      {
        follow: { type: 'boolean', short: 'f', default: false },
        filter: { type: 'string' },
        source: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
        'console-port': { type: 'string' },
        'console-host': { type: 'string', default: '127.0.0.1' },
        config: { type: 'string', default: 'api.config.ts' },
      },
      usage,
    );
    if (positionals.length > 1)
      throw new UsageError(`expected at most one FUNCTION, got ${positionals.join(' ')}\n\n${usage}`);
    const functionName = positionals[0];
    const sources = values.source?.split(',').map((s) => s.trim());
    for (const source of sources ?? []) {
      if (!(SOURCES as readonly string[]).includes(source)) {
        throw new UsageError(`--source: "${source}" is not one of ${SOURCES.join(', ')}`);
      }
    }
    const base = await consoleBase(values);
    const query: LogFilter = {
      functionName,
      filter: values.filter,
      sources: (sources ?? (functionName ? ['function'] : undefined)) as LogFilter['sources'],
      since: parseSince(values.since, Date.now()),
      limit: intFlag(values.limit, 'limit', 100, 0, 100_000),
    };
    const print = (entry: LogEntry) => console.log(values.json ? JSON.stringify(entry) : formatLogEntry(entry));

    try {
      if (!values.follow) {
        for (const entry of await fetchLogs(base, query)) print(entry);
        return 0;
      }
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // `after: 0` makes the stream replay the newest `limit` matches first: no gap before following.
      await followLogs(base, { ...query, afterSeq: 0 }, print, controller.signal);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (!controller.signal.aborted) console.error('gantry logs: gantry dev stopped');
      return 0;
    } catch (error) {
      if (error instanceof ConsoleUnreachableError) {
        console.error(`gantry logs: ${error.message}`);
        return 1;
      }
      console.error(`gantry logs: ${(error as Error).message}`);
      return 2;
    }
  },
};
