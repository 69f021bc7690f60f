/**
 * TransactWriteItems and TransactGetItems, which dynalite does not have, built from dynalite's own
 * operations so conditions and updates are evaluated exactly as its PutItem / UpdateItem are. The
 * store runs each one while no other request reaches dynalite (lock.ts), which makes it atomic and
 * isolated as DynamoDB's are:
 * 1. read every target item (the snapshot);
 * 2. evaluate every condition against it, by writing the item back unchanged under that condition
 *    (or deleting the absent item under it): dynalite judges the expression, nothing changes;
 * 3. if a condition failed: TransactionCanceledException, one reason per action, nothing written;
 * 4. else apply the writes in order; if one fails (an update on a wrong type), put the snapshot
 *    back and cancel with a ValidationError reason for it.
 * Answers are DynamoDB's wire format, so unmodified SDK code sees what it sees in AWS.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * dynalite's own expression checker, the one its UpdateItem and PutItem run before touching data:
 * syntax, and names or values given but used by no expression. It returns DynamoDB's message, or
 * undefined. (An internal module of the pinned dynalite 4.0.0, which its index.js requires too.)
 */
const { validateExpressions } = createRequire(import.meta.url)('dynalite/validations') as {
  validateExpressions(data: Record<string, unknown>): string | undefined;
};

type Item = Record<string, AttributeValue>;
type Json = Record<string, unknown>;

/** A DynamoDB answer: status and JSON body (`__type` + message for errors). */
export interface WireAnswer {
  status: number;
  body: Json;
}

/** DynamoDB's limit on actions per transaction (25 until 2022). */
export const MAX_TRANSACTION_ACTIONS = 100;
/** How long DynamoDB remembers a ClientRequestToken. */
const IDEMPOTENCY_MS = 10 * 60 * 1000;

const wireError = (type: string, message: string, extra: Json = {}): WireAnswer => ({
  status: 400,
  body: { __type: type, message, ...extra },
});
const validation = (message: string) => wireError('com.amazon.coral.validate#ValidationException', message);

/** An SDK error from a dynalite call, as DynamoDB would have put it on the wire. */
function fromSdkError(error: unknown): WireAnswer {
  const { name, message } = error as { name?: string; message?: string };
  if (name === 'ValidationException') return validation(message ?? '');
  return wireError(`com.amazonaws.dynamodb.v20120810#${name ?? 'InternalServerError'}`, message ?? '');
}

