import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { ResolvedTable } from '../../src/config/index.ts';
import { localClient, startStore } from '../../src/store/index.ts';

const orders: ResolvedTable = { tableName: 'orders', partitionKey: { name: 'id', type: 'S' }, retain: true };

describe('embedded store', () => {
  test('creates the config tables, ready for writes at once', async () => {
    const store = await startStore({ tables: [orders] });
    const client = localClient(store.endpoint);
    try {
      assert.deepEqual(store.tables, [{ tableName: 'orders', action: 'created' }]);
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'a' }, n: { N: '1' } } }));
      const got = await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'a' } } }));
      assert.deepEqual(got.Item, { id: { S: 'a' }, n: { N: '1' } });
    } finally {
      client.destroy();
      await store.close();
    }
  });

  test('data survives a clean restart, and the existing table is kept', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gantry-store-'));
    const first = await startStore({ tables: [orders], dataDir });
    const client = localClient(first.endpoint);
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'kept' } } }));
    client.destroy();
    await first.close();

    const second = await startStore({ tables: [orders], dataDir });
    const again = localClient(second.endpoint);
    try {
      assert.deepEqual(second.tables, [{ tableName: 'orders', action: 'existing' }]);
      const got = await again.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'kept' } } }));
      assert.deepEqual(got.Item, { id: { S: 'kept' } });
    } finally {
      again.destroy();
      await second.close();
    }
  });

  test('data survives the process being killed (SIGKILL, no clean close)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gantry-store-'));
    const script = `
      import { PutItemCommand } from '@aws-sdk/client-dynamodb';
      import { localClient, startStore } from './src/store/index.ts';
      const store = await startStore({ tables: [${JSON.stringify(orders)}], dataDir: ${JSON.stringify(dataDir)} });
      const client = localClient(store.endpoint);
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'survivor' } } }));
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      timeout: 60_000,
    });
    assert.equal(child.signal, 'SIGKILL', child.stderr.toString());
    const store = await startStore({ tables: [orders], dataDir });
    const client = localClient(store.endpoint);
    try {
      const got = await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'survivor' } } }));
      assert.deepEqual(got.Item, { id: { S: 'survivor' } });
    } finally {
      client.destroy();
      await store.close();
    }
  });

  test('a key schema that differs from the config is reported, not silently applied', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gantry-store-'));
    const first = await startStore({ tables: [orders], dataDir });
    await first.close();
    const changed: ResolvedTable = { ...orders, partitionKey: { name: 'orderId', type: 'S' } };
    const second = await startStore({ tables: [changed], dataDir });
    try {
      assert.equal(
        second.tables[0].warning,
        `table "orders" exists with keys id (HASH), config says orderId (HASH); kept as it is (delete ${dataDir} to recreate it)`,
      );
    } finally {
      await second.close();
    }
  });
});
