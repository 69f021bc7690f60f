/**
 * What DynamoDB does and dynalite 4.0.0 (pinned) does not, put into dynalite's own modules so every
 * path that reaches them (PutItem, UpdateItem, BatchWriteItem, a transaction's steps) gets it. Each is
 * a mistake that passes locally and fails in AWS, found by users in production:
 * - an empty string or binary as a secondary index's key: DynamoDB refuses the write
 *   (architect/dynalite#184); dynalite indexed the item under "";
 * - `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'` on PutItem, UpdateItem, DeleteItem: DynamoDB's
 *   ConditionalCheckFailedException carries the item as it was (dynalite#182); dynalite ignored it,
 *   and any value of it;
 * - Scan of a global secondary index with `ConsistentRead: true`: DynamoDB refuses it, as dynalite's
 *   Query does; dynalite's Scan dropped the field unread;
 * - sizes: DynamoDB counts a string's UTF-8 bytes against the 400 KB item limit and the 2048 / 1024
 *   byte key limits; dynalite counted UTF-16 units, so `'中'.repeat(200_000)` (600 KB) was stored.
 * dynalite's actions call these through the `db` module object (`db.validateItem(...)`), which is what
 * lets a wrapped function take effect; its internal helpers calling each other directly are left alone.
 */
import { createRequire } from 'node:module';
import { batchIndexWrites, type DynaliteIndexing } from './dynalite-batch.ts';
import { rememberExpressions, type ValidateExpressions } from './dynalite-expressions.ts';

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}
interface Index {
  IndexName: string;
  KeySchema: KeyElement[];
}
interface Table {
  KeySchema: KeyElement[];
  GlobalSecondaryIndexes?: Index[];
  LocalSecondaryIndexes?: Index[];
}
interface WireError extends Error {
  statusCode: number;
  body: Record<string, unknown>;
}
type Done = (error?: WireError | null) => void;

interface DynaliteDb {
  validateItem(item: Item, table: Table): WireError | null | undefined;
  validateKey(key: Item, table: Table, keySchema?: KeyElement[]): WireError | null | undefined;
  checkConditional(data: Record<string, unknown>, existing: Item | undefined): WireError | null | undefined;
  itemSize(item: Item, compress?: boolean, addMetaSize?: boolean, rangeKey?: string): number;
  updateIndexes(store: unknown, table: Table, existing: Item | undefined, item: Item | null, done: Done): void;
  validationError(message: string): WireError;
}

interface TypeRule {
  type: string;
  enum?: string[];
}

const require = createRequire(import.meta.url);

/** A secondary index key that is an empty string or binary, as DynamoDB words its refusal; else undefined. */
function emptyIndexKey(item: Item, table: Table): string | undefined {
  for (const index of [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])]) {
    for (const { AttributeName } of index.KeySchema) {
      const value = item[AttributeName];
      if (value && (value.S === '' || value.B === '')) {
        return (
          'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
          `The AttributeValue for a key attribute cannot contain an empty ${value.S === '' ? 'string' : 'binary'} value. ` +
          `IndexName: ${index.IndexName}, IndexKey: ${AttributeName}`
        );
      }
    }
  }
  return undefined;
}

/** A value's size as DynamoDB counts it: UTF-8 bytes for strings, dynalite's own rules otherwise. */
function valueSize(value: AttributeValue): number {
  const [type] = Object.keys(value);
  const inner = value[type];
  switch (type) {
    case 'S':
      return Buffer.byteLength(inner as string, 'utf8');
    case 'B':
      return Buffer.from(inner as string, 'base64').length;
    case 'SS':
      return (inner as string[]).reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
    case 'BS':
      return (inner as string[]).reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
    case 'L':
      return 3 + (inner as AttributeValue[]).reduce((sum, v) => sum + 1 + valueSize(v), 0);
    case 'M':
      return 3 + Object.keys(inner as Item).length + itemBytes(inner as Item);
    default:
      // N, NULL, BOOL: dynalite's count is already DynamoDB's (its item size of `{ x: value }`, less the name).
      return dynaliteItemSize({ x: value }) - 1;
  }
}

