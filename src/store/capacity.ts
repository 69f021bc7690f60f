/**
 * DynamoDB on-demand request units consumed by one data-plane request, for the cost meter and
 * `AWS/DynamoDB` metrics. dynalite reports ConsumedCapacity only when a client asks for it, so units
 * are estimated from what crosses the wire (documented approximations, not DynamoDB's exact sizing):
 * - writes: 1 WRU per started KB of the item written (`PutItem`, `BatchWriteItem` puts, sized by the
 *   item's JSON); `UpdateItem` / `DeleteItem` count 1 (the stored item's size is not on the wire);
 * - reads: 1 RRU per started 4 KB read when strongly consistent, half that when eventually consistent
 *   (sized by the response for `GetItem`, `Query`, `Scan`; one item ≤ 4 KB per key for `BatchGetItem`).
 * - transactions: twice that, as DynamoDB charges them: `TransactWriteItems` 2 WRU per started KB of
 *   each item put, 2 per update, delete and condition check; `TransactGetItems` 2 RRU per item.
 * Control-plane calls (CreateTable, DescribeTable, …) consume nothing.
 */
export interface TableRequest {
  tableName: string;
  /** `GetItem`, `PutItem`, `Query`… */
  operation: string;
  readUnits: number;
  writeUnits: number;
}

type Json = Record<string, unknown>;

const byteLength = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? {}));
const writeUnits = (item: unknown) => Math.max(1, Math.ceil(byteLength(item) / 1024));
const readUnits = (bytes: number, consistent: boolean) => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** `operation` is the X-Amz-Target's action (`PutItem`); `body` the parsed request; `responseBytes` its answer's size. */
export function consumedCapacity(operation: string, body: Json, responseBytes: number): TableRequest[] {
  const tableName = typeof body.TableName === 'string' ? body.TableName : '';
  const consistent = body.ConsistentRead === true;
  switch (operation) {
    case 'PutItem':
      return [{ tableName, operation, readUnits: 0, writeUnits: writeUnits(body.Item) }];
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ tableName, operation, readUnits: 0, writeUnits: 1 }];
    case 'GetItem':
    case 'Query':
    case 'Scan':
      return [{ tableName, operation, readUnits: readUnits(responseBytes, consistent), writeUnits: 0 }];
    case 'BatchWriteItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, Json[]>).map(([table, requests]) => ({
        tableName: table,
        operation,
        readUnits: 0,
        writeUnits: requests.reduce(
          (sum, request) => sum + (request.PutRequest ? writeUnits((request.PutRequest as Json).Item) : 1),
          0,
        ),
      }));
    case 'BatchGetItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, Json>).map(([table, spec]) => ({
        tableName: table,
        operation,
        readUnits: ((spec.Keys as unknown[] | undefined)?.length ?? 0) * (spec.ConsistentRead === true ? 1 : 0.5),
        writeUnits: 0,
      }));
    case 'TransactWriteItems':
      return perTable(operation, body, (kind, spec) => ({
        readUnits: 0,
        writeUnits: 2 * (kind === 'Put' ? writeUnits(spec.Item) : 1),
      }));
    case 'TransactGetItems':
      return perTable(operation, body, () => ({ readUnits: 2, writeUnits: 0 }));
    default:
      return [];
  }
}

/** Sums a transaction's actions (`{ Put: {…} }`, `{ Get: {…} }`…) per table, in first-seen order. */
function perTable(
  operation: string,
  body: Json,
  units: (kind: string, spec: Json) => { readUnits: number; writeUnits: number },
): TableRequest[] {
  const tables = new Map<string, TableRequest>();
  for (const action of (body.TransactItems ?? []) as Json[]) {
    const [kind, spec] = Object.entries(action)[0] as [string, Json];
    const tableName = typeof spec?.TableName === 'string' ? spec.TableName : '';
    const request = tables.get(tableName) ?? { tableName, operation, readUnits: 0, writeUnits: 0 };
    const used = units(kind, spec);
    request.readUnits += used.readUnits;
    request.writeUnits += used.writeUnits;
    tables.set(tableName, request);
  }
  return [...tables.values()];
}
