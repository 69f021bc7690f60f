/**
 * Federation across three real `gantry dev` instances (in-process, port 0), one per "cloud", behind
 * the entry point `gantry federate` runs: the router of src/traffic with the config's federation.
 * Health is flipped by a file the health handler checks; every wait is on a router event, and every
 * assertion counts answers, never time.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { type FederationConfig, resolveConfig } from '../../src/config/index.ts';
import {
  createGlobalEndpoint,
  EndpointRouter,
  federationRouterOptions,
  type GlobalEndpoint,
} from '../../src/traffic/index.ts';
import { tempDir } from './helpers.ts';

const fixture = fileURLToPath(new URL('./fixtures/federation/api.config.ts', import.meta.url));
const CLOUDS = ['aws', 'azure', 'gcp'] as const;
type Cloud = (typeof CLOUDS)[number];
const dir = tempDir('federate');
const flag = (cloud: Cloud) => join(dir, `${cloud}.unhealthy`);
const instances = {} as Record<Cloud, DevServer>;
const healthDelay: Record<Cloud, number> = { aws: 0, azure: 0, gcp: 0 };

function apiConfig(cloud: Cloud, delayMs: number) {
  return resolveConfig(
    {
      name: `federated-${cloud}`,
      functions: {
        health: {
          handler: 'src/app.health',
          environment: { UNHEALTHY_FILE: flag(cloud), HEALTH_DELAY_MS: String(delayMs) },
        },
        whoami: { handler: 'src/app.whoami', environment: { CLOUD: cloud } },
      },
      routes: { 'GET /health': 'health', 'GET /whoami': 'whoami' },
    },
    fixture,
  );
}

before(async () => {
  for (const cloud of CLOUDS)
    instances[cloud] = await startDevServer(apiConfig(cloud, healthDelay[cloud]), {
      port: 0,
      storePort: 0,
      dataDir: null,
      watch: false,
      consolePort: false,
      telemetry: false,
    });
});

after(async () => {
  await Promise.all(Object.values(instances).map((i) => i.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** A federation over the three instances, resolved as the config loader does. */
function federation(overrides: Partial<FederationConfig>) {
  const config = resolveConfig(
    {
      name: 'federated',
      functions: { whoami: { handler: 'src/app.whoami' } },
      routes: { 'GET /whoami': 'whoami' },
      federation: {
        endpoints: Object.fromEntries(CLOUDS.map((c, i) => [c, { url: instances[c].url, priority: i + 1 }])),
        healthCheck: { path: '/health', intervalSeconds: 0.02, timeoutSeconds: 5, failureThreshold: 2 },
        ...overrides,
      },
    },
    fixture,
  );
  return config.federation!;
}

interface Entry {
  router: EndpointRouter;
  endpoint: GlobalEndpoint;
  url: string;
  close(): Promise<void>;
}

async function startEntry(overrides: Partial<FederationConfig>): Promise<Entry> {
  const router = new EndpointRouter(federationRouterOptions(federation(overrides)));
  const endpoint = createGlobalEndpoint({ router, unreachable: { status: 502 } });
  const { port } = await endpoint.listen(0);
  router.start();
  return {
    router,
    endpoint,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await router.stop();
      await endpoint.close();
    },
  };
}

/** Resolves when `cloud`'s health flips to `healthy` (or is already so after a flip). */
function healthBecomes(entry: Entry, cloud: Cloud, healthy: boolean): Promise<void> {
  return new Promise((resolve) => {
    if (entry.router.health(cloud).healthy === healthy) return resolve();
    const off = entry.router.checker!.onChange((change) => {
      if (change.endpoint === cloud && change.healthy === healthy) {
        off();
        resolve();
      }
    });
  });
}

/** Resolves once every endpoint has had `count` passing probes. */
function probesPassed(entry: Entry, count: number): Promise<void> {
  const passed = new Map<string, number>();
  return new Promise((resolve) => {
    const off = entry.router.checker!.onProbe((probe) => {
      if (probe.ok) passed.set(probe.endpoint, (passed.get(probe.endpoint) ?? 0) + 1);
      if (CLOUDS.every((c) => (passed.get(c) ?? 0) >= count)) {
        off();
        resolve();
      }
    });
  });
}

