// dynalite's parsed expressions, remembered (src/store/dynalite-expressions.ts): a remembered parse is
// only ever served for the very same expression, names and values, and each request gets its own tree.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ResolvedTable } from '../../src/config/index.ts';
import { rememberExpressions } from '../../src/store/dynalite-expressions.ts';
import { localClient, type Store, startStore } from '../../src/store/index.ts';

const require = createRequire(import.meta.url);
type Json = Record<string, unknown>;
const dynaliteValidations = require('dynalite/validations') as { validateExpressions: (data: Json) => string };
/** dynalite's own, before any store patches it. */
const validateExpressions = dynaliteValidations.validateExpressions;
const conditionParser = require('dynalite/db/conditionParser') as { parse: (...args: unknown[]) => unknown };

describe('store: remembered expressions', () => {
  test('the same expression is parsed once; another expression, name or value is parsed anew', () => {
    // dynalite's own validateExpressions, its parser counted (a fresh cache: not the store's).
    const parse = conditionParser.parse;
    let parses = 0;
    conditionParser.parse = (...args) => {
      parses++;
      return parse.apply(conditionParser, args);
    };
    try {
      const validate = rememberExpressions(validateExpressions);
      const request = (expression: string, names: Json, values: Json): Json => ({
        ConditionExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
      const first = request('#s = :s', { '#s': 'status' }, { ':s': { S: 'new' } });
      assert.equal(validate(first), undefined);
      const again = request('#s = :s', { '#s': 'status' }, { ':s': { S: 'new' } });
      assert.equal(validate(again), undefined);
      assert.equal(parses, 1, 'the same input is parsed once');
      assert.deepEqual(again._condition, first._condition);
      assert.notEqual(again._condition, first._condition, 'each request has its own tree');

      const otherValue = request('#s = :s', { '#s': 'status' }, { ':s': { S: 'shipped' } });
      validate(otherValue);
      assert.deepEqual((otherValue._condition as { expression: { args: unknown[] } }).expression.args[1], {
        S: 'shipped',
      });
      const otherName = request('#s = :s', { '#s': 'state' }, { ':s': { S: 'new' } });
      validate(otherName);
      assert.deepEqual((otherName._condition as { expression: { args: unknown[] } }).expression.args[0], ['state']);
      assert.equal(parses, 3);

      // A refusal is remembered with its words, and only for its own input.
      const bad = request('#s = :s', { '#s': 'status' }, { ':s': { S: 'new' }, ':unused': { S: 'x' } });
      const refusal = validate(bad);
      assert.match(refusal ?? '', /unused in expressions: keys: \{:unused\}/);
      assert.equal(validate(structuredClone(bad)), refusal);
      assert.equal(parses, 4);
    } finally {
      conditionParser.parse = parse;
    }
  });

  test('the cache forgets its least recently used expression beyond its size', () => {
    let calls = 0;
    const validate = rememberExpressions((data) => {
      calls++;
      data._projection = { paths: [[data.ProjectionExpression]] };
      return undefined;
    }, 2);
    for (const expression of ['a', 'b', 'a', 'c', 'a', 'b']) validate({ ProjectionExpression: expression });
    // a, b parsed; a remembered (now the most recent); c parsed, b forgotten; a remembered; b parsed.
    assert.equal(calls, 4);
  });

  describe('through the store', () => {
    const orders: ResolvedTable = {
      tableName: 'orders',
      partitionKey: { name: 'id', type: 'S' },
      indexes: [
        {
          indexName: 'byCustomer',
          partitionKey: { name: 'customer', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
          projection: { type: 'ALL' },
        },
      ],
      retain: true,
    };
    let store: Store;
    let client: DynamoDBClient;
    before(async () => {
      store = await startStore({ tables: [orders] });
      client = localClient(store.endpoint);
    });
    after(async () => {
      client.destroy();
      await store.close();
    });

    test('one condition text with different values decides each write by its own values', async () => {
      const put = (status: string, expected: string) =>
        client.send(
          new PutItemCommand({
            TableName: 'orders',
            Item: { id: { S: 'o1' }, status: { S: status } },
            ConditionExpression: 'attribute_not_exists(id) OR #s = :expected',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':expected': { S: expected } },
          }),
        );
      await put('new', 'none');
      await put('paid', 'new');
      await assert.rejects(put('shipped', 'new'), ConditionalCheckFailedException);
      await put('shipped', 'paid');
      await assert.rejects(put('done', 'paid'), ConditionalCheckFailedException);
    });

    test('a remembered update tree is never changed by the writes that used it', async () => {
      const append = (id: string) =>
        client.send(
          new UpdateItemCommand({
            TableName: 'orders',
            Key: { id: { S: id } },
            UpdateExpression: 'SET #l = list_append(if_not_exists(#l, :empty), :one)',
            ExpressionAttributeNames: { '#l': 'lines' },
            ExpressionAttributeValues: { ':empty': { L: [] }, ':one': { L: [{ S: 'book' }] } },
            ReturnValues: 'ALL_NEW',
          }),
        );
      for (let i = 0; i < 3; i++) await append('a');
      const fresh = await append('b');
      assert.deepEqual(fresh.Attributes?.lines, { L: [{ S: 'book' }] }, 'a new item starts from an empty list');
      const third = await append('a');
      assert.deepEqual(third.Attributes?.lines, { L: [{ S: 'book' }, { S: 'book' }, { S: 'book' }, { S: 'book' }] });
    });

    test('one key condition text with different values reads each its own items', async () => {
      for (const [id, customer] of [
        ['q1', 'ada'],
        ['q2', 'grace'],
        ['q3', 'ada'],
      ])
        await client.send(
          new PutItemCommand({
            TableName: 'orders',
            Item: { id: { S: id }, customer: { S: customer }, createdAt: { S: `2026-12-0${id.slice(1)}` } },
          }),
        );
      const ids = async (customer: string) =>
        (
          await client.send(
            new QueryCommand({
              TableName: 'orders',
              IndexName: 'byCustomer',
              KeyConditionExpression: 'customer = :c',
              ExpressionAttributeValues: { ':c': { S: customer } },
            }),
          )
        ).Items?.map((item) => item.id.S);
      assert.deepEqual(await ids('ada'), ['q1', 'q3']);
      assert.deepEqual(await ids('grace'), ['q2']);
      assert.deepEqual(await ids('ada'), ['q1', 'q3']);
    });
  });
});
