/**
 * Table access as IAM would enforce it: each function's execution environment signs with its own
 * access key (runtime/lambda-env.ts), and a request whose key belongs to a function is checked
 * against that function's table access (functions.NAME.tables) before the store handles it. A call
 * the deployed role would not allow answers DynamoDB's AccessDeniedException. Requests signed by any
 * other key (gantry invoke's own clients, tests, a developer's script) are not checked.
 * Set only when some function declares its access: otherwise a request pays one null check.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { localAccessKeyId, type TableAccess, tableActions } from '../aws/table-access.ts';
import { functionSpec, type ResolvedConfig } from '../config/index.ts';
import { replay, tablesOf } from './faults.ts';

interface Grantee {
  functionName: string;
  /** Table → the actions allowed on it. */
  allowed: Map<string, Set<string>>;
}

export interface TableAccessPolicy {
  /** Access key id → the function that signs with it. */
  grantees: Map<string, Grantee>;
  region: string;
  account: string;
}

/** The policy of `config`'s functions, or undefined when none declares `tables` (nothing to enforce). */
export function tableAccessPolicy(config: ResolvedConfig): TableAccessPolicy | undefined {
  const declared = Object.values(config.functions).filter((fn) => fn.tables !== undefined);
  if (declared.length === 0) return undefined;
  const grantees = new Map<string, Grantee>();
  for (const fn of Object.values(config.functions)) {
    const tables: Record<string, TableAccess> = functionSpec(config, fn).tables;
    const allowed = new Map(Object.entries(tables).map(([table, access]) => [table, new Set(tableActions(access))]));
    grantees.set(localAccessKeyId(fn.name), { functionName: fn.name, allowed });
  }
  return { grantees, region: config.regions.primary, account: config.account };
}

/** `Credential=AKID/…` of a SigV4 Authorization header. */
function accessKeyOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth !== 'string') return undefined;
  const start = auth.indexOf('Credential=');
  if (start === -1) return undefined;
  const end = auth.indexOf('/', start);
  return end === -1 ? undefined : auth.slice(start + 11, end);
}

/** The IAM actions a request needs, per table: a transaction's items each need their own. */
function actionsOf(operation: string, body: Buffer): [action: string, table: string][] {
  if (operation !== 'TransactWriteItems' && operation !== 'TransactGetItems')
    return tablesOf(body).map((table) => [operation, table]);
  const ITEM_ACTIONS: Record<string, string> = {
    Put: 'PutItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    ConditionCheck: 'ConditionCheckItem',
    Get: 'GetItem',
  };
  let parsed: { TransactItems?: Record<string, { TableName?: unknown }>[] };
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return [];
  }
  const out: [string, string][] = [];
  for (const item of parsed.TransactItems ?? []) {
    for (const [kind, part] of Object.entries(item ?? {})) {
      if (typeof part?.TableName === 'string') out.push([ITEM_ACTIONS[kind] ?? kind, part.TableName]);
    }
  }
  return out;
}

/** DynamoDB's answer for a call the role does not allow (the SDK reads `__type`; HTTP 400). */
function accessDenied(policy: TableAccessPolicy, grantee: Grantee, action: string, table: string) {
  const resource = `arn:aws:dynamodb:${policy.region}:${policy.account}:table/${table}`;
  const user = `arn:aws:sts::${policy.account}:assumed-role/${grantee.functionName}-role/${grantee.functionName}`;
  return {
    __type: 'com.amazon.coral.service#AccessDeniedException',
    Message: `User: ${user} is not authorized to perform: dynamodb:${action} on resource: ${resource} because no identity-based policy allows the dynamodb:${action} action`,
  };
}

/**
 * Checks one request: reads it whole if its key is a function's, then answers AccessDeniedException
 * or forwards it (readable again) as if it had just arrived.
 */
export function checkedRequest(
  policy: TableAccessPolicy,
  req: IncomingMessage,
  res: ServerResponse,
  operation: string,
  answer: (res: ServerResponse, status: number, body: Record<string, string>) => void,
  forward: (req: IncomingMessage) => void,
): void {
  const key = accessKeyOf(req);
  const grantee = key === undefined ? undefined : policy.grantees.get(key);
  if (!grantee) {
    forward(req);
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('error', () => {});
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    for (const [action, table] of actionsOf(operation, body)) {
      if (!grantee.allowed.get(table)?.has(action))
        return answer(res, 400, accessDenied(policy, grantee, action, table));
    }
    // A call that names no table (ListTables) is not granted by any table access: refused, as the role would.
    if (operation && tablesOf(body).length === 0)
      return answer(res, 400, accessDenied(policy, grantee, operation, '*'));
    forward(replay(req, body));
  });
}
