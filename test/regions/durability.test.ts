/**
 * No acknowledged write is lost across a SIGKILL of a two-region gantry dev: writes acknowledged
 * while the other region was down are journaled, and the restarted gantry dev delivers them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually, put, read, startTwoRegions } from './dev-process.ts';

test('SIGKILL with replication queued, restart: every acknowledged write reaches both regions', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'gantry-regions-')), 'data');
  const args = ['--config', 'test/fixtures/regions/api.config.ts', '--data-dir', dataDir];
  const first = await startTwoRegions(args);
  const acknowledged: string[] = [];
  try {
    await first.setStatus('us-west-2', 'down');
    for (let i = 0; i < 10; i++) {
      await put(first.regional['us-east-1'], `kept-${i}`, `v${i}`);
      acknowledged.push(`kept-${i}`);
    }
    assert.equal((await first.view()).regions[1].pendingIn, 10);
  } finally {
    assert.equal(await first.stop('SIGKILL'), null);
  }

  const second = await startTwoRegions(args);
  try {
    for (const id of acknowledged) {
      const east = await read(second.regional['us-east-1'], id);
      assert.equal(east?.value, `v${id.slice(5)}`, `${id} lost in us-east-1`);
      const west = await eventually(`${id} in us-west-2`, () => read(second.regional['us-west-2'], id));
      assert.equal(west.writtenIn, 'us-east-1');
    }
  } finally {
    await second.stop();
  }
});
