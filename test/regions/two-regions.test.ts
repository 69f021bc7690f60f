/**
 * A two-region `gantry dev` as a user runs it (a separate process): the global endpoint's failover
 * and fail-back, global-table replication, outages on demand. Timing is asserted in probes and
 * events, never in wall-clock durations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DevProcess, eventually, put, read, startTwoRegions, whoami } from './dev-process.ts';

const THRESHOLD = 2;
const LAG_MS = 300;

describe('two regions in gantry dev (failover routing)', () => {
  let dev: DevProcess;
  before(async () => {
    dev = await startTwoRegions(['--config', 'test/fixtures/regions/api.config.ts', '--in-memory']);
  });
  after(async () => {
    await dev?.stop();
  });

  test('the banner and /api/regions show the global endpoint and both regions; handlers see their region', async () => {
    assert.deepEqual(Object.keys(dev.regional), ['us-east-1', 'us-west-2']);
    const view = await dev.view();
    assert.equal(view.url, dev.url);
    assert.deepEqual(view.routing, { policy: 'failover', serving: ['us-east-1'], lastResort: false });
    assert.deepEqual(
      view.regions.map((r) => [r.region, r.url, r.status, r.role]),
      [
        ['us-east-1', dev.regional['us-east-1'], 'up', 'primary'],
        ['us-west-2', dev.regional['us-west-2'], 'up', 'secondary'],
      ],
    );
    assert.equal(await whoami(dev.url), 'us-east-1');
    assert.equal(await whoami(dev.regional['us-west-2']), 'us-west-2');
  });

  test('fails over within failureThreshold probes plus one, and fails back after up', async () => {
    const down = await dev.setStatus('us-east-1', 'down');
    const probesAtDown = down.regions[0].healthCheck!.probes;
    assert.equal(down.regions[0].status, 'down');
    await assert.rejects(fetch(`${dev.regional['us-east-1']}/whoami`), /fetch failed/);

    const flipped = await eventually('us-east-1 unhealthy', async () =>
      (await dev.events()).find((e) => e.type === 'unhealthy' && e.region === 'us-east-1'),
    );
    const flipProbe = Number(flipped.detail!.replace('probe ', ''));
    assert.ok(
      flipProbe - probesAtDown <= THRESHOLD + 1,
      `flipped at probe ${flipProbe}, down after probe ${probesAtDown}`,
    );
    const moved = (await dev.events()).find((e) => e.type === 'serving' && e.at >= flipped.at);
    assert.equal(moved?.detail, 'us-west-2');
    assert.equal(await whoami(dev.url), 'us-west-2');

    await dev.setStatus('us-east-1', 'up');
    await eventually('us-east-1 served again', async () =>
      (await dev.view()).routing.serving[0] === 'us-east-1' ? true : undefined,
    );
    const healthy = (await dev.events()).filter((e) => e.type === 'healthy' && e.region === 'us-east-1');
    assert.equal(healthy.length, 1);
    assert.equal(await whoami(dev.url), 'us-east-1');
  });

  test('a write reaches the other region no sooner than the configured lag (ReplicationLatency recorded)', async () => {
    await put(dev.regional['us-east-1'], 'lag-1', 'v1');
    const seen = await eventually('lag-1 in us-west-2', () => read(dev.regional['us-west-2'], 'lag-1'));
    assert.deepEqual({ value: seen.value, writtenIn: seen.writtenIn }, { value: 'v1', writtenIn: 'us-east-1' });
    const west = (await dev.view()).regions.find((r) => r.region === 'us-west-2')!;
    assert.ok(
      west.lastReplicationLatencyMs! >= LAG_MS,
      `ReplicationLatency ${west.lastReplicationLatencyMs} < ${LAG_MS}`,
    );
    const query = new URLSearchParams({
      namespace: 'AWS/DynamoDB',
      metricName: 'ReplicationLatency',
      statistic: 'Minimum',
      period: '60',
      dimensions: JSON.stringify({ TableName: 'items', ReceivingRegion: 'us-west-2' }),
    });
    const metric = (await (await fetch(`${dev.console}/api/metrics?${query}`)).json()) as { values: number[] };
    assert.ok(metric.values.length > 0 && Math.min(...metric.values) >= LAG_MS, JSON.stringify(metric));
  });

  test('concurrent writes of one item in both regions converge to the later write everywhere', async () => {
    await put(dev.regional['us-east-1'], 'both', 'first-in-east');
    await put(dev.regional['us-west-2'], 'both', 'later-in-west');
    for (const region of ['us-east-1', 'us-west-2']) {
      const item = await eventually(`converged in ${region}`, async () => {
        const got = await read(dev.regional[region], 'both');
        return got?.value === 'later-in-west' ? got : undefined;
      });
      assert.equal(item.writtenIn, 'us-west-2');
    }
    // And it stays so once replication has settled (the earlier write does not come back).
    await eventually('nothing pending', async () =>
      (await dev.view()).regions.every((r) => r.pendingIn === 0) ? true : undefined,
    );
    assert.equal((await read(dev.regional['us-east-1'], 'both'))?.value, 'later-in-west');
  });

  test('writes made while a region is down reach it after up', async () => {
    await dev.setStatus('us-west-2', 'down');
    for (let i = 0; i < 5; i++) await put(dev.regional['us-east-1'], `held-${i}`, `v${i}`);
    const held = await dev.view();
    assert.equal(held.regions.find((r) => r.region === 'us-west-2')!.pendingIn, 5);
    assert.equal(held.regions.find((r) => r.region === 'us-east-1')!.pendingOut, 5);
    await dev.setStatus('us-west-2', 'up');
    for (let i = 0; i < 5; i++) {
      const item = await eventually(`held-${i} in us-west-2`, () => read(dev.regional['us-west-2'], `held-${i}`));
      assert.equal(item.value, `v${i}`);
    }
  });

  test('answers from the primary when both regions are unhealthy, as Route 53 does', async () => {
    await put(dev.regional['us-east-1'], 'health', 'fail');
    await eventually('both unhealthy', async () => {
      const view = await dev.view();
      return view.regions.every((r) => !r.healthy) ? view : undefined;
    });
    const view = await dev.view();
    assert.deepEqual(view.routing, { policy: 'failover', serving: ['us-east-1'], lastResort: true });
    for (let i = 0; i < 5; i++) assert.equal(await whoami(dev.url), 'us-east-1');
    await put(dev.regional['us-east-1'], 'health', 'ok');
    await eventually('healthy again', async () =>
      (await dev.view()).regions.every((r) => r.healthy) ? true : undefined,
    );
  });

  test('the console refuses unknown regions and cross-site posts', async () => {
    await assert.rejects(
      dev.setStatus('eu-west-1', 'down'),
      /404.*unknown region .*eu-west-1.*serves us-east-1 and us-west-2/,
    );
    const form = await fetch(`${dev.console}/api/regions/us-east-1/down`, { method: 'POST', body: 'x=1' });
    assert.equal(form.status, 415);
    assert.equal((await dev.view()).regions[0].status, 'up');
  });
});

describe('two regions in gantry dev (weighted routing)', () => {
  test('splits 300 requests 3:1 within statistical tolerance; each region labels its log lines', async () => {
    const dev = await startTwoRegions(['--config', 'test/fixtures/regions/weighted.config.ts', '--in-memory'], {
      quiet: false,
    });
    try {
      const seen: Record<string, number> = { 'us-east-1': 0, 'us-west-2': 0 };
      for (let i = 0; i < 300; i++) seen[await whoami(dev.url)]++;
      // Binomial(300, 0.75): mean 225, sd 7.5; ±5 sd.
      assert.ok(Math.abs(seen['us-east-1'] - 225) <= 38, JSON.stringify(seen));
      assert.equal(seen['us-east-1'] + seen['us-west-2'], 300);
      const view = await dev.view();
      assert.equal(view.routing.policy, 'weighted');
      assert.deepEqual(view.routing.serving, ['us-east-1', 'us-west-2']);
      assert.deepEqual(
        view.regions.map((r) => r.weight),
        [3, 1],
      );
      // One START line per invocation, named for the region that ran it; the health probes' are not printed.
      const starts = () =>
        dev
          .output()
          .split('\n')
          .filter((line) => line.includes('[whoami] START RequestId:'));
      await eventually('every START line printed', async () => (starts().length >= 300 ? true : undefined));
      const labelled = { 'us-east-1': 0, 'us-west-2': 0 } as Record<string, number>;
      for (const line of starts()) labelled[/^(us-[a-z]+-\d) \[whoami\] START/.exec(line)?.[1] ?? line]++;
      assert.deepEqual(labelled, seen);
      assert.ok(!dev.output().includes('[health] START'), 'health probe invocations are not printed');
    } finally {
      await dev.stop();
    }
  });
});

describe('two regions in gantry dev (latency routing)', () => {
  test('answers from the region nearest the clients, and from the other while it is unhealthy', async () => {
    const dev = await startTwoRegions(['--config', 'test/fixtures/regions/latency.config.ts', '--in-memory']);
    try {
      const view = await dev.view();
      assert.deepEqual(view.routing, { policy: 'latency', serving: ['us-west-2'], lastResort: false });
      assert.deepEqual(
        view.regions.map((r) => [r.region, r.latencyMs]),
        [
          ['us-east-1', 70],
          ['us-west-2', 20],
        ],
      );
      for (let i = 0; i < 5; i++) assert.equal(await whoami(dev.url), 'us-west-2');
      await dev.setStatus('us-west-2', 'down');
      await eventually('us-west-2 unhealthy', async () =>
        (await dev.events()).find((e) => e.type === 'unhealthy' && e.region === 'us-west-2'),
      );
      assert.deepEqual((await dev.view()).routing.serving, ['us-east-1']);
      assert.equal(await whoami(dev.url), 'us-east-1');
      await dev.setStatus('us-west-2', 'up');
      await eventually('us-west-2 served again', async () =>
        (await dev.view()).routing.serving[0] === 'us-west-2' ? true : undefined,
      );
      assert.equal(await whoami(dev.url), 'us-west-2');
      assert.match(
        dev.output(),
        /global endpoint: Route 53 latency, clients 70 ms from us-east-1 \/ 20 ms from us-west-2/,
      );
    } finally {
      await dev.stop();
    }
  });
});
