/**
 * A table whose indexes changed in the config is rebuilt with them, its items kept. DynamoDB's
 * UpdateTable adds and deletes global secondary indexes on a live table (backfilling new ones);
 * dynalite can do neither, and deleting the data folder to get an index would lose every item.
 * So: read every item, set them aside in a file, recreate the table, write them back, drop the file.
 * A crash in between leaves the file, and the next start finishes the job from it.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { ResolvedTable } from '../config/index.ts';

type Item = Record<string, AttributeValue>;

/** Where a table's items wait while it is rebuilt (in the data folder, so they survive a crash). */
export const setAsideFile = (dir: string, tableName: string) => join(dir, `rebuilding-${tableName}.json`);

async function scanAll(client: DynamoDBClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Writes items 25 at a time (BatchWriteItem's limit), until none is left unprocessed. */
export async function writeAll(client: DynamoDBClient, tableName: string, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

/**
 * The first item that no index of the config could take (a key attribute of another type, or an
 * empty string or binary), described; undefined when every item fits. DynamoDB's backfill would leave
 * such an item out of the index; dynalite would refuse to store it at all, so nothing is rebuilt.
 */
function misfit(table: ResolvedTable, items: Item[]): string | undefined {
  const tableKeys = [table.partitionKey.name, table.sortKey?.name].filter((k): k is string => k !== undefined);
  for (const item of items) {
    for (const index of table.indexes) {
      for (const key of [index.partitionKey, index.sortKey]) {
        const value = key && item[key.name];
        if (!key || !value) continue;
        const type = Object.keys(value)[0];
        const raw = (value as unknown as Record<string, unknown>)[type];
        if (type === key.type && raw !== '') continue;
        const id = JSON.stringify(Object.fromEntries(tableKeys.map((k) => [k, item[k]])));
        return `item ${id} has ${key.name} ${raw === '' ? 'empty' : `of type ${type}`}, index ${index.indexName} expects a non-empty ${key.type}`;
      }
    }
  }
  return undefined;
}

async function deleteTable(client: DynamoDBClient, tableName: string, timeoutMs = 10_000): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    if (Date.now() > deadline) throw new Error(`table "${tableName}" was not deleted within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export type RebuildOutcome = { rebuilt: true; items: number } | { rebuilt: false; reason: string };

/** Rebuilds `table` as the config has it (`create` makes the empty table), items kept. */
export async function rebuildWithIndexes(
  client: DynamoDBClient,
  table: ResolvedTable,
  create: () => Promise<void>,
  setAsideDir: string | undefined,
): Promise<RebuildOutcome> {
  const items = await scanAll(client, table.tableName);
  const problem = misfit(table, items);
  if (problem) return { rebuilt: false, reason: problem };
  const file = setAsideDir ? setAsideFile(setAsideDir, table.tableName) : undefined;
  if (file) {
    // Written whole, then renamed: a crash mid-write must not leave a half file to restore from.
    writeFileSync(`${file}.tmp`, JSON.stringify(items));
    renameSync(`${file}.tmp`, file);
  }
  await deleteTable(client, table.tableName);
  await create();
  await writeAll(client, table.tableName, items);
  if (file) rmSync(file);
  return { rebuilt: true, items: items.length };
}

/** Items a crashed rebuild set aside, to write back into the (recreated) table; undefined if none. */
export function setAsideItems(setAsideDir: string | undefined, tableName: string): Item[] | undefined {
  if (!setAsideDir) return undefined;
  const file = setAsideFile(setAsideDir, tableName);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Item[]) : undefined;
}

export function dropSetAside(setAsideDir: string, tableName: string): void {
  rmSync(setAsideFile(setAsideDir, tableName), { force: true });
}
