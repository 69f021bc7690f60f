// DynamoDB transactions on the embedded store, through the unmodified AWS SDK v3 as handlers use it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ResolvedTable } from '../../src/config/index.ts';
import { localClient, type Store, startStore, type TableRequest } from '../../src/store/index.ts';

const tables: ResolvedTable[] = [
  { tableName: 'accounts', partitionKey: { name: 'id', type: 'S' }, indexes: [], retain: true },
  {
    tableName: 'ledger',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'N' },
    indexes: [],
    retain: true,
  },
];
let store: Store;
let client: DynamoDBClient;
const seen: TableRequest[] = [];

before(async () => {
  store = await startStore({ tables, onRequest: (request) => seen.push(request) });
  client = localClient(store.endpoint);
});
after(async () => {
  client.destroy();
  await store.close();
});

const put = (id: string, balance: number) =>
  client.send(new PutItemCommand({ TableName: 'accounts', Item: { id: { S: id }, balance: { N: String(balance) } } }));
const balanceOf = async (id: string) => {
  const got = await client.send(
    new GetItemCommand({ TableName: 'accounts', Key: { id: { S: id } }, ConsistentRead: true }),
  );
  return got.Item ? Number(got.Item.balance.N) : undefined;
};

/** Moves `amount` from one account to another, refusing to overdraw: the textbook transaction. */
const transfer = (from: string, to: string, amount: number, token?: string) =>
  new TransactWriteItemsCommand({
    ClientRequestToken: token,
    TransactItems: [
      {
        Update: {
          TableName: 'accounts',
          Key: { id: { S: from } },
          UpdateExpression: 'SET balance = balance - :a',
          ConditionExpression: 'balance >= :a',
          ExpressionAttributeValues: { ':a': { N: String(amount) } },
        },
      },
      {
        Update: {
          TableName: 'accounts',
          Key: { id: { S: to } },
          UpdateExpression: 'SET balance = balance + :a',
          ExpressionAttributeValues: { ':a': { N: String(amount) } },
        },
      },
    ],
  });

async function cancellation(promise: Promise<unknown>): Promise<TransactionCanceledException> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TransactionCanceledException, `expected a cancellation, got ${error}`);
    return error;
  }
  assert.fail('the transaction went through');
}

