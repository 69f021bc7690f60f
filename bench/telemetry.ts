import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/index.ts';
import { createTelemetry, type RequestSample } from '../src/telemetry/index.ts';

const FIXTURE = fileURLToPath(new URL('./fixture/api.config.ts', import.meta.url));
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

export async function benchTelemetry() {
  const calls = await measureCalls();
  console.log(
    `  per call: recordRequest ${fmt(calls.recordRequestNs)} ns, recordInvocation ${fmt(calls.recordInvocationNs)} ns, ` +
      `recordFunctionLog ${fmt(calls.recordFunctionLogNs)} ns`,
  );
  console.log(`  metric slots after 1.5 M records: ${fmt(calls.metricsMb, 1)} MB (bounded by retention)`);
  // The full path with telemetry on and off is measured on real gantry dev processes (bench/http.ts).
  return { calls };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchTelemetry();
}
