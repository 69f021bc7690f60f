// The replication journal (src/store/replication/journal.ts) on a real file: local writes that
// arrive together share their trip to disk and all come back after a reopen; marks written at once.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ReplicationJournal } from '../../src/store/replication/journal.ts';

const keyNames = (table: string) => (table === 'orders' ? ['id'] : undefined);
const change = (id: string) => ({ table: 'orders', key: { id: { S: id } } });

describe('store: replication journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-journal-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('writes recorded together all resolve, and all are pending again after a reopen', async () => {
    const file = join(dir, 'together.jsonl');
    const journal = await ReplicationJournal.open('us-east-1', file, keyNames);
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.recordWrites([change(`o${i}`)], ['us-west-2'])));
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 50);
    // Delivered marks and applied versions are written at once, without waiting for the disk.
    const [first] = journal.pending('us-west-2');
    journal.delivered(first, 'us-west-2');
    await journal.recordApplied([{ change: change('from-west'), version: { t: 1, origin: 'us-west-2' } }]);
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 52);
    await journal.close();

    const reopened = await ReplicationJournal.open('us-east-1', file, keyNames);
    assert.equal(reopened.pending('us-west-2').length, 49);
    assert.deepEqual(reopened.version('orders', { id: { S: 'from-west' } }), { t: 1, origin: 'us-west-2' });
    await reopened.close();
  });

  test('a line behind zeroes left by a crash of the machine still counts', async () => {
    const file = join(dir, 'zeroes.jsonl');
    const journal = await ReplicationJournal.open('us-east-1', file, keyNames);
    await journal.recordWrites([change('a')], ['us-west-2']);
    await journal.close();
    const line = readFileSync(file, 'utf8');
    appendFileSync(file, `${'\0'.repeat(40)}${line.replace('"w":1', '"w":2').replace('"S":"a"', '"S":"b"')}`);
    appendFileSync(file, '{"w":3,"table":"orders","key":{"id":{"S":"c"'); // torn: never acknowledged
    const reopened = await ReplicationJournal.open('us-east-1', file, keyNames);
    assert.deepEqual(
      reopened.pending('us-west-2').map((entry) => entry.key.id.S),
      ['a', 'b'],
    );
    await reopened.close();
  });

  test('a write after close is refused with the journal named, never left waiting', async () => {
    const file = join(dir, 'closed.jsonl');
    const journal = await ReplicationJournal.open('us-east-1', file, keyNames);
    await journal.close();
    await assert.rejects(journal.recordWrites([change('late')], ['us-west-2']), /replication journal .*closed\.jsonl/);
    await assert.rejects(
      journal.recordApplied([{ change: change('late'), version: { t: 2, origin: 'us-west-2' } }]),
      /replication journal .*closed\.jsonl: it is closed/,
    );
  });
});