/** `n` requests through the entry point, 8 at a time; how many each cloud answered. */
async function send(entry: Entry, n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const response = await request(`${entry.url}/whoami`);
      const body = await response.body.text();
      assert.equal(response.statusCode, 200, body);
      counts[body] = (counts[body] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return counts;
}

describe('gantry federate across three gantry dev instances', () => {
  test('failover: the primary while healthy, the next priority while it is not, the primary again on recovery', async () => {
    const entry = await startEntry({ steering: 'failover' });
    try {
      await probesPassed(entry, 1);
      assert.deepEqual(await send(entry, 20), { aws: 20 });
      writeFileSync(flag('aws'), '');
      await healthBecomes(entry, 'aws', false);
      assert.deepEqual(entry.router.serving().serving, ['azure']);
      assert.deepEqual(await send(entry, 20), { azure: 20 });
      rmSync(flag('aws'));
      await healthBecomes(entry, 'aws', true);
      assert.deepEqual(await send(entry, 20), { aws: 20 });
    } finally {
      rmSync(flag('aws'), { force: true });
      await entry.close();
    }
  });

  test('weighted 1:2:1: each share within 5 standard deviations of its expectation over 400 requests', async () => {
    const entry = await startEntry({
      steering: 'weighted',
      endpoints: {
        aws: { url: instances.aws.url, weight: 1 },
        azure: { url: instances.azure.url, weight: 2 },
        gcp: { url: instances.gcp.url, weight: 1 },
      },
    });
    try {
      await probesPassed(entry, 1);
      const n = 400;
      const counts = await send(entry, n);
      for (const [cloud, share] of [
        ['aws', 0.25],
        ['azure', 0.5],
        ['gcp', 0.25],
      ] as const) {
        const sd = Math.sqrt(n * share * (1 - share));
        assert.ok(
          Math.abs((counts[cloud] ?? 0) - n * share) <= 5 * sd,
          `${cloud}: ${counts[cloud]} of ${n}, expected ${n * share} ± ${5 * sd}`,
        );
      }
    } finally {
      await entry.close();
    }
  });

  test('all unhealthy: failover serves the primary, weighted serves every endpoint, a fallback serves only itself', async () => {
    for (const cloud of CLOUDS) writeFileSync(flag(cloud), '');
    const failover = await startEntry({ steering: 'failover' });
    const weighted = await startEntry({ steering: 'weighted' });
    const fallback = await startEntry({ steering: 'weighted', fallback: 'gcp' });
    try {
      for (const entry of [failover, weighted, fallback])
        await Promise.all(CLOUDS.map((cloud) => healthBecomes(entry, cloud, false)));
      assert.equal(failover.router.serving().lastResort, true);
      assert.deepEqual(await send(failover, 20), { aws: 20 });
      const spread = await send(weighted, 90);
      assert.deepEqual(Object.keys(spread).sort(), ['aws', 'azure', 'gcp'], JSON.stringify(spread));
      assert.deepEqual(await send(fallback, 20), { gcp: 20 });
    } finally {
      for (const cloud of CLOUDS) rmSync(flag(cloud), { force: true });
      await Promise.all([failover.close(), weighted.close(), fallback.close()]);
    }
  });
});

describe('latency steering', () => {
  const slow: Partial<Record<Cloud, DevServer>> = {};
  before(async () => {
    // Two more instances whose health route takes 400 ms: farther "regions" as the probes see them.
    for (const cloud of ['azure', 'gcp'] as const)
      slow[cloud] = await startDevServer(apiConfig(cloud, 400), {
        port: 0,
        storePort: 0,
        dataDir: null,
        watch: false,
        consolePort: false,
        telemetry: false,
      });
  });
  after(async () => {
    await Promise.all(Object.values(slow).map((s) => s!.close()));
  });

  test('picks the endpoint with the lowest probe round trip', async () => {
    const entry = await startEntry({
      steering: 'latency',
      endpoints: {
        aws: { url: instances.aws.url },
        azure: { url: slow.azure!.url },
        gcp: { url: slow.gcp!.url },
      },
    });
    try {
      // Enough probes that the first one's cold start has faded from the smoothed round trip.
      await probesPassed(entry, 6);
      assert.deepEqual(entry.router.serving().serving, ['aws']);
      assert.deepEqual(await send(entry, 30), { aws: 30 });
      const snapshot = entry.router.snapshot();
      const latency = (id: string) => snapshot.endpoints.find((e) => e.id === id)!.latencyMs!;
      assert.ok(latency('aws') < latency('azure') && latency('aws') < latency('gcp'));
    } finally {
      await entry.close();
    }
  });
});
