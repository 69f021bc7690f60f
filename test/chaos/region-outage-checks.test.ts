/**
 * Where a region outage is refused before anything runs: at config load (an experiment naming a
 * region the config does not serve, or on a single-region config), at inject on a single-region
 * gantry dev, and in synth's FIS mapping (listed as not exported, with why). And how holds on one
 * region combine (RegionHolds, with a recording stand-in for the listener it would close).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ChaosError, FaultRegistry, MANUAL_HOLD, RegionHolds } from '../../src/chaos/index.ts';
import { ConfigError, loadConfig, type ResolvedConfig, resolveConfig } from '../../src/config/index.ts';
import { describeFisCoverage, planFisExperiments } from '../../src/infra/fis-plan.ts';
import { FIXTURE as SINGLE_REGION } from './stack.ts';

const TWO_REGIONS = fileURLToPath(new URL('./fixtures/region-outage/api.config.ts', import.meta.url));

let two: ResolvedConfig;
let single: ResolvedConfig;
before(async () => {
  two = await loadConfig(TWO_REGIONS);
  single = await loadConfig(SINGLE_REGION);
});

/** The two-region fixture's config with its experiment's outage action changed. */
async function withOutage(change: Record<string, unknown>, regions?: unknown): Promise<string> {
  const raw = (await import(TWO_REGIONS)).default as Record<string, unknown>;
  const experiment = (raw.chaos as { experiments: Record<string, { actions: Record<string, unknown> }> }).experiments[
    'primary-down'
  ];
  const next = {
    ...raw,
    ...(regions === undefined ? {} : { regions }),
    chaos: {
      experiments: {
        'primary-down': {
          ...experiment,
          actions: { outage: { ...(experiment.actions.outage as object), ...change } },
        },
      },
    },
  };
  if (regions === null) delete (next as Record<string, unknown>).regions;
  try {
    resolveConfig(next, TWO_REGIONS);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('the config was accepted');
}

test('config load refuses an outage of a region the config does not serve', async () => {
  assert.match(
    await withOutage({ target: 'eu-west-1' }),
    /chaos\.experiments\.primary-down\.actions\.outage\.target: "eu-west-1" is not a region of this config \(us-east-1, us-west-2\)/,
  );
});

test('config load refuses an outage on a single-region config, and a percentage', async () => {
  const message = await withOutage({ percent: 50 }, null);
  assert.match(
    message,
    /chaos\.experiments\.primary-down\.actions\.outage\.action: gantry:region:outage takes a region of a two-region gantry dev; this config serves one \(us-east-1\): set regions\.secondary/,
  );
  assert.match(
    message,
    /chaos\.experiments\.primary-down\.actions\.outage\.percent: gantry:region:outage has no percentage \(the whole region is down\)/,
  );
});

test('inject on a single-region config names the missing secondary; without a regions control it is refused', () => {
  const registry = new FaultRegistry(single);
  assert.throws(
    () => registry.inject({ action: 'gantry:region:outage', target: 'us-east-1' }),
    (error: unknown) =>
      error instanceof ChaosError &&
      error.message ===
        'target: gantry:region:outage takes a region of a two-region gantry dev; this config serves one (us-east-1): set regions.secondary',
  );
  registry.close();
  // A two-region config served without its regions (a bare startDevServer) cannot take one down.
  const bare = new FaultRegistry(two);
  assert.throws(
    () => bare.inject({ action: 'gantry:region:outage', target: 'us-east-1' }),
    /action: gantry:region:outage needs the regions of a two-region gantry dev; this one runs none/,
  );
  bare.close();
});

test('synth lists the outage as not exported, saying why FIS cannot run it', () => {
  const [plan] = planFisExperiments(two);
  assert.deepEqual(plan.actions, []);
  assert.equal(plan.unmapped.length, 1);
  assert.equal(plan.unmapped[0].action, 'gantry:region:outage');
  const lines = describeFisCoverage([plan]);
  assert.equal(lines[0], 'chaos experiment primary-down: not exported (no action AWS FIS supports)');
  assert.match(
    lines[1],
    /^ {2}not exported: outage \(gantry:region:outage\): AWS FIS cannot take a serverless region down: .*aws:network:route-table-disrupt-cross-region-connectivity/,
  );
});

test('holds: down while anyone holds the region, up when the last one lets go, transitions in order', async () => {
  const applied: string[] = [];
  const holds = new RegionHolds(async (region, status) => {
    await new Promise((resolve) => setImmediate(resolve));
    applied.push(`${region} ${status}`);
  });
  await holds.hold('us-east-1', 'flt-1');
  assert.equal(holds.isDown('us-east-1'), true);
  await holds.hold('us-east-1', MANUAL_HOLD);
  await holds.release('us-east-1', 'flt-1');
  assert.equal(holds.isDown('us-east-1'), true, 'the manual hold keeps it down');
  assert.deepEqual(holds.holdersOf('us-east-1'), [MANUAL_HOLD]);
  await holds.release('us-east-1', MANUAL_HOLD);
  assert.equal(holds.isDown('us-east-1'), false);
  // Asked while a transition runs: applied after it, in order.
  const going = holds.hold('us-west-2', 'flt-2');
  await new Promise((resolve) => setImmediate(resolve));
  const back = holds.release('us-west-2', 'flt-2');
  await Promise.all([going, back]);
  assert.equal(holds.isDown('us-west-2'), false);
  // Let go before its turn came (a fault stopped as it starts): the region never went down.
  await Promise.all([holds.hold('us-west-2', 'flt-3'), holds.release('us-west-2', 'flt-3')]);
  assert.deepEqual(applied, ['us-east-1 down', 'us-east-1 up', 'us-west-2 down', 'us-west-2 up']);
});
