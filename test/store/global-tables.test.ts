/**
 * Global tables between two real embedded stores: replication of every kind of write after the
 * configured lag, last writer wins, held regions, and journals that survive a SIGKILL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ResolvedTable } from '../../src/config/index.ts';
import {
  createGlobalTables,
  type GlobalTables,
  localClient,
  type ReplicationSample,
  type Store,
  startStore,
} from '../../src/store/index.ts';

const orders: ResolvedTable = {
  tableName: 'orders',
  partitionKey: { name: 'id', type: 'S' },
  indexes: [],
  retain: true,
};
const LAG_MS = 150;

interface Pair {
  east: Store;
  west: Store;
  e: DynamoDBClient;
  w: DynamoDBClient;
  tables: GlobalTables;
  close(): Promise<void>;
}

async function pair(dir?: string): Promise<Pair> {
  const east = await startStore({ tables: [orders], dataDir: dir && join(dir, 'east') });
  const west = await startStore({ tables: [orders], dataDir: dir && join(dir, 'west') });
  const tables = await createGlobalTables({
    lagMs: LAG_MS,
    replicas: [
      { region: 'us-east-1', store: east.replica, journalFile: dir && join(dir, 'us-east-1.jsonl') },
      { region: 'us-west-2', store: west.replica, journalFile: dir && join(dir, 'us-west-2.jsonl') },
    ],
  });
  const e = localClient(east.endpoint);
  const w = localClient(west.endpoint);
  return {
    east,
    west,
    e,
    w,
    tables,
    async close() {
      await tables.close();
      e.destroy();
      w.destroy();
      await east.close();
      await west.close();
    },
  };
}

const get = async (client: DynamoDBClient, id: string) =>
  (await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: id } }, ConsistentRead: true }))).Item;

describe('global tables (MREC)', () => {
  const open: Pair[] = [];
  after(async () => {
    for (const p of open) await p.close();
  });

  test('a put reaches the other region no sooner than the configured lag, with ReplicationLatency', async () => {
    const p = await pair();
    open.push(p);
    const samples: ReplicationSample[] = [];
    p.tables.onReplicated((s) => samples.push(s));
    await p.e.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o-1' }, total: { N: '5' } } }));
    assert.equal(await get(p.w, 'o-1'), undefined, 'replicated before the lag');
    await p.tables.drained();
    assert.deepEqual(await get(p.w, 'o-1'), { id: { S: 'o-1' }, total: { N: '5' } });
    assert.equal(samples.length, 1);
    assert.equal(samples[0].tableName, 'orders');
    assert.equal(samples[0].receivingRegion, 'us-west-2');
    assert.ok(samples[0].latencyMs >= LAG_MS, `ReplicationLatency ${samples[0].latencyMs} < lag ${LAG_MS}`);
  });

  test('update, delete, batch write and each item of a transaction replicate', async () => {
    const p = await pair();
    open.push(p);
    await p.e.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'u' }, n: { N: '1' } } }));
    await p.e.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'gone' } } }));
    await p.tables.drained();
    await p.e.send(
      new UpdateItemCommand({
        TableName: 'orders',
        Key: { id: { S: 'u' } },
        UpdateExpression: 'SET n = n + :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    await p.e.send(new DeleteItemCommand({ TableName: 'orders', Key: { id: { S: 'gone' } } }));
    await p.w.send(
      new BatchWriteItemCommand({
        RequestItems: {
          orders: [{ PutRequest: { Item: { id: { S: 'b1' } } } }, { PutRequest: { Item: { id: { S: 'b2' } } } }],
        },
      }),
    );
    await p.w.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'orders', Item: { id: { S: 't1' } } } },
          { Put: { TableName: 'orders', Item: { id: { S: 't2' } } } },
        ],
      }),
    );
    await p.tables.drained();
    assert.deepEqual(await get(p.w, 'u'), { id: { S: 'u' }, n: { N: '2' } });
    assert.equal(await get(p.w, 'gone'), undefined);
    for (const id of ['b1', 'b2', 't1', 't2']) assert.deepEqual(await get(p.e, id), { id: { S: id } }, id);
  });

  test('a failed conditional write is not replicated', async () => {
    const p = await pair();
    open.push(p);
    await p.e.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'c' }, v: { N: '1' } } }));
    await assert.rejects(
      p.e.send(
        new PutItemCommand({
          TableName: 'orders',
          Item: { id: { S: 'c' }, v: { N: '2' } },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      ),
      /ConditionalCheckFailed|conditional request failed/,
    );
    await p.tables.drained();
    assert.deepEqual(await get(p.w, 'c'), { id: { S: 'c' }, v: { N: '1' } });
    assert.equal(p.tables.status().find((s) => s.region === 'us-east-1')!.pendingOut, 0);
  });

  test('concurrent writes of one item converge to the later write in both regions', async () => {
    const p = await pair();
    open.push(p);
    await p.e.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'x' }, by: { S: 'east' } } }));
    await p.w.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'x' }, by: { S: 'west' } } }));
    await p.tables.drained();
    assert.deepEqual(await get(p.e, 'x'), { id: { S: 'x' }, by: { S: 'west' } });
    assert.deepEqual(await get(p.w, 'x'), { id: { S: 'x' }, by: { S: 'west' } });
  });

  test('writes made while a region is held reach it after release; the RPO is visible meanwhile', async () => {
    const p = await pair();
    open.push(p);
    p.tables.hold('us-west-2');
    for (let i = 0; i < 5; i++)
      await p.e.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: `h${i}` } } }));
    await p.tables.drained();
    const west = p.tables.status().find((s) => s.region === 'us-west-2')!;
    assert.equal(west.held, true);
    assert.equal(west.pendingIn, 5);
    assert.equal(p.tables.status().find((s) => s.region === 'us-east-1')!.pendingOut, 5);
    assert.equal(await get(p.w, 'h0'), undefined);
    p.tables.release('us-west-2');
    await p.tables.drained();
    for (let i = 0; i < 5; i++) assert.ok(await get(p.w, `h${i}`), `h${i} missing in us-west-2`);
    assert.equal(p.tables.status().find((s) => s.region === 'us-west-2')!.pendingIn, 0);
  });
});

describe('global tables across a SIGKILL', () => {
  test('acknowledged writes queued for a held region are delivered after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-gt-'));
    const script = `
      import { PutItemCommand } from '@aws-sdk/client-dynamodb';
      import { createGlobalTables, localClient, startStore } from './src/store/index.ts';
      const orders = ${JSON.stringify(orders)};
      const dir = ${JSON.stringify(dir)};
      const east = await startStore({ tables: [orders], dataDir: dir + '/east' });
      const west = await startStore({ tables: [orders], dataDir: dir + '/west' });
      const tables = await createGlobalTables({ lagMs: 10, replicas: [
        { region: 'us-east-1', store: east.replica, journalFile: dir + '/us-east-1.jsonl' },
        { region: 'us-west-2', store: west.replica, journalFile: dir + '/us-west-2.jsonl' } ] });
      tables.hold('us-west-2');
      const client = localClient(east.endpoint);
      for (let i = 0; i < 20; i++) {
        await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'k' + i } } }));
        process.stdout.write('ack k' + i + '\\n');
      }
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${acked.length} writes acknowledged`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) if (line.startsWith('ack ')) acked.push(line.slice(4));
        if (acked.length >= 20) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const p = await pair(dir);
    try {
      await p.tables.drained();
      for (const id of acked) {
        assert.ok(await get(p.e, id), `${id} lost in us-east-1`);
        assert.ok(await get(p.w, id), `${id} never reached us-west-2`);
      }
      assert.equal(acked.length, 20);
    } finally {
      await p.close();
    }
  });
});
