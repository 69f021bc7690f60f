/** Creates the config's tables in the embedded store, leaving existing ones (and their data) alone. */
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { ResolvedTable } from '../config/index.ts';

export interface TableSetup {
  tableName: string;
  action: 'created' | 'existing';
  /** Set when an existing table's key schema differs from the config (its data is kept, the config is not applied). */
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

function keySchema(table: ResolvedTable): { keys: KeySchemaElement[]; attributes: AttributeDefinition[] } {
  const keys: KeySchemaElement[] = [{ AttributeName: table.partitionKey.name, KeyType: 'HASH' }];
  const attributes: AttributeDefinition[] = [
    { AttributeName: table.partitionKey.name, AttributeType: table.partitionKey.type },
  ];
  if (table.sortKey) {
    keys.push({ AttributeName: table.sortKey.name, KeyType: 'RANGE' });
    attributes.push({ AttributeName: table.sortKey.name, AttributeType: table.sortKey.type });
  }
  return { keys, attributes };
}

function describeKeys(keys: KeySchemaElement[] | undefined): string {
  return (keys ?? []).map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ');
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
      const { keys, attributes } = keySchema(table);
      try {
        const existing = await client.send(new DescribeTableCommand({ TableName: table.tableName }));
        const have = describeKeys(existing.Table?.KeySchema);
        const want = describeKeys(keys);
        return have === want
          ? { tableName: table.tableName, action: 'existing' }
          : {
              tableName: table.tableName,
              action: 'existing',
              warning: `table "${table.tableName}" exists with keys ${have}, config says ${want}; kept as it is (${remedy})`,
            };
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      await client.send(
        new CreateTableCommand({
          TableName: table.tableName,
          KeySchema: keys,
          AttributeDefinitions: attributes,
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await waitUntilActive(client, table.tableName);
      return { tableName: table.tableName, action: 'created' };
    }),
  );
}
