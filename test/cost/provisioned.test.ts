import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyUsage, fixedResources, priceMonth } from '../../src/cost/model.ts';
import { makeConfig } from '../telemetry/fixtures.ts';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} !== ${expected}`);

describe('provisioned concurrency in the cost model', () => {
  test('the allocation is charged every second it is configured, at its own rate, and what it serves at its duration rate', () => {
    const config = makeConfig({
      functions: {
        // 10 × 512 MB on x86_64, 4 × 1024 MB on arm64.
        orders: { handler: 'src/hello.handler', memoryMb: 512, architecture: 'x86_64', provisionedConcurrency: 10 },
        health: { handler: 'src/hello.handler', memoryMb: 1024, provisionedConcurrency: 4 },
      },
    });
    const fixed = fixedResources(config);
    assert.deepEqual(fixed.provisionedGb, { x86_64: 5, arm64: 4 });
    const usage = emptyUsage();
    usage.lambda.x86_64 = { requests: 1_000_000, gbSeconds: 1000, provisionedGbSeconds: 100_000 };
    const month = priceMonth(usage, fixed);
    const line = (name: string) => month.items.find((i) => i.item === name)!;
    // 730 hours × 3600 s = 2,628,000 s a month.
    close(line('provisioned concurrency (x86_64)').quantity, 5 * 2_628_000, 'x86 GB-seconds configured');
    close(line('provisioned concurrency (x86_64)').usd, 5 * 2_628_000 * 0.0000041667, 'x86 allocation');
    close(line('provisioned concurrency (arm64)').usd, 4 * 2_628_000 * 0.0000033334, 'arm allocation');
    close(line('provisioned duration (x86_64)').usd, 100_000 * 0.0000097222, 'duration served by it');
    close(line('duration (x86_64)').usd, 1000 * 0.0000166667, 'spillover at the on-demand rate');
    // Without provisioned concurrency (nothing configured, nothing served), no such lines.
    const plain = priceMonth(emptyUsage(), fixedResources(makeConfig()));
    assert.ok(!plain.items.some((i) => i.item === 'provisioned concurrency (x86_64)'));
  });
});
