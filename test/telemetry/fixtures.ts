// Shared by telemetry, cost and console tests: a resolved config and a controllable clock.
import { fileURLToPath } from 'node:url';
import { type ResolvedConfig, resolveConfig } from '../../src/config/index.ts';
import type { RequestSample } from '../../src/telemetry/index.ts';

const fixture = fileURLToPath(new URL('../fixtures/basic/api.config.ts', import.meta.url));

export function makeConfig(overrides: Record<string, unknown> = {}): ResolvedConfig {
  return resolveConfig(
    {
      name: 'orders-api',
      functions: {
        orders: { handler: 'src/hello.handler', memoryMb: 256, architecture: 'x86_64', reservedConcurrency: 5 },
        health: { handler: 'src/hello.handler' },
      },
      routes: { 'GET /orders': 'orders', 'POST /orders': 'orders', 'GET /health': 'health' },
      ...overrides,
    },
    fixture,
  );
}

/** A clock the test moves by hand. Starts on a whole hour so period boundaries are easy to reason about. */
export function manualClock(start = Date.UTC(2026, 10, 24, 6, 0, 0)) {
  let now = start;
  const clock = () => now;
  clock.set = (t: number) => {
    now = t;
  };
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

export function sample(config: ResolvedConfig, fields: Partial<RequestSample> = {}): RequestSample {
  return {
    apiId: config.apiId,
    stage: config.stage.name,
    routeKey: 'GET /orders',
    requestId: 'Kx1aAjYvIAMEMvA=',
    requestTimeEpoch: Date.UTC(2026, 10, 24, 6, 0, 0),
    httpMethod: 'GET',
    path: '/orders',
    protocol: 'HTTP/1.1',
    sourceIp: '127.0.0.1',
    userAgent: 'curl/8.5.0',
    status: 200,
    responseLength: 42,
    requestLength: 0,
    latencyMs: 12.5,
    integrationLatencyMs: 10.25,
    integrationStatus: 200,
    functionName: 'orders',
    ...fields,
  };
}

/** Deterministic pseudo-random numbers (mulberry32) so failures reproduce. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
