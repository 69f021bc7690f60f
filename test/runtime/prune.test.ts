import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pruneBundles, STALE_BUNDLE_MS } from '../../src/runtime/bundler.ts';

test('pruning removes only stale leftovers: another gantry may be writing or running recent files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-prune-'));
  const file = (name: string, ageMs: number) => {
    const path = join(dir, name);
    writeFileSync(path, 'x');
    const at = (Date.now() - ageMs) / 1000;
    utimesSync(path, at, at);
    return path;
  };
  const kept = file('fn-KEEP.mjs', 2 * STALE_BUNDLE_MS);
  const stale = file('fn-OLD.mjs', STALE_BUNDLE_MS + 60_000);
  const othersBundle = file('fn-OTHER.mjs', 1000);
  const othersWrite = file('fn-OTHER.mjs.1a2b3c4d.tmp', 10);
  await pruneBundles(dir, { files: [kept] } as Parameters<typeof pruneBundles>[1]);
  assert.equal(existsSync(kept), true, 'the bundle in use is kept whatever its age');
  assert.equal(existsSync(stale), false, 'a stale leftover is removed');
  assert.equal(existsSync(othersBundle), true, "a recent bundle (another process's) is kept");
  assert.equal(existsSync(othersWrite), true, "another process's write in progress is kept");
});