/** `#name` and `:value` placeholders an expression uses, so each dynalite call gets only its own. */
function placeholdersOf(...expressions: (string | undefined)[]): Set<string> {
  const used = new Set<string>();
  for (const expression of expressions)
    for (const match of expression?.matchAll(/[#:][A-Za-z0-9_]+/g) ?? []) used.add(match[0]);
  return used;
}

function pickUsed<T>(map: Record<string, T> | undefined, used: Set<string>): Record<string, T> | undefined {
  if (!map) return undefined;
  const picked = Object.entries(map).filter(([key]) => used.has(key));
  return picked.length > 0 ? Object.fromEntries(picked) : undefined;
}

function expressionParts(action: Json, ...expressions: (string | undefined)[]) {
  const used = placeholdersOf(...expressions);
  return {
    ExpressionAttributeNames: pickUsed(action.ExpressionAttributeNames as Record<string, string> | undefined, used),
    ExpressionAttributeValues: pickUsed(action.ExpressionAttributeValues as Item | undefined, used),
  };
}

type Kind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update' | 'Get';
const WRITE_KINDS: Kind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

interface Action {
  kind: Kind;
  spec: Json;
  tableName: string;
  key: Item;
  /** The item before the transaction; undefined when absent. */
  before?: Item;
}

/** Key attribute names per table, from DescribeTable. */
async function keyNames(client: DynamoDBClient, tableName: string, cache: Map<string, string[]>): Promise<string[]> {
  let names = cache.get(tableName);
  if (!names) {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    names = (described.Table?.KeySchema ?? []).map((k) => k.AttributeName ?? '');
    cache.set(tableName, names);
  }
  return names;
}

/**
 * A number as DynamoDB compares it: `1`, `1.0`, `+01` and `10E-1` are one number, so one key. As
 * digits and an exponent, not a JavaScript number, which would round past 15 digits (DynamoDB keeps 38).
 */
function canonicalNumber(text: string): string {
  const match = /^([+-]?)0*(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  // Not a number ('', '.', '-'): left as it is, for dynalite's own validation to refuse.
  if (!match || !/\d/.test(text)) return text;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = whole + fraction;
  let scale = Number(exponent) - fraction.length;
  const leading = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(leading);
  const trimmed = digits.replace(/0+$/, '');
  scale += digits.length - trimmed.length;
  if (trimmed === '') return '0';
  return `${sign === '-' ? '-' : ''}${trimmed}e${scale}`;
}

const identity = (tableName: string, key: Item) =>
  `${tableName}\u0000${JSON.stringify(
    Object.keys(key)
      .sort()
      .map((name) => {
        const value = key[name];
        return [name, typeof value?.N === 'string' ? { N: canonicalNumber(value.N) } : value];
      }),
  )}`;

function shapeError(index: number, message: string): WireAnswer {
  return validation(`TransactItems[${index}]: ${message}`);
}

/** Reads the request's actions and their items' keys; or the error DynamoDB gives. */
async function prepare(client: DynamoDBClient, items: unknown, kinds: readonly Kind[]): Promise<Action[] | WireAnswer> {
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_TRANSACTION_ACTIONS)
    return validation(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and ${MAX_TRANSACTION_ACTIONS}`,
    );
  const keys = new Map<string, string[]>();
  const seen = new Set<string>();
  const actions: Action[] = [];
  for (const [index, entry] of items.entries()) {
    const present = kinds.filter((kind) => typeof (entry as Json | null)?.[kind] === 'object');
    if (present.length !== 1) return shapeError(index, `exactly one of ${kinds.join(', ')} is expected`);
    const kind = present[0];
    const spec = (entry as Json)[kind] as Json;
    if (typeof spec.TableName !== 'string') return shapeError(index, 'TableName is required');
    let key: Item;
    if (kind === 'Put') {
      if (typeof spec.Item !== 'object' || spec.Item === null) return shapeError(index, 'Put needs an Item');
      let names: string[];
      try {
        names = await keyNames(client, spec.TableName, keys);
      } catch (error) {
        return fromSdkError(error);
      }
      const item = spec.Item as Item;
      const missing = names.find((name) => !(name in item));
      if (missing !== undefined)
        return validation(`One or more parameter values were invalid: Missing the key ${missing} in the item`);
      key = Object.fromEntries(names.map((name) => [name, item[name]]));
    } else {
      if (typeof spec.Key !== 'object' || spec.Key === null) return shapeError(index, `${kind} needs a Key`);
      key = spec.Key as Item;
    }
    const onFailure = spec.ReturnValuesOnConditionCheckFailure;
    if (onFailure !== undefined && onFailure !== 'ALL_OLD' && onFailure !== 'NONE')
      return validation(
        `1 validation error detected: Value '${String(onFailure)}' at 'transactItems.${index + 1}.member.${kind.charAt(0).toLowerCase()}${kind.slice(1)}.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`,
      );
    if (kind === 'ConditionCheck' && typeof spec.ConditionExpression !== 'string')
      return shapeError(index, 'ConditionCheck needs a ConditionExpression');
    if (kind === 'Update' && typeof spec.UpdateExpression !== 'string')
      return shapeError(index, 'Update needs an UpdateExpression');
    // Checked up front for every action, as DynamoDB does: a malformed expression or an unused
    // placeholder refuses the whole request, it does not wait for its action's turn.
    const malformed = validateExpressions({
      UpdateExpression: spec.UpdateExpression,
      ConditionExpression: spec.ConditionExpression,
      ProjectionExpression: spec.ProjectionExpression,
      ExpressionAttributeNames: spec.ExpressionAttributeNames,
      ExpressionAttributeValues: spec.ExpressionAttributeValues,
    });
    if (malformed) return validation(malformed);
    // DynamoDB's API reference states this for writes; for reads it documents no such rule.
    const id = identity(spec.TableName, key);
    if (kind !== 'Get' && seen.has(id))
      return validation('Transaction request cannot include multiple operations on one item');
    seen.add(id);
    actions.push({ kind, spec, tableName: spec.TableName, key });
  }
  return actions;
}

/** Reads `action`'s item, strongly consistent; with `projection`, only those attributes. */
async function read(client: DynamoDBClient, action: Action, projection?: string): Promise<Item | undefined> {
  const got = await client.send(
    new GetItemCommand({
      TableName: action.tableName,
      Key: action.key,
      ConsistentRead: true,
      ProjectionExpression: projection,
      ExpressionAttributeNames: projection
        ? (action.spec.ExpressionAttributeNames as Record<string, string> | undefined)
        : undefined,
    }),
  );
  return got.Item;
}

interface Reason {
  Code: string;
  Message?: string;
  Item?: Item;
}

function cancelled(reasons: Reason[]): WireAnswer {
  return wireError(
    'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    { CancellationReasons: reasons },
  );
}

/** Puts the snapshot back, or deletes the item that was absent; under `condition` when given. */
async function writeBack(client: DynamoDBClient, action: Action, condition?: string): Promise<void> {
  const parts = condition ? { ConditionExpression: condition, ...expressionParts(action.spec, condition) } : {};
  if (action.before)
    await client.send(new PutItemCommand({ TableName: action.tableName, Item: action.before, ...parts }));
  else await client.send(new DeleteItemCommand({ TableName: action.tableName, Key: action.key, ...parts }));
}

/** Whether the action's condition holds on the snapshot: a failed check, or the error that stops the whole request. */
async function checkCondition(client: DynamoDBClient, action: Action): Promise<Reason | WireAnswer> {
  const condition = action.spec.ConditionExpression as string | undefined;
  if (condition === undefined) return { Code: 'None' };
  try {
    await writeBack(client, action, condition);
    return { Code: 'None' };
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') return fromSdkError(error);
    const reason: Reason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
    if (action.spec.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && action.before) reason.Item = action.before;
    return reason;
  }
}

async function apply(client: DynamoDBClient, action: Action): Promise<void> {
  const { tableName: TableName, key: Key, spec } = action;
  if (action.kind === 'Put') await client.send(new PutItemCommand({ TableName, Item: spec.Item as Item }));
  else if (action.kind === 'Delete') await client.send(new DeleteItemCommand({ TableName, Key }));
  else if (action.kind === 'Update') {
    const UpdateExpression = spec.UpdateExpression as string;
    await client.send(
      new UpdateItemCommand({ TableName, Key, UpdateExpression, ...expressionParts(spec, UpdateExpression) }),
    );
  }
}

/** ClientRequestToken → what the request looked like, for DynamoDB's 10-minute idempotency. */
export type TokenMemory = Map<string, { fingerprint: string; expiresAt: number }>;

function fingerprint(body: Json): string {
  const { ClientRequestToken: _token, ReturnConsumedCapacity: _c, ReturnItemCollectionMetrics: _m, ...rest } = body;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/** Runs one TransactWriteItems request; the caller holds the store to itself meanwhile. */
export async function transactWriteItems(client: DynamoDBClient, body: Json, tokens: TokenMemory): Promise<WireAnswer> {
  const token = typeof body.ClientRequestToken === 'string' ? body.ClientRequestToken : undefined;
  if (token !== undefined && (token.length < 1 || token.length > 36))
    return validation(
      `1 validation error detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length ${token.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 36'}`,
    );
  const now = Date.now();
  for (const [key, remembered] of tokens) if (remembered.expiresAt <= now) tokens.delete(key);
  if (token !== undefined) {
    const remembered = tokens.get(token);
    if (remembered) {
      // A retry of a transaction that succeeded: DynamoDB answers success again and changes nothing.
      if (remembered.fingerprint === fingerprint(body)) return { status: 200, body: {} };
      return wireError(
        'com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException',
        'The request uses the same client token as a previous, but non-identical request.',
      );
    }
  }
  const actions = await prepare(client, body.TransactItems, WRITE_KINDS);
  if (!Array.isArray(actions)) return actions;
  try {
    for (const action of actions) action.before = await read(client, action);
  } catch (error) {
    return fromSdkError(error);
  }
  const reasons: Reason[] = [];
  for (const action of actions) {
    const checked = await checkCondition(client, action);
    if ('status' in checked) return checked;
    reasons.push(checked);
  }
  if (reasons.some((r) => r.Code !== 'None')) return cancelled(reasons);
  const applied: Action[] = [];
  for (const [index, action] of actions.entries()) {
    try {
      await apply(client, action);
      applied.push(action);
    } catch (error) {
      for (const done of applied.reverse()) await writeBack(client, done).catch(() => {});
      const failed = reasons.map((): Reason => ({ Code: 'None' }));
      failed[index] = { Code: 'ValidationError', Message: (error as Error).message };
      return cancelled(failed);
    }
  }
  if (token !== undefined) tokens.set(token, { fingerprint: fingerprint(body), expiresAt: now + IDEMPOTENCY_MS });
  return { status: 200, body: {} };
}

/** Runs one TransactGetItems request: every item read at the same instant, as DynamoDB does. */
export async function transactGetItems(client: DynamoDBClient, body: Json): Promise<WireAnswer> {
  const gets = await prepare(client, body.TransactItems, ['Get']);
  if (!Array.isArray(gets)) return gets;
  const responses: Json[] = [];
  try {
    for (const get of gets) {
      const item = await read(client, get, get.spec.ProjectionExpression as string | undefined);
      responses.push(item ? { Item: item } : {});
    }
  } catch (error) {
    return fromSdkError(error);
  }
  return { status: 200, body: { Responses: responses } };
}
