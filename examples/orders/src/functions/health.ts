/**
 * GET /health, what Route 53's health checks call in each region: 200 when this region can serve,
 * 503 when its table replica does not answer, so Route 53 fails the region over instead of sending
 * users to an API whose data is out of reach.
 *
 * DescribeTable, not a read: it costs nothing (a GetItem would bill ≈ 1.3 million reads a month per
 * region at Route 53's pace) and needs only `tables: { orders: 'describe' }`, one action on one
 * table. It answers from the regional DynamoDB endpoint, so an outage of that endpoint or a replica
 * that is not ACTIVE fails the check; a fault of the data path alone would not (a GetItem would see it).
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { json } from '../lib/http.ts';

/**
 * Route 53 counts a check as failed unless the answer comes within 2 s of connecting (4 s to
 * connect). The table gets at most 1 s of that, retries included, leaving room for API Gateway and a
 * cold start: a slow table is an unhealthy table.
 */
export const TABLE_CHECK_TIMEOUT_MS = 1000;

const startedAt = new Date().toISOString();
const TABLE = process.env.TABLE_NAME ?? 'orders';
// Created once per execution environment and reused while it is warm, as on Lambda.
const db = new DynamoDBClient({ maxAttempts: 2 });

export type TableCheck = { ok: true; status: string } | { ok: false; status: string; reason: string };

/** Whether this region's replica of `table` answers, ACTIVE, within `timeoutMs`. Never throws. */
export async function checkTable(client: DynamoDBClient, table: string, timeoutMs: number): Promise<TableCheck> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    const status = Table?.TableStatus ?? 'UNKNOWN';
    // UPDATING (a new index, a replica being added) still serves reads and writes.
    return status === 'ACTIVE' || status === 'UPDATING'
      ? { ok: true, status }
      : { ok: false, status, reason: `table ${table} is ${status}` };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const reason = name === 'AbortError' || name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : name;
    return { ok: false, status: 'UNREACHABLE', reason: `table ${table}: ${reason}` };
  }
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const table = await checkTable(db, TABLE, TABLE_CHECK_TIMEOUT_MS);
  return json(table.ok ? 200 : 503, {
    status: table.ok ? 'ok' : 'unavailable',
    region: process.env.AWS_REGION,
    stage: event.requestContext.stage,
    tier: event.stageVariables?.tier ?? null,
    table: table.ok
      ? { name: TABLE, status: table.status }
      : { name: TABLE, status: table.status, reason: table.reason },
    environmentStartedAt: startedAt,
  });
};
