/**
 * Which DynamoDB IAM actions a function's access to a table grants: the deployed policy grants
 * exactly these (src/infra) and the embedded store refuses the others with AccessDeniedException
 * (src/store), so a read-only function that writes fails locally as it would in AWS.
 * The sets are those of the CDK's `grantReadData` / `grantWriteData`, without streams.
 */

/**
 * A function's access to one table, as `functions.NAME.tables` declares it. `describe` allows only
 * DescribeTable: what a health function needs to tell whether its region's replica answers.
 */
export type TableAccess = 'read' | 'write' | 'read-write' | 'describe';
export const TABLE_ACCESS = ['read', 'write', 'read-write', 'describe'] as const satisfies readonly TableAccess[];

export const TABLE_READ_ACTIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'ConditionCheckItem',
  'DescribeTable',
] as const;
export const TABLE_WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'DescribeTable'] as const;

/** The actions `access` allows, without the `dynamodb:` prefix: reads, then writes, then DescribeTable. */
export function tableActions(access: TableAccess): string[] {
  const actions: string[] = [];
  if (access === 'describe') return ['DescribeTable'];
  if (access !== 'write') actions.push(...TABLE_READ_ACTIONS.filter((a) => a !== 'DescribeTable'));
  if (access !== 'read') actions.push(...TABLE_WRITE_ACTIONS.filter((a) => a !== 'DescribeTable'));
  actions.push('DescribeTable');
  return actions;
}

/**
 * The access key id a function's execution environment signs with locally: one per function, so the
 * store can tell who calls (as IAM tells by the role's credentials). Deterministic, 20 characters of
 * A-Z and 0-9 as AWS's are; never valid in AWS.
 */
export function localAccessKeyId(functionName: string): string {
  let hash = 2166136261;
  for (let i = 0; i < functionName.length; i++) hash = Math.imul(hash ^ functionName.charCodeAt(i), 16777619) >>> 0;
  return `ASIAGANTRY${hash.toString(36).toUpperCase().padStart(10, '0')}`.slice(0, 20);
}
