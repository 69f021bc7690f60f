/**
 * Which items a successful write changed, read from the request DynamoDB accepted (and, for
 * BatchWriteItem, the UnprocessedItems it answered). Global tables replicate per item, so this is
 * what every write becomes: one change per item written, a transaction's items included.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Key = Record<string, AttributeValue>;

export interface ItemChange {
  table: string;
  key: Key;
}

/** Operations that write items; everything else is never journaled. */
export const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/** Key attribute names per table (partition key first). */
export type KeyNames = (table: string) => string[] | undefined;

type Json = Record<string, unknown>;

function keyOf(table: string, item: Key | undefined, keyNames: KeyNames): Key | undefined {
  const names = keyNames(table);
  if (!item || !names) return undefined;
  const key: Key = {};
  for (const name of names) {
    if (item[name] === undefined) return undefined;
    key[name] = item[name];
  }
  return key;
}

/** A key's stable text: attributes in key-schema order. */
export function keyText(table: string, key: Key, keyNames: KeyNames): string {
  const names = keyNames(table) ?? Object.keys(key).sort();
  return `${table}\u0000${JSON.stringify(names.map((n) => key[n]))}`;
}

export function changedItems(operation: string, request: Json, answer: Json, keyNames: KeyNames): ItemChange[] {
  const out: ItemChange[] = [];
  const add = (table: unknown, item: unknown) => {
    if (typeof table !== 'string') return;
    const key = keyOf(table, item as Key | undefined, keyNames);
    if (key) out.push({ table, key });
  };
  switch (operation) {
    case 'PutItem':
      add(request.TableName, request.Item);
      break;
    case 'UpdateItem':
    case 'DeleteItem':
      add(request.TableName, request.Key);
      break;
    case 'BatchWriteItem': {
      const unprocessed = new Set<string>();
      for (const [table, writes] of Object.entries((answer.UnprocessedItems ?? {}) as Record<string, Json[]>)) {
        for (const write of writes) unprocessed.add(JSON.stringify([table, write]));
      }
      for (const [table, writes] of Object.entries((request.RequestItems ?? {}) as Record<string, Json[]>)) {
        for (const write of writes) {
          if (unprocessed.has(JSON.stringify([table, write]))) continue;
          const put = write.PutRequest as Json | undefined;
          const del = write.DeleteRequest as Json | undefined;
          add(table, put ? put.Item : del?.Key);
        }
      }
      break;
    }
    case 'TransactWriteItems':
      for (const action of (request.TransactItems ?? []) as Json[]) {
        const put = action.Put as Json | undefined;
        const update = (action.Update ?? action.Delete) as Json | undefined;
        if (put) add(put.TableName, put.Item);
        else if (update) add(update.TableName, update.Key);
      }
      break;
  }
  return out;
}
