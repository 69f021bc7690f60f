// Request units crossing from the store's thread through shared memory (src/store/thread/units-ring.ts):
// read by the host when it asks (as functions answer), a message only for a new name, a full ring or
// units left unread; every request counted exactly once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { ResolvedTable } from '../../src/config/index.ts';
import type { TableRequest } from '../../src/store/capacity.ts';
import { StoreThread } from '../../src/store/thread/host.ts';
import { type UnitsMessage, UnitsReader, UnitsWriter, unitsRing } from '../../src/store/thread/units-ring.ts';

const put = (tableName: string, writeUnits = 1): TableRequest => ({
  tableName,
  operation: 'PutItem',
  readUnits: 0,
  writeUnits,
});

describe('store: request units through shared memory', () => {
  test('new names travel at once; other units wait for the host to read them, a message only if it does not', () => {
    const ring = unitsRing(8);
    const posted: UnitsMessage[] = [];
    const checks: (() => void)[] = [];
    const writer = new UnitsWriter(
      ring,
      (message) => posted.push(message),
      (check) => checks.push(check),
    );
    const reader = new UnitsReader(ring);
    const seen: TableRequest[] = [];
    const listener = (r: TableRequest) => seen.push(r);

    writer.write(put('orders'));
    writer.write(put('orders', 3));
    writer.write({ tableName: 'orders', operation: 'Query', readUnits: 1.5, writeUnits: 0 });
    assert.deepEqual(posted, [{ names: ['orders', 'PutItem'] }, { names: ['Query'] }], 'new names always travel');
    assert.equal(checks.length, 0, 'a message is on its way: it makes the host read them all');
    for (const message of posted.splice(0)) reader.read(message, listener);
    assert.deepEqual(seen, [
      put('orders'),
      put('orders', 3),
      { tableName: 'orders', operation: 'Query', readUnits: 1.5, writeUnits: 0 },
    ]);

    writer.write(put('orders', 2));
    writer.write(put('orders', 4));
    assert.deepEqual(posted, [], 'known names: no message');
    assert.equal(checks.length, 1, 'one check at a time');
    reader.poll(listener);
    assert.deepEqual(seen.slice(3), [put('orders', 2), put('orders', 4)], 'read when the host asks');
    checks.shift()?.();
    assert.deepEqual(posted, [], 'all read by the check: no message');

    writer.write(put('orders', 5));
    checks.shift()?.();
    assert.deepEqual(posted, [{ names: [] }], 'left unread: the check rings');
    writer.write(put('orders', 6));
    assert.equal(checks.length, 0, 'rung: the message on its way covers it');
    reader.read(posted[0], listener);
    assert.deepEqual(seen.slice(5), [put('orders', 5), put('orders', 6)]);
    reader.poll(listener);
    assert.equal(seen.length, 7, 'nothing is read twice');
  });

  test('a name still on its way stops the reading until its message arrives', () => {
    const ring = unitsRing(8);
    const posted: UnitsMessage[] = [];
    const writer = new UnitsWriter(ring, (message) => posted.push(message));
    const reader = new UnitsReader(ring);
    const seen: string[] = [];
    writer.write(put('orders'));
    writer.write(put('invoices'));
    const [first, second] = posted;
    reader.read(first, (r) => seen.push(r.tableName));
    assert.deepEqual(seen, ['orders']);
    reader.read(second, (r) => seen.push(r.tableName));
    assert.deepEqual(seen, ['orders', 'invoices']);
  });

  test('a full ring sends units in messages: none is dropped', () => {
    const ring = unitsRing(2);
    const posted: UnitsMessage[] = [];
    const writer = new UnitsWriter(ring, (message) => posted.push(message));
    const reader = new UnitsReader(ring);
    for (let i = 1; i <= 5; i++) writer.write(put('orders', i));
    let total = 0;
    let count = 0;
    for (const message of posted)
      reader.read(message, (r) => {
        total += r.writeUnits;
        count++;
      });
    assert.deepEqual({ count, total }, { count: 5, total: 15 });
  });

  test('counting goes on across 2^31 requests (the counters wrap)', () => {
    const ring = unitsRing(4);
    // The ring's counters (written, read: slots 1 and 2) as a long session would have left them.
    ring[1] = 0x7fffffff - 1;
    ring[2] = 0x7fffffff - 1;
    const posted: UnitsMessage[] = [];
    const writer = new UnitsWriter(
      ring,
      (message) => posted.push(message),
      () => {},
    );
    const reader = new UnitsReader(ring);
    let total = 0;
    const count = (r: TableRequest) => {
      total += r.writeUnits;
    };
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i <= 3; i++) writer.write(put('orders', i));
      for (const message of posted.splice(0)) reader.read(message, count);
      reader.poll(count);
    }
    assert.equal(total, 18);
    assert.ok(ring[1] < 0, 'the written counter wrapped');
  });

  test('a host busy while the store answers 1,500 writes still counts each one once', async () => {
    const orders: ResolvedTable = {
      tableName: 'orders',
      partitionKey: { name: 'id', type: 'S' },
      indexes: [],
      retain: true,
    };
    const thread = new StoreThread();
    const store = await thread.startStore({ tables: [orders] });
    const seen: TableRequest[] = [];
    store.onRequest = (request) => seen.push(request);
    const done = new Int32Array(new SharedArrayBuffer(4));
    // The client runs in a thread of its own, so this one (the host) can be kept busy meanwhile.
    const client = new Worker(
      `const { workerData } = require('node:worker_threads');
       const { createRequire } = require('node:module');
       const { DynamoDBClient, PutItemCommand } = createRequire(workerData.root)('@aws-sdk/client-dynamodb');
       const client = new DynamoDBClient({ endpoint: workerData.endpoint, region: 'us-east-1',
         credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
       (async () => {
         let next = 0;
         const one = async () => { while (next < 1500) { const i = next++;
           await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o' + i }, big: { S: 'x'.repeat(i % 3 === 0 ? 1500 : 10) } } })); } };
         await Promise.all(Array.from({ length: 20 }, one));
         Atomics.store(workerData.done, 0, 1);
         Atomics.notify(workerData.done, 0);
       })();`,
      { eval: true, workerData: { root: `${process.cwd()}/`, endpoint: store.endpoint, done } },
    );
    try {
      // Busy (as a gateway under load would be) until every write is answered: the ring fills.
      assert.equal(Atomics.wait(done, 0, 0, 60_000), 'ok');
      for (let i = 0; i < 2000 && seen.length < 1500; i++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(seen.length, 1500);
      // Items of 1,500 bytes are 2 write units, the others 1: 500 of the first kind.
      assert.equal(
        seen.reduce((sum, r) => sum + r.writeUnits, 0),
        1500 + 500,
      );
      assert.ok(seen.every((r) => r.tableName === 'orders' && r.operation === 'PutItem' && r.readUnits === 0));
    } finally {
      await client.terminate();
      await store.close();
      await thread.terminate();
    }
  });
});
