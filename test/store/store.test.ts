import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { ResolvedTable } from '../../src/config/index.ts';
import { localClient, startStore } from '../../src/store/index.ts';

const orders: ResolvedTable = {
  tableName: 'orders',
  partitionKey: { name: 'id', type: 'S' },
  indexes: [],
  retain: true,
};

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
        `table "orders" exists with keys id S (HASH), config says orderId S (HASH); kept as it is (delete ${dataDir} to recreate it)`,
      );
    } finally {
      await second.close();
    }
  });

  test('global secondary indexes are created and queryable; an index the stored table lacks is reported', async () => {
    const indexed: ResolvedTable = {
      ...orders,
      indexes: [
        {
          indexName: 'byCustomer',
          partitionKey: { name: 'customerId', type: 'S' },
          sortKey: { name: 'createdAt', type: 'N' },
          projection: { type: 'ALL' },
        },
        { indexName: 'byStatus', partitionKey: { name: 'status', type: 'S' }, projection: { type: 'KEYS_ONLY' } },
      ],
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'gantry-store-'));
    const store = await startStore({ tables: [indexed], dataDir });
    const client = localClient(store.endpoint);
    try {
      assert.deepEqual(store.tables, [{ tableName: 'orders', action: 'created' }]);
      for (const [id, customerId, createdAt] of [
        ['o1', 'ann', 3],
        ['o2', 'ann', 1],
        ['o3', 'bob', 2],
      ] as const) {
        await client.send(
          new PutItemCommand({
            TableName: 'orders',
            Item: {
              id: { S: id },
              customerId: { S: customerId },
              createdAt: { N: String(createdAt) },
              status: { S: 'new' },
            },
          }),
        );
      }
      const anns = await client.send(
        new QueryCommand({
          TableName: 'orders',
          IndexName: 'byCustomer',
          KeyConditionExpression: 'customerId = :c',
          ExpressionAttributeValues: { ':c': { S: 'ann' } },
        }),
      );
      assert.deepEqual(
        anns.Items?.map((item) => item.id.S),
        ['o2', 'o1'],
        'by customer, in createdAt order',
      );
      const keysOnly = await client.send(
        new QueryCommand({
          TableName: 'orders',
          IndexName: 'byStatus',
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': { S: 'new' } },
        }),
      );
      assert.deepEqual(
        Object.keys(keysOnly.Items?.[0] ?? {}).sort(),
        ['id', 'status'],
        'KEYS_ONLY projects the keys alone',
      );
    } finally {
      client.destroy();
      await store.close();
    }
    // The data folder now holds the table with two indexes; a config with one more is not silently ignored.
    const more: ResolvedTable = {
      ...indexed,
      indexes: [
        ...indexed.indexes,
        { indexName: 'byTotal', partitionKey: { name: 'total', type: 'N' }, projection: { type: 'ALL' } },
      ],
    };
    // Same names, another type: a key whose type changed is no less a different key.
    const retyped: ResolvedTable = {
      ...indexed,
      indexes: [{ ...indexed.indexes[0], sortKey: { name: 'createdAt', type: 'S' } }, indexed.indexes[1]],
    };
    const third = await startStore({ tables: [retyped], dataDir });
    try {
      assert.match(
        third.tables[0].warning ?? '',
        /exists with indexes byCustomer \[customerId S \(HASH\), createdAt N \(RANGE\).*config says byCustomer \[customerId S \(HASH\), createdAt S \(RANGE\)/,
      );
    } finally {
      await third.close();
    }
    const again = await startStore({ tables: [more], dataDir });
    try {
      assert.equal(
        again.tables[0].warning,
        `table "orders" exists with indexes byCustomer [customerId S (HASH), createdAt N (RANGE); ALL], byStatus [status S (HASH); KEYS_ONLY], config says byCustomer [customerId S (HASH), createdAt N (RANGE); ALL], byStatus [status S (HASH); KEYS_ONLY], byTotal [total N (HASH); ALL]; kept as it is (delete ${dataDir} to recreate it)`,
      );
    } finally {
      await again.close();
    }
  });

  test('close() lets a request in flight finish, then closes its kept-alive connection instead of waiting on it', async () => {
    const store = await startStore({ tables: [orders] });
    const body = JSON.stringify({ TableName: 'orders', Key: { id: { S: 'none' } } });
    const socket = connect(store.port, '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    const headers = [
      'POST / HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/x-amz-json-1.0',
      'X-Amz-Target: DynamoDB_20120810.GetItem',
      'X-Amz-Date: 20260101T000000Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=gantry/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
      `Content-Length: ${body.length}`,
      '',
      '',
    ].join('\r\n');
    // Half the body now, the rest once close() has begun: the request is in flight when the store closes.
    socket.write(headers + body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 50));
    const closing = store.close();
    try {
      socket.write(body.slice(10));
      const closed = await Promise.race([
        closing.then(() => 'closed'),
        new Promise((r) => setTimeout(() => r('still open after 8 s'), 8_000)),
      ]);
      assert.equal(closed, 'closed');
      assert.match(answer, /^HTTP\/1\.1 200 OK/, 'the request in flight got its answer');
    } finally {
      socket.destroy();
      await closing;
    }
  });
});