describe('TransactWriteItems', () => {
  test('every action applies, or none: a failed condition cancels it with one reason per action', async () => {
    await put('alice', 100);
    await put('bob', 0);
    await client.send(transfer('alice', 'bob', 60));
    assert.deepEqual([await balanceOf('alice'), await balanceOf('bob')], [40, 60]);

    const error = await cancellation(client.send(transfer('alice', 'bob', 50)));
    assert.equal(
      error.message,
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
    );
    assert.deepEqual(error.CancellationReasons, [
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
    ]);
    assert.deepEqual([await balanceOf('alice'), await balanceOf('bob')], [40, 60], 'nothing was written');
  });

  test('puts, deletes and condition checks across two tables; ALL_OLD returns the item that failed', async () => {
    await put('carol', 5);
    await put('dave', 7);
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'ledger', Item: { pk: { S: 'carol' }, sk: { N: '1' }, note: { S: 'opened' } } } },
          {
            Delete: { TableName: 'accounts', Key: { id: { S: 'dave' } }, ConditionExpression: 'attribute_exists(id)' },
          },
          {
            ConditionCheck: {
              TableName: 'accounts',
              Key: { id: { S: 'carol' } },
              ConditionExpression: 'balance = :b',
              ExpressionAttributeValues: { ':b': { N: '5' } },
            },
          },
        ],
      }),
    );
    assert.equal(await balanceOf('dave'), undefined, 'deleted');
    const entry = await client.send(
      new GetItemCommand({ TableName: 'ledger', Key: { pk: { S: 'carol' }, sk: { N: '1' } } }),
    );
    assert.equal(entry.Item?.note.S, 'opened');

    const error = await cancellation(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'ledger', Item: { pk: { S: 'carol' }, sk: { N: '2' } } } },
            {
              ConditionCheck: {
                TableName: 'accounts',
                Key: { id: { S: 'carol' } },
                ConditionExpression: 'balance > :b',
                ExpressionAttributeValues: { ':b': { N: '10' } },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: { TableName: 'accounts', Item: { id: { S: 'dave' } }, ConditionExpression: 'attribute_exists(id)' },
            },
          ],
        }),
      ),
    );
    assert.deepEqual(error.CancellationReasons, [
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { id: { S: 'carol' }, balance: { N: '5' } },
      },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    const absent = await client.send(
      new GetItemCommand({ TableName: 'ledger', Key: { pk: { S: 'carol' }, sk: { N: '2' } } }),
    );
    assert.equal(absent.Item, undefined, 'the put of the cancelled transaction was not written');
  });

  test('an update that cannot apply (arithmetic on a string) cancels with ValidationError and undoes what was written', async () => {
    await client.send(
      new PutItemCommand({ TableName: 'accounts', Item: { id: { S: 'erin' }, balance: { S: 'lots' } } }),
    );
    const error = await cancellation(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'accounts', Item: { id: { S: 'frank' }, balance: { N: '1' } } } },
            {
              Update: {
                TableName: 'accounts',
                Key: { id: { S: 'erin' } },
                UpdateExpression: 'SET balance = balance + :a',
                ExpressionAttributeValues: { ':a': { N: '1' } },
              },
            },
          ],
        }),
      ),
    );
    assert.equal(error.CancellationReasons?.[0].Code, 'None');
    assert.equal(error.CancellationReasons?.[1].Code, 'ValidationError');
    assert.match(error.CancellationReasons?.[1].Message ?? '', /operand/i);
    assert.equal(await balanceOf('frank'), undefined, 'the put before the failing update was undone');
  });

  test('a malformed expression or an unused placeholder refuses the whole request up front, as DynamoDB does', async () => {
    await put('nina', 1);
    const failingCheck = {
      ConditionCheck: {
        TableName: 'accounts',
        Key: { id: { S: 'nina' } },
        ConditionExpression: 'balance > :b',
        ExpressionAttributeValues: { ':b': { N: '100' } },
      },
    };
    // Even beside a condition that fails: the malformed action is not a "None" among the reasons.
    await assert.rejects(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            failingCheck,
            {
              Update: {
                TableName: 'accounts',
                Key: { id: { S: 'oscar' } },
                UpdateExpression: 'SET a = = :a',
                ExpressionAttributeValues: { ':a': { N: '1' } },
              },
            },
          ],
        }),
      ),
      { name: 'ValidationException', message: /^Invalid UpdateExpression: Syntax error/ },
    );
    await assert.rejects(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: 'accounts',
                Key: { id: { S: 'oscar' } },
                UpdateExpression: 'SET a = :a',
                ExpressionAttributeValues: { ':a': { N: '1' }, ':unused': { S: 'x' } },
              },
            },
          ],
        }),
      ),
      {
        name: 'ValidationException',
        message: 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}',
      },
    );
    await assert.rejects(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: 'accounts', Item: { balance: { N: '1' } } } }],
        }),
      ),
      {
        name: 'ValidationException',
        message: 'One or more parameter values were invalid: Missing the key id in the item',
      },
    );
    assert.equal(await balanceOf('oscar'), undefined, 'nothing was written');
  });

  test('a client that leaves halfway through a request does not hold the store: transactions still run', async () => {
    const body = JSON.stringify({ TableName: 'accounts', Item: { id: { S: 'pia' } } });
    const socket = connect(store.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      [
        'POST / HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/x-amz-json-1.0',
        'X-Amz-Target: DynamoDB_20120810.PutItem',
        'X-Amz-Date: 20260101T000000Z',
        'Authorization: AWS4-HMAC-SHA256 Credential=gantry/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
        `Content-Length: ${body.length}`,
        '',
        body.slice(0, 10),
      ].join('\r\n'),
    );
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await put('quinn', 5);
    await put('rita', 0);
    const outcome = await Promise.race([
      client.send(transfer('quinn', 'rita', 5)).then(() => 'done'),
      new Promise((r) => setTimeout(() => r('still waiting after 8 s'), 8_000)),
    ]);
    assert.equal(outcome, 'done');
  });

  test('two actions on one item are refused as DynamoDB refuses them', async () => {
    await assert.rejects(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'accounts', Item: { id: { S: 'gina' } } } },
            { Delete: { TableName: 'accounts', Key: { id: { S: 'gina' } } } },
          ],
        }),
      ),
      { name: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' },
    );
    // 1 and 1.0 are one number to DynamoDB, so one key: the second Put must not overwrite the first.
    await assert.rejects(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'ledger', Item: { pk: { S: 'gina' }, sk: { N: '1' }, note: { S: 'first' } } } },
            { Put: { TableName: 'ledger', Item: { pk: { S: 'gina' }, sk: { N: '1.0' }, note: { S: 'second' } } } },
          ],
        }),
      ),
      { name: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' },
    );
  });

  test('a ClientRequestToken over 36 characters, or an unknown ReturnValuesOnConditionCheckFailure, is refused', async () => {
    await put('jo', 5);
    await put('kim', 0);
    await assert.rejects(client.send(transfer('jo', 'kim', 1, 'x'.repeat(37))), {
      name: 'ValidationException',
      message:
        "1 validation error detected: Value 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36",
    });
    await assert.rejects(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: 'accounts',
                Item: { id: { S: 'kim' }, balance: { N: '9' } },
                ReturnValuesOnConditionCheckFailure: 'EVERYTHING' as 'ALL_OLD',
              },
            },
          ],
        }),
      ),
      {
        name: 'ValidationException',
        message:
          "1 validation error detected: Value 'EVERYTHING' at 'transactItems.1.member.put.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
      },
    );
    assert.deepEqual([await balanceOf('jo'), await balanceOf('kim')], [5, 0], 'nothing applied');
  });

  test('a retry with the same ClientRequestToken succeeds without applying twice; another request with it is refused', async () => {
    await put('hank', 10);
    await put('ivy', 0);
    await client.send(transfer('hank', 'ivy', 3, 'token-1'));
    await client.send(transfer('hank', 'ivy', 3, 'token-1'));
    assert.deepEqual([await balanceOf('hank'), await balanceOf('ivy')], [7, 3]);
    await assert.rejects(client.send(transfer('hank', 'ivy', 4, 'token-1')), {
      name: 'IdempotentParameterMismatchException',
    });
  });

  test('the Document client (lib-dynamodb) works unchanged', async () => {
    const documents = DynamoDBDocumentClient.from(client);
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'accounts', Item: { id: 'jane', balance: 3, tags: new Set(['vip']) } } },
          { Put: { TableName: 'ledger', Item: { pk: 'jane', sk: 1, note: 'welcome' } } },
        ],
      }),
    );
    const got = await documents.send(new GetCommand({ TableName: 'accounts', Key: { id: 'jane' } }));
    assert.deepEqual(got.Item, { id: 'jane', balance: 3, tags: new Set(['vip']) });
  });
});

