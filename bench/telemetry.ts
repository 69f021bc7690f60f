/**
 * Telemetry's cost on the request path, two ways, in one run:
 *   1. per call: recordRequest / recordInvocation / recordFunctionLog in a tight loop (ns per call);
 *   2. the full path: one runtime, two gateways side by side in this process, one recording into
 *      telemetry (with the runtime's observer feeding it too) and one with the no-op recorder,
 *      driven alternately by wrk (or autocannon). Target: telemetry on keeps ≥ 90 % of the req/s.
 * Run alone: `node --import tsx bench/telemetry.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/index.ts';
import { createGateway } from '../src/gateway/index.ts';
import { createRuntime } from '../src/runtime/index.ts';
import { createTelemetry, noopRecorder, type RequestSample } from '../src/telemetry/index.ts';
import { drive, type Round } from './load.ts';

const FIXTURE = fileURLToPath(new URL('./fixture/api.config.ts', import.meta.url));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function nsPerCall(calls: number, body: (i: number) => void): number {
  for (let i = 0; i < Math.min(calls, 50_000); i++) body(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) body(i);
  return Number(process.hrtime.bigint() - start) / calls;
}

export async function measureCalls() {
  const config = await loadConfig(FIXTURE);
  const telemetry = createTelemetry(config, { tickIntervalMs: false });
  const routeKey = config.routes[0].routeKey;
  const samples: RequestSample[] = Array.from({ length: 1024 }, (_, i) => ({
    apiId: config.apiId,
    stage: config.stage.name,
    routeKey,
    requestId: `req${i}`,
    requestTimeEpoch: Date.now(),
    httpMethod: 'GET',
    path: '/hello',
    protocol: 'HTTP/1.1',
    sourceIp: '127.0.0.1',
    userAgent: 'wrk',
    status: i % 50 === 0 ? 500 : 200,
    responseLength: 19,
    requestLength: 0,
    latencyMs: 0.4 + (i % 97) / 10,
    integrationLatencyMs: 0.3 + (i % 89) / 10,
    integrationStatus: 200,
    functionName: 'hello',
  }));
  const recordRequest = nsPerCall(500_000, (i) => telemetry.recordRequest(samples[i & 1023]));
  const recordInvocation = nsPerCall(500_000, (i) =>
    telemetry.recordInvocation({
      functionName: 'hello',
      requestId: 'r',
      startTime: 0,
      durationMs: 0.2 + (i % 50) / 20,
      billedDurationMs: 1 + (i % 3),
      memorySizeMb: 128,
      maxMemoryUsedMb: 60,
      coldStart: false,
      environmentId: 'e',
      outcome: 'success',
    }),
  );
  const recordFunctionLog = nsPerCall(500_000, () =>
    telemetry.recordFunctionLog({
      functionName: 'hello',
      logGroupName: '/aws/lambda/hello',
      logStreamName: 's',
      timestamp: 0,
      message: 'END RequestId: 8f5f6b21-7b7a-4f4e-9b5e-0e5f1f0a1c2d',
      kind: 'end',
    }),
  );
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  const metricsMb = telemetry.metrics.footprintBytes() / 1024 / 1024;
  telemetry.close();
  return {
    recordRequestNs: recordRequest,
    recordInvocationNs: recordInvocation,
    recordFunctionLogNs: recordFunctionLog,
    heapMb,
    metricsMb,
  };
}

export async function compareFullPath(rounds = 3, seconds = 5, connections = 32) {
  const config = await loadConfig(FIXTURE);
  const buildDir = await mkdtemp(join(tmpdir(), 'gantry-bench-'));
  const telemetry = createTelemetry(config);
  let on = false;
  const runtime = createRuntime(config, {
    buildDir,
    observer: {
      onLog: (e) => on && telemetry.recordFunctionLog(e),
      onInvocation: (r) => on && telemetry.recordInvocation(r),
      onThrottle: (f, reason) => on && telemetry.recordThrottle(f, reason),
      onEnvironmentChange: (f, alive, busy) => on && telemetry.recordConcurrency(f, alive, busy),
    },
  });
  await runtime.start();
  const withTelemetry = createGateway({ config, invoker: runtime, recorder: telemetry });
  const without = createGateway({ config, invoker: runtime, recorder: noopRecorder });
  const urls = {
    on: `http://127.0.0.1:${(await withTelemetry.listen(0, '127.0.0.1')).port}/hello`,
    off: `http://127.0.0.1:${(await without.listen(0, '127.0.0.1')).port}/hello`,
  };
  const result: { tool: Round['tool']; on: Round[]; off: Round[] } = { tool: 'wrk', on: [], off: [] };
  try {
    for (const side of ['on', 'off'] as const) {
      on = side === 'on';
      await drive(urls[side], 2, connections);
    }
    for (let i = 0; i < rounds; i++) {
      // Alternate the order so drift on a shared VM favours neither side.
      for (const side of i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        on = side === 'on';
        const round = await drive(urls[side], seconds, connections);
        result.tool = round.tool;
        result[side].push(round);
      }
    }
  } finally {
    await withTelemetry.close();
    await without.close();
    await runtime.stop();
    telemetry.close();
    await rm(buildDir, { recursive: true, force: true });
  }
  const on_ = median(result.on.map((r) => r.requestsPerSecond));
  const off = median(result.off.map((r) => r.requestsPerSecond));
  return { ...result, connections, seconds, medianOn: on_, medianOff: off, ratio: on_ / off };
}

export async function benchTelemetry() {
  const calls = await measureCalls();
  console.log(
    `  per call: recordRequest ${fmt(calls.recordRequestNs)} ns, recordInvocation ${fmt(calls.recordInvocationNs)} ns, ` +
      `recordFunctionLog ${fmt(calls.recordFunctionLogNs)} ns`,
  );
  console.log(`  metric slots after 1.5 M records: ${fmt(calls.metricsMb, 1)} MB (bounded by retention)`);
  const full = await compareFullPath();
  console.log(
    `  full path (${full.tool}, ${full.connections} connections, ${full.on.length} × ${full.seconds} s rounds each, medians):`,
  );
  const rounds = (side: Round[]) => side.map((r) => fmt(r.requestsPerSecond)).join(', ');
  console.log(`    telemetry on   ${fmt(full.medianOn).padStart(8)} req/s  (rounds: ${rounds(full.on)})`);
  console.log(`    telemetry off  ${fmt(full.medianOff).padStart(8)} req/s  (rounds: ${rounds(full.off)})`);
  console.log(`    ratio on/off   ${(100 * full.ratio).toFixed(1)} %  (target ≥ 90 %)`);
  return { calls, fullPath: full };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchTelemetry();
}
