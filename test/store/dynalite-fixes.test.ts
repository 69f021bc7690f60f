// What the store does as DynamoDB does where dynalite alone did not (src/store/dynalite-fixes.ts),
// through the AWS SDK against a real store on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ResolvedTable } from '../../src/config/index.ts';
import { localClient, type Store, startStore } from '../../src/store/index.ts';

const orders: ResolvedTable = {
  tableName: 'orders',
  partitionKey: { name: 'id', type: 'S' },
  sortKey: { name: 'line', type: 'S' },
  indexes: [
    {
      indexName: 'byCustomer',
      partitionKey: { name: 'customer', type: 'S' },
      sortKey: { name: 'placedAt', type: 'S' },
      projection: { type: 'ALL' },
    },
  ],
  retain: true,
};

const emptyIndexKey =
  'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
  'The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byCustomer, IndexKey: customer';

async function rejection(promise: Promise<unknown>): Promise<Error & { Item?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { Item?: unknown };
  }
  assert.fail('expected the request to be refused');
}

describe('store: DynamoDB behaviour dynalite lacks', () => {
  let store: Store;
  let client: DynamoDBClient;
  const get = async (id: string, line = '1') =>
    (await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: id }, line: { S: line } } }))).Item;

  before(async () => {
    store = await startStore({ tables: [orders] });
    client = localClient(store.endpoint);
  });
  after(async () => {
    client.destroy();
    await store.close();
  });

  test('an empty string as an index key is refused by PutItem, UpdateItem, BatchWriteItem and transactions, nothing written', async () => {
    const item = { id: { S: 'e1' }, line: { S: '1' }, customer: { S: '' }, placedAt: { S: '2026' } };
    const put = await rejection(client.send(new PutItemCommand({ TableName: 'orders', Item: item })));
    assert.equal(put.name, 'ValidationException');
    assert.equal(put.message, emptyIndexKey);

    const batch = await rejection(
      client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            orders: [
              { PutRequest: { Item: { ...item, id: { S: 'e2' }, customer: { S: 'ada' } } } },
              { PutRequest: { Item: { ...item, id: { S: 'e3' } } } },
            ],
          },
        }),
      ),
    );
    assert.equal(batch.message, emptyIndexKey);
    assert.equal(await get('e2'), undefined, 'the valid item of the refused batch was not written either');

    await client.send(new PutItemCommand({ TableName: 'orders', Item: { ...item, customer: { S: 'ada' } } }));
    const update = await rejection(
      client.send(
        new UpdateItemCommand({
          TableName: 'orders',
          Key: { id: { S: 'e1' }, line: { S: '1' } },
          UpdateExpression: 'SET customer = :empty',
          ExpressionAttributeValues: { ':empty': { S: '' } },
        }),
      ),
    );
    assert.equal(update.message, emptyIndexKey);
    assert.deepEqual((await get('e1'))?.customer, { S: 'ada' }, 'the refused update changed nothing');

    const transaction = await rejection(
      client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'orders', Item: item } }] })),
    );
    assert.equal(transaction.name, 'TransactionCanceledException');
    assert.match(transaction.message, /\[ValidationError\]/);
    assert.deepEqual((await get('e1'))?.customer, { S: 'ada' });

    const found = await client.send(
      new QueryCommand({
        TableName: 'orders',
        IndexName: 'byCustomer',
        KeyConditionExpression: 'customer = :c',
        ExpressionAttributeValues: { ':c': { S: '' } },
      }),
    );
    assert.equal(found.Count, 0, 'nothing was indexed under ""');
    // Absent (a sparse index) is fine, as in DynamoDB.
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'e4' }, line: { S: '1' } } }));
  });

  test('ReturnValuesOnConditionCheckFailure ALL_OLD returns the item with the failure of PutItem, UpdateItem and DeleteItem', async () => {
    const existing = { id: { S: 'c1' }, line: { S: '1' }, status: { S: 'shipped' }, n: { N: '3' } };
    await client.send(new PutItemCommand({ TableName: 'orders', Item: existing }));
    const key = { id: existing.id, line: existing.line };
    const condition = { ConditionExpression: '#s = :pending', ExpressionAttributeNames: { '#s': 'status' } };
    const values = { ':pending': { S: 'pending' } };
    const failures = [
      new PutItemCommand({
        TableName: 'orders',
        Item: { ...existing, status: { S: 'cancelled' } },
        ...condition,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
      new UpdateItemCommand({
        TableName: 'orders',
        Key: key,
        UpdateExpression: 'SET n = n + :one',
        ...condition,
        ExpressionAttributeValues: { ...values, ':one': { N: '1' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
      new DeleteItemCommand({
        TableName: 'orders',
        Key: key,
        ...condition,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    ];
    for (const command of failures) {
      const failed = await rejection(client.send(command as PutItemCommand));
      assert.ok(failed instanceof ConditionalCheckFailedException, `${command.constructor.name}: ${failed.name}`);
      assert.deepEqual(failed.Item, existing, command.constructor.name);
    }
    assert.deepEqual(await get('c1'), existing, 'nothing changed');

    const without = await rejection(
      client.send(
        new PutItemCommand({ TableName: 'orders', Item: existing, ...condition, ExpressionAttributeValues: values }),
      ),
    );
    assert.equal(without.Item, undefined, 'no item unless asked for');
    const absent = await rejection(
      client.send(
        new DeleteItemCommand({
          TableName: 'orders',
          Key: { id: { S: 'nobody' }, line: { S: '1' } },
          ConditionExpression: 'attribute_exists(id)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    assert.equal(absent.Item, undefined, 'no item when there is none');

    const bogus = await rejection(
      client.send(
        new PutItemCommand({
          TableName: 'orders',
          Item: { id: { S: 'c2' }, line: { S: '1' } },
          ReturnValuesOnConditionCheckFailure: 'BOGUS' as 'ALL_OLD',
        }),
      ),
    );
    assert.equal(bogus.name, 'ValidationException');
    assert.match(
      bogus.message,
      /returnValuesOnConditionCheckFailure.*Member must satisfy enum value set: \[ALL_OLD, NONE\]/,
    );
    assert.equal(await get('c2'), undefined);
  });

  test('a consistent Scan of a global secondary index is refused, as a consistent Query of one is; of the table it runs', async () => {
    const refused = await rejection(
      client.send(new ScanCommand({ TableName: 'orders', IndexName: 'byCustomer', ConsistentRead: true })),
    );
    assert.equal(refused.name, 'ValidationException');
    assert.equal(refused.message, 'Consistent reads are not supported on global secondary indexes');
    const table = await client.send(new ScanCommand({ TableName: 'orders', ConsistentRead: true, Limit: 1 }));
    assert.equal(table.$metadata.httpStatusCode, 200);
    const index = await client.send(new ScanCommand({ TableName: 'orders', IndexName: 'byCustomer', Limit: 1 }));
    assert.equal(index.$metadata.httpStatusCode, 200);
  });

  test('the 400 KB item limit and the key limits count UTF-8 bytes', async () => {
    // 150,000 × "中" is 150,000 UTF-16 units but 450,000 UTF-8 bytes: over DynamoDB's 409,600.
    const tooBig = await rejection(
      client.send(
        new PutItemCommand({
          TableName: 'orders',
          Item: { id: { S: 'big' }, line: { S: '1' }, text: { S: '中'.repeat(150_000) } },
        }),
      ),
    );
    assert.equal(tooBig.name, 'ValidationException');
    assert.match(tooBig.message, /Item size has exceeded the maximum allowed size/);
    await client.send(
      new PutItemCommand({
        TableName: 'orders',
        Item: { id: { S: 'big' }, line: { S: '1' }, text: { S: '中'.repeat(130_000) } },
      }),
    );
    const grown = await rejection(
      client.send(
        new UpdateItemCommand({
          TableName: 'orders',
          Key: { id: { S: 'big' }, line: { S: '1' } },
          UpdateExpression: 'SET more = :m',
          ExpressionAttributeValues: { ':m': { L: [{ S: 'é'.repeat(10_000) }] } },
        }),
      ),
    );
    assert.match(grown.message, /Item size to update has exceeded the maximum allowed size/);

    // Numbers inside a list count too: 12,000 × 38 digits is about 240 KB, with the 200 KB text over the limit.
    const numbers = await rejection(
      client.send(
        new PutItemCommand({
          TableName: 'orders',
          Item: {
            id: { S: 'numbers' },
            line: { S: '1' },
            text: { S: 'x'.repeat(200_000) },
            list: { L: Array.from({ length: 12_000 }, () => ({ N: '1'.repeat(38) })) },
          },
        }),
      ),
    );
    assert.match(numbers.message, /Item size has exceeded the maximum allowed size/);

    // 1,000 × "é" is 2,000 bytes: under the partition key's 2,048, over the sort key's 1,024.
    await client.send(
      new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'é'.repeat(1000) }, line: { S: '1' } } }),
    );
    const longSort = await rejection(
      client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'k' }, line: { S: 'é'.repeat(1000) } } })),
    );
    assert.match(longSort.message, /Aggregated size of all range keys has exceeded the size limit of 1024 bytes/);
    const longPartition = await rejection(
      client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'é'.repeat(1100) }, line: { S: '1' } } })),
    );
    assert.match(longPartition.message, /Size of hashkey has exceeded the maximum size limit of\s?2048 bytes/);
  });
});
