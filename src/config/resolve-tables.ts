/** `tables`: keys typed, indexes' projections in DynamoDB's words, one type per key attribute. */
import { TABLE_DEFAULTS } from '../aws/defaults.ts';
import { listKnown } from './errors.ts';
import type { ResolvedFunction, ResolvedIndex, ResolvedKey, ResolvedTable } from './resolved.ts';
import type { ApiConfig, KeyAttribute } from './types.ts';

function resolveKey(key: string | KeyAttribute): ResolvedKey {
  return typeof key === 'string'
    ? { name: key, type: TABLE_DEFAULTS.keyType }
    : { name: key.name, type: key.type ?? TABLE_DEFAULTS.keyType };
}

export function resolveTables(input: ApiConfig['tables'], problems: string[]): Record<string, ResolvedTable> {
  const tables: Record<string, ResolvedTable> = {};
  for (const [tableName, table] of Object.entries(input ?? {})) {
    const partitionKey = resolveKey(table.partitionKey);
    const sortKey = table.sortKey === undefined ? undefined : resolveKey(table.sortKey);
    // DynamoDB declares each key attribute once, with one type, for the table and all its indexes.
    const declared = new Map<string, [type: string, where: string]>();
    const declare = (key: ResolvedKey | undefined, where: string) => {
      if (!key) return;
      const earlier = declared.get(key.name);
      if (earlier && earlier[0] !== key.type)
        problems.push(
          `tables.${tableName}.${where}: attribute "${key.name}" is type ${key.type} here but ${earlier[0]} in ${earlier[1]}; an attribute has one type`,
        );
      else if (!earlier) declared.set(key.name, [key.type, `tables.${tableName}.${where}`]);
    };
    declare(partitionKey, 'partitionKey');
    declare(sortKey, 'sortKey');
    const indexes: ResolvedIndex[] = [];
    for (const [indexName, index] of Object.entries(table.indexes ?? {})) {
      const resolved: ResolvedIndex = {
        indexName,
        partitionKey: resolveKey(index.partitionKey),
        sortKey: index.sortKey === undefined ? undefined : resolveKey(index.sortKey),
        projection:
          index.projection === undefined || index.projection === 'all'
            ? { type: 'ALL' }
            : index.projection === 'keys'
              ? { type: 'KEYS_ONLY' }
              : { type: 'INCLUDE', nonKeyAttributes: index.projection },
      };
      declare(resolved.partitionKey, `indexes.${indexName}.partitionKey`);
      declare(resolved.sortKey, `indexes.${indexName}.sortKey`);
      indexes.push(resolved);
    }
    tables[tableName] = { tableName, partitionKey, sortKey, indexes, retain: table.retain ?? TABLE_DEFAULTS.retain };
  }
  return tables;
}

/** `functions.NAME.tables` may only name configured tables. */
export function checkTableAccess(
  functions: Record<string, ResolvedFunction>,
  tables: Record<string, ResolvedTable>,
  problems: string[],
): void {
  for (const fn of Object.values(functions)) {
    for (const table of Object.keys(fn.tables ?? {})) {
      if (!tables[table]) {
        problems.push(
          `functions.${fn.name}.tables.${table}: unknown table "${table}" (known: ${listKnown(Object.keys(tables))})`,
        );
      }
    }
  }
}
