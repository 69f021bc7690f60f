/**
 * The example's health handler, which Route 53's health checks call in each region: its answer
 * follows its region's table. The real AWS SDK talks HTTP to a loopback server playing DynamoDB (the
 * AWS edge), which answers DescribeTable as DynamoDB does, fails, or never answers.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

type Mode = { kind: 'status'; status: string } | { kind: 'error'; type: string } | { kind: 'silent' };
let mode: Mode = { kind: 'status', status: 'ACTIVE' };
const seen: { target: string | undefined; body: Record<string, unknown> }[] = [];
const held: ServerResponse[] = [];

const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  seen.push({ target: req.headers['x-amz-target'] as string | undefined, body: JSON.parse(raw || '{}') });
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1' });
    res.end(JSON.stringify(body));
  };
  if (mode.kind === 'silent') held.push(res);
  else if (mode.kind === 'error')
    reply(400, { __type: `com.amazonaws.dynamodb.v20120810#${mode.type}`, message: 'Requested resource not found' });
  else reply(200, { Table: { TableName: 'orders-prod', TableStatus: mode.status } });
});

let health: typeof import('../../examples/orders/src/functions/health.ts');

before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  // What Lambda gives the function, and the deployed table's name (orders-prod under --stage prod).
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: 'orders-prod',
  });
  health = await import('../../examples/orders/src/functions/health.ts');
});
after(() => {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  server.close();
});

const event = {
  requestContext: { stage: 'api' },
  stageVariables: { tier: 'prod' },
} as unknown as APIGatewayProxyEventV2;

interface HealthBody {
  status: string;
  region: string;
  table: { name: string; status: string; reason?: string };
}

async function check(next: Mode): Promise<{ status: number | undefined; body: HealthBody }> {
  mode = next;
  seen.length = 0;
  const answer = (await health.handler(event)) as APIGatewayProxyStructuredResultV2;
  return { status: answer.statusCode, body: JSON.parse(answer.body as string) };
}

describe('the health handler checks its region’s table', () => {
  test('200 when the replica answers DescribeTable as ACTIVE, asking for the table its environment names', async () => {
    const { status, body } = await check({ kind: 'status', status: 'ACTIVE' });
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
    assert.deepEqual(body.table, { name: 'orders-prod', status: 'ACTIVE' });
    assert.equal(body.region, 'us-west-2');
    assert.deepEqual(seen, [{ target: 'DynamoDB_20120810.DescribeTable', body: { TableName: 'orders-prod' } }]);
  });

  test('UPDATING (an index or replica being added) still serves: 200', async () => {
    assert.equal((await check({ kind: 'status', status: 'UPDATING' })).status, 200);
  });

  test('503 when the table is gone, naming DynamoDB’s error', async () => {
    const { status, body } = await check({ kind: 'error', type: 'ResourceNotFoundException' });
    assert.equal(status, 503);
    assert.equal(body.status, 'unavailable');
    assert.equal(body.table.reason, 'table orders-prod: ResourceNotFoundException');
  });

  test('503 when the replica is not usable (its KMS key unreachable)', async () => {
    const { status, body } = await check({ kind: 'status', status: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS' });
    assert.equal(status, 503);
    assert.equal(body.table.status, 'INACCESSIBLE_ENCRYPTION_CREDENTIALS');
  });

  test('503 while DynamoDB has not answered, within Route 53’s 2 s: the handler gives up on its own', async () => {
    // Route 53 fails a check not answered within 2 s of connecting; API Gateway and a cold start
    // need the rest of that.
    assert.ok(health.TABLE_CHECK_TIMEOUT_MS < 2000);
    const { status, body } = await check({ kind: 'silent' });
    assert.equal(status, 503);
    assert.equal(body.table.reason, `table orders-prod: no answer within ${health.TABLE_CHECK_TIMEOUT_MS} ms`);
    // The handler answered although DynamoDB never did: every request it made is still held open.
    assert.ok(seen.length >= 1);
    assert.ok(held.every((res) => !res.writableEnded));
  });
});
