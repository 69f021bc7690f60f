// An item and its secondary-index entries reach LevelDB as one batch (src/store/dynalite-batch.ts):
// dynalite's own actions on a real dynalite store (memory-level), every LevelDB call observed.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { before, describe, test } from 'node:test';
import type { LevelOperation } from '../../src/store/dynalite-batch.ts';
import { fixDynalite } from '../../src/store/dynalite-fixes.ts';

const require = createRequire(import.meta.url);
type Done<T> = (error: (Error & { body?: { message?: string } }) | null | undefined, result?: T) => void;
type Action = (store: unknown, data: Record<string, unknown>, done: Done<Record<string, unknown>>) => void;

interface Level {
  open(): Promise<void>;
  put: (...args: unknown[]) => unknown;
  del: (...args: unknown[]) => unknown;
  batch: (operations: LevelOperation[], callback?: (error?: Error | null) => void) => unknown;
  keys(): AsyncIterable<string>;
}

const table = {
  TableName: 'orders',
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'customer', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byCustomer',
      KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

function run(action: string, store: unknown, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const fn = require(`dynalite/actions/${action}`) as Action;
  return new Promise((resolve, reject) =>
    fn(store, data, (error, result) => (error ? reject(error) : resolve(result ?? {}))),
  );
}

describe('store: one LevelDB batch per item write', () => {
  let store: { db: Level };
  let level: Level;
  const calls: { method: 'put' | 'del' | 'batch'; operations?: LevelOperation[] }[] = [];
  let failBatches = false;

  before(async () => {
    fixDynalite();
    const db = require('dynalite/db') as { create(options: Record<string, number>): { db: Level } };
    store = db.create({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    level = store.db;
    await level.open();
    await run('createTable', store, structuredClone(table));
    // dynalite makes a table ACTIVE on a timer, even at 0 ms: wait for it, bounded.
    for (let i = 0; i < 100; i++) {
      const { Table } = await run('describeTable', store, { TableName: 'orders' });
      if ((Table as { TableStatus: string }).TableStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // LevelDB itself observed (and, when asked, failing as a full disk would): the edge of the store.
    const { put, del, batch } = level;
    level.put = (...args) => {
      calls.push({ method: 'put' });
      return put.apply(level, args);
    };
    level.del = (...args) => {
      calls.push({ method: 'del' });
      return del.apply(level, args);
    };
    level.batch = (operations, callback) => {
      calls.push({ method: 'batch', operations });
      if (failBatches) {
        setImmediate(() => callback?.(new Error('IO error: No space left on device')));
        return;
      }
      return batch.call(level, operations, callback);
    };
  });

  const stored = async () => {
    const keys: string[] = [];
    for await (const key of level.keys()) if (!key.startsWith('table~')) keys.push(key);
    return keys.sort();
  };
  const writes = () => calls.splice(0).filter((c) => c.method !== 'batch' || c.operations?.length);

  test('a PutItem writes its item and its index entry in one batch', async () => {
    await run('putItem', store, { TableName: 'orders', Item: { id: { S: 'o1' }, customer: { S: 'ada' } } });
    const [only, ...rest] = writes();
    assert.deepEqual(rest, []);
    assert.equal(only.method, 'batch');
    assert.deepEqual(
      only.operations?.map((o) => o.type),
      ['put', 'put'],
    );
    assert.equal(only.operations?.[1].key.startsWith('item-orders~'), true, 'the item comes last');
    assert.equal((await stored()).length, 2);
  });

  test('an update that moves the index key deletes the old entry in the same batch', async () => {
    await run('putItem', store, { TableName: 'orders', Item: { id: { S: 'o1' }, customer: { S: 'grace' } } });
    const [only, ...rest] = writes();
    assert.deepEqual(rest, []);
    assert.deepEqual(
      only.operations?.map((o) => o.type),
      ['del', 'put', 'put'],
    );
    const keys = await stored();
    assert.equal(keys.length, 2, `one item, one entry: ${keys}`);
  });

  test('a failed batch fails the write and leaves neither the item nor its entry', async () => {
    failBatches = true;
    try {
      await assert.rejects(
        run('putItem', store, { TableName: 'orders', Item: { id: { S: 'o2' }, customer: { S: 'linus' } } }),
        /No space left/,
      );
    } finally {
      failBatches = false;
    }
    const [only, ...rest] = writes();
    assert.deepEqual(rest, [], 'nothing written beside the failed batch');
    assert.equal(only.operations?.length, 2);
    assert.equal((await stored()).length, 2, 'still only o1 and its entry');
    const got = await run('getItem', store, { TableName: 'orders', Key: { id: { S: 'o2' } } });
    assert.equal(got.Item, undefined);
  });

  test('a DeleteItem removes the item and its entry in one batch', async () => {
    await run('deleteItem', store, { TableName: 'orders', Key: { id: { S: 'o1' } } });
    const [only, ...rest] = writes();
    assert.deepEqual(rest, []);
    assert.deepEqual(
      only.operations?.map((o) => o.type),
      ['del', 'del'],
    );
    assert.deepEqual(await stored(), []);
  });

  test('an item without index attributes is one plain write', async () => {
    await run('putItem', store, { TableName: 'orders', Item: { id: { S: 'o3' } } });
    assert.deepEqual(
      writes().map((c) => c.method),
      ['put'],
    );
  });
});
