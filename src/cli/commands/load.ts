/** `gantry load SCENARIO`: wiring only; the work is in src/loadtest. */
import { loadConfig } from '../../config/index.ts';
import { findInstance } from '../../console/index.ts';
import {
  LoadTestError,
  loadScenarioFile,
  localTarget,
  runSession,
  ScenarioError,
  type Target,
  toK6Script,
  urlTarget,
} from '../../loadtest/index.ts';
import { intFlag, parseFlags, UsageError } from '../args.ts';
import type { Command } from '../command.ts';

const usage = `Usage: gantry load SCENARIO [flags]

Runs a k6-style load test (scenario file: .ts, .js or .json with k6's options, steps, checks and thresholds)
against the config's running gantry dev (found from the config: never another project's server on a
default port) or any URL. Exit code 99 when a threshold fails, as k6.

Flags:
  --config PATH        api.config.ts whose running gantry dev is the target (default ./api.config.ts)
  --port N             target 127.0.0.1:N/{stage} instead (a gantry dev of this config on that port)
  --url URL            target any base URL instead (a deployed stage: https://ID.execute-api.REGION.amazonaws.com/api)
  --vus N              replace the executors with N constant VUs (k6's --vus); every scenario of the
                       file runs N VUs, each with its own steps
  --duration D         ... for this long (k6's --duration, e.g. 30s)
  --scale-report       also sample gantry dev's console: concurrency, cold starts, throttles, time to scale
  --console-url URL    gantry dev's console (default: the running gantry dev's, or --port + 1)
  --out json=FILE      write every sample as k6 JSON lines
  --summary-export F   write the end-of-run summary data as JSON (k6's shape)
  --report FILE        HTML report with latency-over-time and histogram plots (default .gantry/load-report.html)
  --no-report          do not write the HTML report
  --k6                 print the equivalent k6 script instead of running (gantry load s.ts --k6 > k6.js)
  --workers N          load-generating worker threads (default: cores − 1, at least 1)
  --insecure           accept any TLS certificate
  --quiet              no live progress line

Example:
  gantry dev &  gantry load examples/orders/load/seed.ts --scale-report`;

const flags = {
  config: { type: 'string' },
  port: { type: 'string' },
  url: { type: 'string' },
  vus: { type: 'string' },
  duration: { type: 'string' },
  'scale-report': { type: 'boolean' },
  'console-url': { type: 'string' },
  out: { type: 'string', multiple: true },
  'summary-export': { type: 'string' },
  report: { type: 'string' },
  'no-report': { type: 'boolean' },
  k6: { type: 'boolean' },
  workers: { type: 'string' },
  insecure: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, flags, usage);
  const [scenario, ...extra] = positionals;
  if (!scenario)
    throw new UsageError(`expected a scenario file, e.g. gantry load examples/orders/load/seed.ts\n\n${usage}`);
  if (extra.length)
    throw new UsageError(`expected one scenario file, got ${positionals.length}: ${positionals.join(' ')}`);
  let jsonOut: string | undefined;
  for (const out of values.out ?? []) {
    if (!out.startsWith('json=') || out.length === 5) throw new UsageError(`--out: expected json=FILE, got "${out}"`);
    jsonOut = out.slice(5);
  }
  const vus = values.vus === undefined ? undefined : intFlag(values.vus, 'vus', 1, 1, 100_000);
  const workers = values.workers === undefined ? undefined : intFlag(values.workers, 'workers', 1, 1, 64);

  let target: Target;
  if (values.url) {
    if (!/^https?:\/\/[^\s/]+/.test(values.url))
      throw new UsageError(`--url: expected an http:// or https:// URL, got "${values.url}"`);
    target = urlTarget(values.url);
  } else if (values.port !== undefined) {
    target = localTarget(await loadConfig(values.config), intFlag(values.port, 'port', 0, 1, 65534));
  } else if (values.k6) {
    // Only a script is printed: its BASE_URL is the default local one, overridable in k6 with -e.
    target = localTarget(await loadConfig(values.config));
  } else {
    const running = await findInstance(values.config ?? 'api.config.ts', 'pass --url URL to load another server');
    target = { baseUrl: running.apiUrl, consoleUrl: running.consoleUrl };
  }

  try {
    const plan = await loadScenarioFile(scenario, { baseUrl: target.baseUrl, vus, duration: values.duration });
    if (values.k6) {
      process.stdout.write(toK6Script(plan, { baseUrl: target.baseUrl, source: scenario }));
      return 0;
    }
    const controller = new AbortController();
    const onSignal = () => {
      process.stderr.write('\nstopping: interrupting the running iterations (Ctrl-C again to quit at once)\n');
      controller.abort();
      process.once('SIGINT', () => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    try {
      const { exitCode } = await runSession({
        plan,
        target,
        label: scenario,
        workers,
        jsonOut,
        summaryExport: values['summary-export'],
        report: values['no-report'] ? undefined : (values.report ?? '.gantry/load-report.html'),
        scaleReport: values['scale-report'],
        consoleUrl: values['console-url'],
        insecure: values.insecure,
        quiet: values.quiet,
        signal: controller.signal,
      });
      return exitCode;
    } finally {
      process.removeListener('SIGINT', onSignal);
    }
  } catch (error) {
    if (error instanceof ScenarioError) {
      console.error(`gantry load: invalid scenario\n${error.message}`);
      return 1;
    }
    if (error instanceof LoadTestError) {
      console.error(`gantry load: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

export const command: Command = {
  name: 'load',
  summary: 'k6-style load test with thresholds and checks; --scale-report shows how Lambda concurrency followed',
  usage,
  run,
};