describe('TransactGetItems and isolation', () => {
  test('reads every item at one instant, in order, {} for a missing one', async () => {
    await put('kim', 1);
    const got = await client.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'accounts', Key: { id: { S: 'kim' } } } },
          { Get: { TableName: 'accounts', Key: { id: { S: 'nobody' } } } },
          {
            Get: {
              TableName: 'accounts',
              Key: { id: { S: 'kim' } },
              ProjectionExpression: '#b',
              ExpressionAttributeNames: { '#b': 'balance' },
            },
          },
        ],
      }),
    );
    assert.deepEqual(got.Responses, [
      { Item: { id: { S: 'kim' }, balance: { N: '1' } } },
      {},
      { Item: { balance: { N: '1' } } },
    ]);
  });

  test('no reader ever sees half a transaction, and concurrent transfers neither lose nor create money', async () => {
    await put('left', 1000);
    await put('right', 1000);
    const reads: number[] = [];
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      work.push(client.send(transfer(i % 2 ? 'left' : 'right', i % 2 ? 'right' : 'left', i + 1)));
      work.push(
        client
          .send(
            new TransactGetItemsCommand({
              TransactItems: [
                { Get: { TableName: 'accounts', Key: { id: { S: 'left' } } } },
                { Get: { TableName: 'accounts', Key: { id: { S: 'right' } } } },
              ],
            }),
          )
          .then((got) =>
            reads.push(Number(got.Responses?.[0].Item?.balance.N) + Number(got.Responses?.[1].Item?.balance.N)),
          ),
      );
      // Plain writes to the same items, which must wait for a running transaction rather than interleave.
      work.push(client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: { S: 'left' } } })));
    }
    await Promise.all(work);
    assert.equal(reads.length, 30);
    assert.ok(
      reads.every((total) => total === 2000),
      `totals seen: ${reads.join(', ')}`,
    );
    assert.equal((await balanceOf('left'))! + (await balanceOf('right'))!, 2000);
  });

  test('the cost meter sees each transaction once, at twice the units, and none of its inner steps', async () => {
    seen.length = 0;
    await put('lou', 10);
    await put('max', 0);
    seen.length = 0;
    await client.send(transfer('lou', 'max', 1));
    await client.send(
      new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'accounts', Key: { id: { S: 'lou' } } } }] }),
    );
    // Reported once answered: wait for the second report.
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(seen, [
      { tableName: 'accounts', operation: 'TransactWriteItems', readUnits: 0, writeUnits: 4 },
      { tableName: 'accounts', operation: 'TransactGetItems', readUnits: 2, writeUnits: 0 },
    ]);
  });
});
