// The example orders API, end to end: real gateway, real workers, real embedded store on disk.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig } from '../../src/config/index.ts';
import { localToken } from '../../src/identity/index.ts';

const CONFIG = fileURLToPath(new URL('../../examples/orders/api.config.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'gantry-orders-'));

async function start(): Promise<DevServer> {
  return startDevServer(await loadConfig(CONFIG), { port: 0, storePort: 0, dataDir, watch: false });
}

/** Writes carry a token with the orders/write scope, as README's `gantry token` flow does. */
let writeToken = '';

async function request(dev: DevServer, method: string, path: string, body?: unknown, token = writeToken) {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (method !== 'GET' && token !== '') headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${dev.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

let dev: DevServer;
before(async () => {
  writeToken = await localToken({ config: CONFIG, scopes: ['orders/write'] });
  dev = await start();
});
after(() => dev.close());

describe('example orders API', () => {
  let created: { id: string; customer: string; item: string; quantity: number; status: string };

  test('writes need a JWT with the orders/write scope (a Cognito user pool in AWS); reads do not', async () => {
    const anonymous = await request(dev, 'POST', '/orders', { customer: 'ada', item: 'book', quantity: 1 }, '');
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const readOnly = await localToken({ config: CONFIG, scopes: ['orders/read'] });
    const refused = await request(dev, 'DELETE', '/orders/nope', undefined, readOnly);
    assert.equal(refused.status, 403);
    assert.equal((await request(dev, 'GET', '/orders')).status, 200);
  });

  test('GET /health answers on stage "api" with its stage variable', async () => {
    assert.ok(dev.url.endsWith('/api'));
    const answer = await request(dev, 'GET', '/health');
    assert.equal(answer.status, 200);
    const body = answer.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.stage, 'api');
    assert.equal(body.tier, 'dev');
    assert.equal(body.region, 'us-east-1');
  });

  test('POST /orders creates an order (201, Location)', async () => {
    const answer = await request(dev, 'POST', '/orders', { customer: 'ada', item: 'book', quantity: 2 });
    assert.equal(answer.status, 201, answer.text);
    created = answer.json();
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      { customer: created.customer, item: created.item, quantity: created.quantity, status: created.status },
      { customer: 'ada', item: 'book', quantity: 2, status: 'received' },
    );
    assert.equal(answer.headers.get('location'), `orders/${created.id}`);
  });

  /** ConsumedWriteCapacityUnits of the orders table so far, as the console and the cost meter read it. */
  const writeUnitsOnMeter = () => {
    const now = Date.now();
    const writes = dev.telemetry?.getMetricData({
      namespace: 'AWS/DynamoDB',
      metricName: 'ConsumedWriteCapacityUnits',
      dimensions: { TableName: 'orders' },
      statistic: 'Sum',
      period: 60,
      startTime: now - 600_000,
      endTime: now + 60_000,
    });
    return writes?.values.reduce((a, b) => a + b, 0);
  };

  test('the write reached the cost meter as DynamoDB request units', () => {
    assert.equal(writeUnitsOnMeter(), 1, 'one order of well under 1 KB: one write request unit');
  });

  test('each write is on the meter by the time its response arrives', async () => {
    // The store's thread sends no message for these (their names are known): the gateway reads its
    // units as the function answers (store/thread/units-ring.ts), not up to 20 ms later.
    for (let i = 1; i <= 5; i++) {
      const answer = await request(dev, 'POST', '/orders', { customer: 'meter', item: 'pen', quantity: 1 });
      assert.equal(answer.status, 201, answer.text);
      assert.equal(writeUnitsOnMeter(), 1 + i, `after write ${i}`);
    }
  });

  test('POST /orders with a bad body → 400 naming every problem', async () => {
    const answer = await request(dev, 'POST', '/orders', { quantity: 0, colour: 'red' });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.json(), {
      message: 'invalid order',
      details: [
        'colour: unknown field',
        'customer: expected a non-empty string of at most 100 characters',
        'item: expected a non-empty string of at most 200 characters',
        'quantity: expected a whole number from 1 to 1000',
      ],
    });
    const notJson = await request(dev, 'POST', '/orders', '{oops');
    assert.equal(notJson.status, 400);
    assert.deepEqual(notJson.json(), { message: 'invalid order', details: ['body: not valid JSON'] });
  });

  test('GET /orders lists it, GET /orders/{id} reads it', async () => {
    const list = await request(dev, 'GET', '/orders');
    assert.equal(list.status, 200);
    assert.ok(list.json().orders.some((o: { id: string }) => o.id === created.id));
    const one = await request(dev, 'GET', `/orders/${created.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.json(), created);
  });

  test("GET /orders?customer=… lists that customer's orders, newest first, through the byCustomer index", async () => {
    const place = async (customer: string, item: string) =>
      (await request(dev, 'POST', '/orders', JSON.stringify({ customer, item, quantity: 1 }))).json();
    const first = await place('grace', 'compiler');
    const other = await place('linus', 'kernel');
    const second = await place('grace', 'cobol');
    const mine = await request(dev, 'GET', '/orders?customer=grace');
    assert.equal(mine.status, 200);
    const ids = mine.json().orders.map((o: { id: string }) => o.id);
    // createdAt is the index's sort key: ISO times sort as text; the same millisecond keeps both.
    assert.deepEqual(new Set(ids), new Set([first.id, second.id]));
    assert.ok(!ids.includes(other.id));
    if (first.createdAt !== second.createdAt) assert.deepEqual(ids, [second.id, first.id], 'newest first');
    assert.deepEqual((await request(dev, 'GET', '/orders?customer=nobody')).json(), { orders: [] });
  });

  test('GET /orders/{id} of an unknown id → 404', async () => {
    const answer = await request(dev, 'GET', '/orders/does-not-exist');
    assert.equal(answer.status, 404);
    assert.deepEqual(answer.json(), { message: 'order does-not-exist not found' });
  });

  test('orders survive a restart of gantry dev', async () => {
    await dev.close();
    dev = await start();
    const one = await request(dev, 'GET', `/orders/${created.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.json(), created);
  });

  test('DELETE /orders/{id} → 204, then 404', async () => {
    const removed = await request(dev, 'DELETE', `/orders/${created.id}`);
    assert.equal(removed.status, 204);
    assert.equal((await request(dev, 'DELETE', `/orders/${created.id}`)).status, 404);
    assert.equal((await request(dev, 'GET', `/orders/${created.id}`)).status, 404);
  });
});
