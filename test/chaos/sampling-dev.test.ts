/**
 * The share of invocations a fault hits, counted per invocation, through a real `gantry dev`: within
 * binomial tolerance of the percentage, and with a seed, the same invocations twice.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HitSampler } from '../../src/chaos/sampler.ts';
import { type ChaosStack, startChaosStack } from './stack.ts';

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack();
});
after(async () => {
  await stack?.close();
});

/** Four standard deviations of a binomial count: a correct sampler leaves it about once in 16,000 runs. */
function tolerance(n: number, p: number): number {
  return 4 * Math.sqrt(n * p * (1 - p));
}

/** Sequential requests (one order of invocations), `1` for each one the fault failed. */
async function pattern(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await stack.get('/echo')).status === 500 ? 1 : 0);
  return out;
}

test('invocationPercentage 30 hits about 30 % of 400 invocations, and --seed replays the same ones', async () => {
  const n = 400;
  const first = stack.chaos.inject({
    action: 'aws:lambda:invocation-error',
    target: 'echo',
    percent: 30,
    seed: 7,
    parameters: { preventExecution: true },
  });
  const one = await pattern(n);
  stack.chaos.stop(first.id);
  const hits = one.reduce((a, b) => a + b, 0);
  assert.equal(stack.chaos.get(first.id)!.hits, hits, 'every hit is a failed request, every failed request a hit');
  assert.equal(stack.chaos.get(first.id)!.seen, n);
  assert.ok(
    Math.abs(hits - 0.3 * n) <= tolerance(n, 0.3),
    `${hits} of ${n} hit, expected 120 ± ${tolerance(n, 0.3).toFixed(0)}`,
  );

  const second = stack.chaos.inject({
    action: 'aws:lambda:invocation-error',
    target: 'echo',
    percent: 30,
    seed: 7,
    parameters: { preventExecution: true },
  });
  const two = await pattern(n);
  stack.chaos.stop(second.id);
  assert.deepEqual(two, one, 'the same seed hits the same invocations');

  const third = stack.chaos.inject({
    action: 'aws:lambda:invocation-error',
    target: 'echo',
    percent: 30,
    seed: 8,
    parameters: { preventExecution: true },
  });
  const three = await pattern(n);
  stack.chaos.stop(third.id);
  assert.notDeepEqual(three, one, 'another seed, another pattern');
});

test('the sampler alone: each percentage within tolerance over 20,000 draws, 100 % without fail', () => {
  const n = 20_000;
  for (const percent of [1, 10, 50, 99]) {
    const sampler = new HitSampler(42, percent);
    let hits = 0;
    for (let i = 0; i < n; i++) if (sampler.next()) hits++;
    const p = percent / 100;
    assert.ok(Math.abs(hits - p * n) <= tolerance(n, p), `${percent} %: ${hits} of ${n}`);
  }
  const all = new HitSampler(1, 100);
  for (let i = 0; i < 1000; i++) assert.equal(all.next(), true);
});
