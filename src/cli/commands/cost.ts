import { httpOrigin, loadConfig } from '../../config/index.ts';
import { type ApiStatus, ConsoleUnreachableError, fetchConsoleJson, findConsole } from '../../console/index.ts';
import {
  type CostReport,
  costForTraffic,
  formatCostReport,
  formatTrafficReport,
  listPrices,
} from '../../cost/index.ts';
import { intFlag, parseFlags, UsageError } from '../args.ts';
import type { Command } from '../command.ts';

const usage = `Usage: gantry cost [--rps N] [flags]

The monthly AWS bill of this API (us-east-1 prices, src/cost/prices.ts) against its budget:
  with --rps N   for a steady N requests per second, from the config alone;
  without it     from the traffic a running \`gantry dev\` has seen: so far, and the month at the recent rate.

Flags:
  --config PATH         api.config.ts (default ./api.config.ts)
  --rps N               requests per second, steady all month
  --duration-ms N       average Lambda duration, billed per started ms (default 50)
  --payload-bytes N     average request + response bytes; metered per started 512 KB (default 2048)
  --log-bytes N         log bytes ingested per request (default: the access log line + START/END/REPORT)
  --reads N             DynamoDB read request units per API request (default 0)
  --writes N            DynamoDB write request units per API request (default 0)
  --free-tier           take AWS's always-free allowances off (Lambda, CloudWatch)
  --prices              print every price with its source and date, and exit
  --json                print the report as JSON
  --console-port N      read observed traffic from the console on this port (default: found from the
                        config's running gantry dev)
  --console-host ADDR   with --console-port: the console's address (default 127.0.0.1)

Examples:
  gantry cost --rps 50 --duration-ms 120
  gantry cost                      (while gantry dev runs)`;

function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`--${flag}: expected a number ≥ 0, got "${value}"`);
  }
  return n;
}

export const command: Command = {
  name: 'cost',
  summary: 'monthly AWS cost of this API from observed or given traffic, against the budget',
  usage,
  async run(args) {
    const { values } = parseFlags(
      args,
      {
        config: { type: 'string', default: 'api.config.ts' },
        rps: { type: 'string' },
        'duration-ms': { type: 'string' },
        'payload-bytes': { type: 'string' },
        'log-bytes': { type: 'string' },
        reads: { type: 'string' },
        writes: { type: 'string' },
        'free-tier': { type: 'boolean', default: false },
        prices: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'console-port': { type: 'string' },
        'console-host': { type: 'string', default: '127.0.0.1' },
      },
      usage,
    );
    if (values.prices) {
      const rows = listPrices();
      if (values.json) console.log(JSON.stringify(rows, null, 2));
      else
        for (const p of rows)
          console.log(
            `${p.path}: ${typeof p.usd === 'number' ? `$${p.usd}` : p.usd} ${p.unit} [${p.basis}, ${p.date}] ${p.source}`,
          );
      return 0;
    }
    const rps = numberFlag(values.rps, 'rps');
    if (rps !== undefined) {
      const config = await loadConfig(values.config);
      const report = costForTraffic(config, {
        rps,
        durationMs: numberFlag(values['duration-ms'], 'duration-ms'),
        payloadBytes: numberFlag(values['payload-bytes'], 'payload-bytes'),
        logBytesPerRequest: numberFlag(values['log-bytes'], 'log-bytes'),
        readUnitsPerRequest: numberFlag(values.reads, 'reads'),
        writeUnitsPerRequest: numberFlag(values.writes, 'writes'),
        freeTier: values['free-tier'],
      });
      console.log(values.json ? JSON.stringify(report, null, 2) : formatTrafficReport(config.name, report));
      return 0;
    }
    const base =
      values['console-port'] === undefined
        ? await findConsole(
            values.config,
            'pass --console-port N, or --rps N to price a traffic level from the config alone',
          )
        : httpOrigin(values['console-host'], intFlag(values['console-port'], 'console-port', 0, 1));
    try {
      const [report, status] = await Promise.all([
        fetchConsoleJson<CostReport>(base, '/api/cost'),
        fetchConsoleJson<ApiStatus>(base, '/api/status'),
      ]);
      console.log(values.json ? JSON.stringify(report, null, 2) : formatCostReport(status.api.name, report));
      return 0;
    } catch (error) {
      if (error instanceof ConsoleUnreachableError) {
        console.error(`gantry cost: ${error.message}, or pass --rps N to price a traffic level from the config alone`);
        return 1;
      }
      throw error;
    }
  },
};
