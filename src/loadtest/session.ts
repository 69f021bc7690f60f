/**
 * One `gantry load` run end to end: check the target answers, sample the console when asked, run, print
 * the summary, write the requested files. Returns k6's exit code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { LoadTestError } from './errors.ts';
import { renderHtmlReport } from './output/html.ts';
import { progressPrinter } from './output/progress.ts';
import { renderSummary } from './output/summary.ts';
import type { RunPlan } from './plan.ts';
import type { LoadTestResult } from './result.ts';
import { runPlan } from './run.ts';
import { renderScaleReport } from './scale/render.ts';
import { computeScaleReport, type ScaleReport } from './scale/report.ts';
import { StatusSampler } from './scale/status.ts';
import type { Target } from './target.ts';

export interface SessionOptions {
  plan: RunPlan;
  target: Target;
  /** Shown in the report's title. */
  label: string;
  workers?: number;
  /** `--out json=FILE` */
  jsonOut?: string;
  /** k6's `--summary-export FILE`: the summary data as JSON. */
  summaryExport?: string;
  /** The HTML report's path; none when undefined. */
  report?: string;
  scaleReport?: boolean;
  /** Overrides the target's console URL for --scale-report. */
  consoleUrl?: string;
  insecure?: boolean;
  quiet?: boolean;
  signal?: AbortSignal;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream;
}

export interface SessionResult {
  exitCode: number;
  result: LoadTestResult;
  scale?: ScaleReport;
}

/** Fails fast, with a message naming the fix, when nothing listens at the target. */
export async function probeTarget(baseUrl: string, timeoutMs = 3000): Promise<void> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    const fail = (why: string) => {
      socket.destroy();
      const hint = ['127.0.0.1', 'localhost'].includes(url.hostname)
        ? ': start `gantry dev` first, or pass --port / --url'
        : '';
      reject(new LoadTestError(`nothing answers at ${url.origin} (${why})${hint}`));
    };
    socket.once('timeout', () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
  });
}

export async function runSession(options: SessionOptions): Promise<SessionResult> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  await probeTarget(options.target.baseUrl);
  let sampler: StatusSampler | undefined;
  if (options.scaleReport) {
    const consoleUrl = options.consoleUrl ?? options.target.consoleUrl;
    if (!consoleUrl) {
      throw new LoadTestError(
        '--scale-report reads gantry dev’s console: pass --console-url (a deployed stage has no console)',
      );
    }
    sampler = new StatusSampler(consoleUrl);
    await sampler.start();
  }
  const progress = options.quiet ? undefined : progressPrinter(stderr);
  let result: LoadTestResult;
  try {
    result = await runPlan(options.plan, {
      workers: options.workers,
      jsonOut: options.jsonOut,
      signal: options.signal,
      insecure: options.insecure,
      onProgress: progress ? (p) => progress.update(p) : undefined,
    });
  } catch (error) {
    await sampler?.stop();
    throw error;
  } finally {
    progress?.done();
  }
  const scale = sampler ? computeScaleReport(await sampler.stop(), result.timeline, result.startEpochMs) : undefined;

  stdout.write(renderSummary(result));
  if (scale) stdout.write(renderScaleReport(scale));
  if (options.summaryExport) {
    await write(options.summaryExport, `${JSON.stringify(summaryData(result, scale), null, 2)}\n`);
    stdout.write(`\n  summary: ${options.summaryExport}\n`);
  }
  if (options.report) {
    await write(
      options.report,
      renderHtmlReport(result, { title: `gantry load: ${options.label}`, target: options.target.baseUrl, scale }),
    );
    stdout.write(`  report: ${options.report}\n`);
  }
  if (options.jsonOut) stdout.write(`  samples: ${options.jsonOut}\n`);
  return { exitCode: result.exitCode, result, scale };
}

/** k6's summary data shape (`metrics`, `state`), plus gantry's thresholds verdict and scale report. */
function summaryData(result: LoadTestResult, scale: ScaleReport | undefined) {
  return {
    metrics: result.metrics,
    root_group: { name: '', checks: result.checks },
    state: { testRunDurationMs: result.durationMs, isStdOutTTY: false, isStdErrTTY: false },
    thresholds: result.thresholds.map((o) => ({
      metric: o.threshold.key,
      threshold: o.threshold.source,
      ok: o.ok,
      actual: o.actual ?? null,
    })),
    aborted: result.aborted ?? null,
    ...(scale ? { scale } : {}),
  };
}

async function write(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}
