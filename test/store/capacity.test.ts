import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { consumedCapacity, localClient, startStore, type TableRequest } from '../../src/store/index.ts';

describe('consumed capacity (estimated from the wire)', () => {
  const item = (bytes: number) => ({ id: { S: 'a' }, blob: { S: 'x'.repeat(bytes) } });
  const cases: [string, string, Record<string, unknown>, number, TableRequest[]][] = [
    [
      'a small put is 1 WRU',
      'PutItem',
      { TableName: 't', Item: item(10) },
      2,
      [{ tableName: 't', operation: 'PutItem', readUnits: 0, writeUnits: 1 }],
    ],
    [
      'a 2.5 KB put is 3 WRU (per started KB)',
      'PutItem',
      { TableName: 't', Item: item(2500) },
      2,
      [{ tableName: 't', operation: 'PutItem', readUnits: 0, writeUnits: 3 }],
    ],
    [
      'an eventually consistent 5 KB read is 1 RRU (2 × 4 KB halves)',
      'GetItem',
      { TableName: 't' },
      5000,
      [{ tableName: 't', operation: 'GetItem', readUnits: 1, writeUnits: 0 }],
    ],
    [
      'a strongly consistent small read is 1 RRU',
      'GetItem',
      { TableName: 't', ConsistentRead: true },
      100,
      [{ tableName: 't', operation: 'GetItem', readUnits: 1, writeUnits: 0 }],
    ],
    [
      'a batch write counts per table',
      'BatchWriteItem',
      {
        RequestItems: { a: [{ PutRequest: { Item: item(10) } }, { DeleteRequest: { Key: { id: { S: 'b' } } } }] },
      },
      2,
      [{ tableName: 'a', operation: 'BatchWriteItem', readUnits: 0, writeUnits: 2 }],
    ],
    ['control-plane calls consume nothing', 'DescribeTable', { TableName: 't' }, 900, []],
  ];
  for (const [name, operation, body, responseBytes, expected] of cases) {
    test(name, () => assert.deepEqual(consumedCapacity(operation, body, responseBytes), expected));
  }

  test('the store reports what real SDK calls consumed', async () => {
    const seen: TableRequest[] = [];
    const store = await startStore({
      tables: [{ tableName: 'orders', partitionKey: { name: 'id', type: 'S' }, indexes: [], retain: true }],
      onRequest: (request) => seen.push(request),
    });
    const client = localClient(store.endpoint);
    try {
      await client.send(new PutItemCommand({ TableName: 'orders', Item: item(1500) }));
      await client.send(
        new QueryCommand({
          TableName: 'orders',
          KeyConditionExpression: 'id = :id',
          ExpressionAttributeValues: { ':id': { S: 'a' } },
          ConsistentRead: true,
        }),
      );
      assert.deepEqual(seen, [
        { tableName: 'orders', operation: 'PutItem', readUnits: 0, writeUnits: 2 },
        { tableName: 'orders', operation: 'Query', readUnits: 1, writeUnits: 0 },
      ]);
    } finally {
      client.destroy();
      await store.close();
    }
  });
});
