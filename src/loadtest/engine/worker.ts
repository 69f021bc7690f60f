/**
 * A load-generating worker thread: runs its share of every scenario and reports what it measured once
 * per interval. The coordinator (run.ts) does the merging, the thresholds and the printing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { executorMaxVUs } from '../plan.ts';
import { type ExecutorContext, type Gauges, now, runScenario, StopSignal } from './executors.ts';
import { ByteCounter } from './http.ts';
import type { FromWorker, ToWorker, WorkerInit } from './messages.ts';
import { WorkerRecorder } from './recorder.ts';
import { compileScenario } from './vu.ts';

const port = parentPort!;
const init = workerData as WorkerInit;
const recorder = new WorkerRecorder(init.plan.scenarios, init.recordSamples, init.workerIndex);
const bytes = new ByteCounter();
const gauges: Gauges = { running: 0, peak: 0, allocated: 0 };
const stop = new StopSignal();

function post(message: FromWorker): void {
  port.postMessage(message);
}

function snapshot(seq: number, final: boolean, startAt: number) {
  const { received, sent } = bytes.totals();
  const vus = gauges.peak;
  gauges.peak = gauges.running;
  return recorder.snapshot(seq, final, {
    elapsedMs: now() - startAt,
    vus,
    vusMax: gauges.allocated,
    bytesReceived: received,
    bytesSent: sent,
  });
}

async function run(startAt: number): Promise<void> {
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    timer = setTimeout(
      () => {
        post({ type: 'snapshot', snapshot: snapshot(seq++, false, startAt) });
        next();
      },
      Math.max(0, startAt + (seq + 1) * init.intervalMs - now()),
    );
  };
  next();
  let vuIdBase = 0;
  const contexts: ExecutorContext[] = init.plan.scenarios.map((plan) => {
    const ctx: ExecutorContext = {
      scenario: compileScenario(plan),
      startAt,
      worker: init.workerIndex,
      workers: init.workerCount,
      vuIdBase,
      recorder,
      bytes,
      insecure: init.insecure,
      gauges,
      stop,
    };
    vuIdBase += executorMaxVUs(plan.executor);
    return ctx;
  });
  await Promise.all(contexts.map(runScenario));
  clearTimeout(timer);
  post({ type: 'snapshot', snapshot: snapshot(seq, true, startAt) });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') stop.trigger();
  else
    run(message.startAt).catch((error: unknown) => {
      post({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    });
});
post({ type: 'ready' });
