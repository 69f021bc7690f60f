/**
 * The coordinator: starts the load-generating workers, merges what they measure, checks abortOnFail
 * thresholds as intervals complete, and returns the run's result. It generates no load itself, so its
 * thread stays free for merging and the live line.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { now } from './engine/executors.ts';
import type { FromWorker, IntervalSnapshot, ToWorker, WorkerInit } from './engine/messages.ts';
import { LoadTestError } from './errors.ts';
import { RunAggregate, type TimelinePoint } from './metrics/aggregate.ts';
import { JsonOutput } from './output/json-out.ts';
import { executorMaxVUs, type RunPlan } from './plan.ts';
import { buildResult, type LoadTestResult } from './result.ts';
import { thresholdsToAbort } from './thresholds/evaluate.ts';

export interface Progress {
  elapsedMs: number;
  /** The plan's scheduled length (graceful stops excluded). */
  plannedMs: number;
  vus: number;
  /** Over the last complete interval. */
  rps: number;
  p95Ms: number;
  requests: number;
  failed: number;
  iterations: number;
  dropped: number;
}

export interface RunOptions {
  /** Worker threads generating load. @default available cores − 1 (at least 1): the target often shares the machine */
  workers?: number;
  /** @default 1000 */
  intervalMs?: number;
  /** Called after each complete interval. */
  onProgress?: (progress: Progress, point: TimelinePoint) => void;
  /** Writes every sample as k6 JSON lines (`--out json=FILE`). */
  jsonOut?: string;
  /** Aborting it stops the run early (Ctrl-C); the result says so. */
  signal?: AbortSignal;
  /** Accept any TLS certificate (k6's insecureSkipTLSVerify). */
  insecure?: boolean;
  /** Told the epoch ms every worker starts at (timeline `t` counts from it): a chaos experiment schedules its faults on it. */
  onStart?: (startEpochMs: number) => void;
}

const READY_TIMEOUT_MS = 30_000;
/**
 * Every request allocates short-lived objects and socket buffers; with V8's default young generation a
 * generator worker spends a large share of its time in scavenges. A larger nursery (one worker, so a few
 * tens of MB) measured 0.71-0.73 → 0.82-0.83 of wrk's req/s in `npm run bench loadgen` on this machine.
 */
const GENERATOR_YOUNG_GENERATION_MB = 64;

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

export async function runPlan(plan: RunPlan, options: RunOptions = {}): Promise<LoadTestResult> {
  const intervalMs = options.intervalMs ?? 1000;
  const workerCount = Math.max(1, Math.min(options.workers ?? defaultWorkerCount(), maxUsefulWorkers(plan)));
  const aggregate = new RunAggregate(plan, workerCount, intervalMs);
  const json = options.jsonOut ? await JsonOutput.open(options.jsonOut, plan) : undefined;
  const workers: Worker[] = [];
  let aborted: LoadTestResult['aborted'];
  let startAt = 0;
  let endMs = 0;

  try {
    await new Promise<void>((resolve, reject) => {
      let ready = 0;
      let finished = 0;
      const fail = (error: Error) => {
        for (const w of workers) w.postMessage({ type: 'stop' } satisfies ToWorker);
        reject(error);
      };
      const stopAll = () => {
        for (const w of workers) w.postMessage({ type: 'stop' } satisfies ToWorker);
      };
      const readyTimer = setTimeout(
        () => fail(new LoadTestError(`load workers did not start within ${READY_TIMEOUT_MS / 1000} s`)),
        READY_TIMEOUT_MS,
      );
      const onSnapshot = (snapshot: IntervalSnapshot) => {
        if (snapshot.samples) json?.write(snapshot.samples);
        const points = aggregate.add(snapshot);
        for (const point of points) options.onProgress?.(progressOf(aggregate, plan, point), point);
        if (points.length && !aborted) {
          const elapsed = now() - startAt;
          const failing = thresholdsToAbort(plan.thresholds, aggregate, elapsed);
          if (failing.length) {
            aborted = {
              reason: 'threshold',
              thresholds: failing.map((o) => `${o.threshold.key}: ${o.threshold.source}`),
            };
            stopAll();
          }
        }
        if (snapshot.final) {
          endMs = Math.max(endMs, snapshot.elapsedMs);
          if (++finished === workerCount) resolve();
        }
      };
      const onAbort = () => {
        aborted ??= { reason: 'signal' };
        stopAll();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      for (let i = 0; i < workerCount; i++) {
        const init: WorkerInit = {
          plan,
          workerIndex: i,
          workerCount,
          intervalMs,
          recordSamples: json !== undefined,
          insecure: options.insecure ?? false,
        };
        const worker = new Worker(new URL('./engine/worker-shim.mjs', import.meta.url), {
          workerData: init,
          execArgv: [],
          resourceLimits: { maxYoungGenerationSizeMb: GENERATOR_YOUNG_GENERATION_MB },
        });
        workers.push(worker);
        worker.on('message', (message: FromWorker) => {
          if (message.type === 'ready') {
            if (++ready === workerCount) {
              clearTimeout(readyTimer);
              startAt = now() + 20;
              for (const w of workers) w.postMessage({ type: 'start', startAt } satisfies ToWorker);
              options.onStart?.(startAt);
              if (options.signal?.aborted) onAbort();
            }
          } else if (message.type === 'snapshot') {
            onSnapshot(message.snapshot);
          } else {
            fail(new LoadTestError(`a load worker failed: ${message.message}`));
          }
        });
        worker.on('error', (error) => fail(new LoadTestError(`a load worker crashed: ${error.message}`)));
        worker.on('exit', (code) => {
          if (finished < workerCount)
            fail(new LoadTestError(`a load worker exited (code ${code}) before the run ended`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    await json?.close();
  }
  for (const point of aggregate.flush()) options.onProgress?.(progressOf(aggregate, plan, point), point);
  return buildResult(aggregate, { startEpochMs: startAt, durationMs: endMs, aborted });
}

/** More workers than VUs would leave some idle; one worker per VU is the most that can help. */
function maxUsefulWorkers(plan: RunPlan): number {
  return Math.max(
    1,
    plan.scenarios.reduce((n, s) => n + executorMaxVUs(s.executor), 0),
  );
}

function progressOf(agg: RunAggregate, plan: RunPlan, point: TimelinePoint): Progress {
  let requests = 0;
  let failed = 0;
  for (const s of agg.series.values()) {
    requests += s.trend.count;
    if (s.failed) failed += s.trend.count;
  }
  let iterations = 0;
  let dropped = 0;
  for (const it of agg.iterations.values()) {
    iterations += it.completed;
    dropped += it.dropped;
  }
  return {
    elapsedMs: point.t * 1000,
    plannedMs: plan.durationMs,
    vus: point.vus,
    rps: point.rps,
    p95Ms: point.p95Ms,
    requests,
    failed,
    iterations,
    dropped,
  };
}
