/** Creates the config's tables in the embedded store, leaving existing ones (and their data) alone. */
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type GlobalSecondaryIndexDescription,
  type KeySchemaElement,
  ResourceNotFoundException,
  type ScalarAttributeType,
} from '@aws-sdk/client-dynamodb';
import type { ResolvedTable } from '../config/index.ts';

export interface TableSetup {
  tableName: string;
  action: 'created' | 'existing';
  /** Set when an existing table's keys or indexes differ from the config (its data is kept, the config is not applied). */
  warning?: string;
}

export function localClient(endpoint: string, maxAttempts?: number): DynamoDBClient {
  // Dummy credentials: the embedded store ignores signatures, and a developer's real keys must never be used.
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'gantry', secretAccessKey: 'gantry' },
    maxAttempts,
  });
}

function keysOf(owner: Pick<ResolvedTable, 'partitionKey' | 'sortKey'>): KeySchemaElement[] {
  const keys: KeySchemaElement[] = [{ AttributeName: owner.partitionKey.name, KeyType: 'HASH' }];
  if (owner.sortKey) keys.push({ AttributeName: owner.sortKey.name, KeyType: 'RANGE' });
  return keys;
}

/** Every key attribute of the table and its indexes, once (config validation made their types agree). */
function attributeDefinitions(table: ResolvedTable): AttributeDefinition[] {
  const types = new Map<string, ScalarAttributeType>();
  for (const owner of [table, ...table.indexes])
    for (const key of [owner.partitionKey, owner.sortKey])
      if (key && !types.has(key.name)) types.set(key.name, key.type);
  return [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

function indexesOf(table: ResolvedTable): GlobalSecondaryIndex[] {
  return table.indexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: keysOf(index),
    Projection:
      index.projection.type === 'INCLUDE'
        ? { ProjectionType: 'INCLUDE', NonKeyAttributes: index.projection.nonKeyAttributes }
        : { ProjectionType: index.projection.type },
  }));
}

/** Attribute name → type, from a table's AttributeDefinitions. */
type AttributeTypes = Map<string | undefined, string | undefined>;
const typesOf = (definitions: AttributeDefinition[] | undefined): AttributeTypes =>
  new Map((definitions ?? []).map((d) => [d.AttributeName, d.AttributeType]));

/** Indexes as comparable text: name, keys and projection, sorted by name. */
function describeIndexes(
  indexes: (GlobalSecondaryIndex | GlobalSecondaryIndexDescription)[] | undefined,
  types: AttributeTypes,
): string {
  return (indexes ?? [])
    .map((index) => {
      const projection = index.Projection?.ProjectionType ?? 'ALL';
      const extra = index.Projection?.NonKeyAttributes?.length
        ? ` ${[...index.Projection.NonKeyAttributes].sort().join('+')}`
        : '';
      return `${index.IndexName} [${describeKeys(index.KeySchema, types)}; ${projection}${extra}]`;
    })
    .sort()
    .join(', ');
}

/** `id S (HASH), createdAt N (RANGE)`: a key's attribute types count as much as its names. */
function describeKeys(keys: KeySchemaElement[] | undefined, types: AttributeTypes): string {
  return (keys ?? []).map((k) => `${k.AttributeName} ${types.get(k.AttributeName) ?? '?'} (${k.KeyType})`).join(', ');
}

/**
 * dynalite turns a new table ACTIVE on a timer even with createTableMs 0, and until then answers
 * ResourceNotFoundException: the first write after start-up would fail. Tables are ready before
 * gantry dev serves a request.
 */
async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new Error(`table "${tableName}" is still ${Table?.TableStatus ?? 'missing'} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `remedy` completes the key-schema warning: how this store's table can be recreated. */
export async function ensureTables(
  client: DynamoDBClient,
  tables: ResolvedTable[],
  remedy = 'delete the data folder to recreate it',
): Promise<TableSetup[]> {
  return Promise.all(
    tables.map(async (table): Promise<TableSetup> => {
      const keys = keysOf(table);
      const indexes = indexesOf(table);
      try {
        const existing = await client.send(new DescribeTableCommand({ TableName: table.tableName }));
        const kept: TableSetup = { tableName: table.tableName, action: 'existing' };
        const differs = (what: string, have: string, want: string): TableSetup => ({
          ...kept,
          warning: `table "${table.tableName}" exists with ${what} ${have || '(none)'}, config says ${want || '(none)'}; kept as it is (${remedy})`,
        });
        const haveTypes = typesOf(existing.Table?.AttributeDefinitions);
        const wantTypes = typesOf(attributeDefinitions(table));
        const [haveKeys, wantKeys] = [
          describeKeys(existing.Table?.KeySchema, haveTypes),
          describeKeys(keys, wantTypes),
        ];
        if (haveKeys !== wantKeys) return differs('keys', haveKeys, wantKeys);
        // dynalite cannot add or change an index of an existing table (DynamoDB's UpdateTable can).
        const [haveIndexes, wantIndexes] = [
          describeIndexes(existing.Table?.GlobalSecondaryIndexes, haveTypes),
          describeIndexes(indexes, wantTypes),
        ];
        if (haveIndexes !== wantIndexes) return differs('indexes', haveIndexes, wantIndexes);
        return kept;
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      await client.send(
        new CreateTableCommand({
          TableName: table.tableName,
          KeySchema: keys,
          AttributeDefinitions: attributeDefinitions(table),
          GlobalSecondaryIndexes: indexes.length > 0 ? indexes : undefined,
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await waitUntilActive(client, table.tableName);
      return { tableName: table.tableName, action: 'created' };
    }),
  );
}