/** An item's size against the 400 KB limit: attribute names and values, in UTF-8 bytes. */
function itemBytes(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return size;
}

/** dynalite's own itemSize, unpatched: set by fixDynalite, the only way this module's counts run. */
let dynaliteItemSize: DynaliteDb['itemSize'];

/** A key string over DynamoDB's byte limit (2048 partition, 1024 sort), with dynalite's wording of it. */
function keyTooLarge(key: Item, schema: KeyElement[], db: DynaliteDb): WireError | undefined {
  for (const { AttributeName, KeyType } of schema) {
    const value = key[AttributeName]?.S;
    if (typeof value !== 'string' || value.length * 3 <= 1024) continue;
    const bytes = Buffer.byteLength(value, 'utf8');
    if (KeyType === 'HASH' && bytes > 2048)
      return db.validationError(
        'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
      );
    if (KeyType === 'RANGE' && bytes > 1024)
      return db.validationError(
        'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
      );
  }
  return undefined;
}

let applied = false;

/** Patches dynalite's modules, once per process (they are shared by every store in it). */
export function fixDynalite(): void {
  if (applied) return;
  applied = true;
  const db = require('dynalite/db') as DynaliteDb;
  // Innermost: the refusal of an empty index key below runs before any entry is computed.
  batchIndexWrites(db as unknown as DynaliteIndexing);

  const { validateItem, validateKey, checkConditional, itemSize, updateIndexes } = db;
  dynaliteItemSize = itemSize;

  db.validateItem = (item, table) => {
    const invalid = validateItem(item, table) ?? keyTooLarge(item, table.KeySchema, db);
    if (invalid) return invalid;
    const empty = emptyIndexKey(item, table);
    return empty ? db.validationError(empty) : null;
  };
  db.validateKey = (key, table, keySchema) =>
    validateKey(key, table, keySchema) ?? keyTooLarge(key, keySchema ?? table.KeySchema, db) ?? null;
  // UpdateItem computes its new item after validation: it is checked where the indexes are written,
  // which every write does before it stores the item.
  db.updateIndexes = (store, table, existing, item, done) => {
    const empty = item ? emptyIndexKey(item, table) : undefined;
    if (empty) return done(db.validationError(empty));
    updateIndexes(store, table, existing, item, done);
  };
  db.checkConditional = (data, existing) => {
    const failed = checkConditional(data, existing);
    if (failed && existing && data.ReturnValuesOnConditionCheckFailure === 'ALL_OLD') {
      failed.body = { ...failed.body, Item: existing };
    }
    return failed;
  };
  // The plain form is the limit check (PutItem, UpdateItem, BatchWriteItem; BatchGetItem's page size);
  // the compressed forms estimate Query and Scan's 1 MB pages, left as dynalite has them.
  db.itemSize = (item, compress, addMetaSize, rangeKey) =>
    compress || addMetaSize ? itemSize(item, compress, addMetaSize, rangeKey) : itemBytes(item);

  // Not a fix: dynalite's parse of each request's expressions, remembered (dynalite-expressions.ts).
  const validations = require('dynalite/validations') as { validateExpressions: ValidateExpressions };
  validations.validateExpressions = rememberExpressions(validations.validateExpressions);

  // Scan's list of fields lacks ConsistentRead, so dynalite dropped it before its own check that a
  // global secondary index cannot be read consistently (Query's list has it).
  const scanTypes = (require('dynalite/validations/scan') as { types: Record<string, TypeRule | string> }).types;
  scanTypes.ConsistentRead = 'Boolean';
  const returnValuesOnFailure: TypeRule = { type: 'String', enum: ['ALL_OLD', 'NONE'] };
  for (const action of ['putItem', 'updateItem', 'deleteItem']) {
    const { types } = require(`dynalite/validations/${action}`) as { types: Record<string, TypeRule> };
    types.ReturnValuesOnConditionCheckFailure = returnValuesOnFailure;
  }
}
