// Custom metrics: a Powertools Metrics handler's EMF lines become metrics in their namespace and
// dimensions, in the console API, /metrics, the dashboard, an alarm, and the cost meter.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig } from '../../src/config/index.ts';
import { manualClock } from '../telemetry/fixtures.ts';

const fixture = fileURLToPath(new URL('../fixtures/emf-api/api.config.ts', import.meta.url));
const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);
const clock = manualClock(T0);
let dev: DevServer;

async function json<T>(path: string): Promise<T> {
  const response = await fetch(`${dev.consoleUrl}${path}`);
  assert.equal(response.status, 200, path);
  return (await response.json()) as T;
}

before(async () => {
  dev = await startDevServer(await loadConfig(fixture), {
    port: 0,
    dataDir: null,
    telemetry: { clock, tickIntervalMs: false },
  });
  for (const value of [20, 30, 70]) {
    const answer = await fetch(`${dev.url}/orders`, { method: 'POST', body: JSON.stringify({ value }) });
    assert.equal(answer.status, 201);
  }
});
after(() => dev.close());

describe('custom metrics from Embedded Metric Format', () => {
  test('the Powertools metrics are listed in their namespace with their dimensions', async () => {
    const listed = await json<{ namespace: string; metricName: string; dimensions: Record<string, string> }[]>(
      '/api/metrics/list?namespace=Shop',
    );
    assert.deepEqual(listed.map((m) => [m.metricName, m.dimensions]).sort(), [
      ['BasketValue', { service: 'orders' }],
      ['OrdersPlaced', { service: 'orders' }],
    ]);
  });

  test('GetMetricData on them: Sum, Average and percentiles, as CloudWatch computes for raw values', async () => {
    const query = (metric: string, stat: string) =>
      json<{ values: number[] }>(
        `/api/metrics?namespace=Shop&metricName=${metric}&statistic=${stat}&period=60&dimensions=${encodeURIComponent('{"service":"orders"}')}&start=${T0}&end=${T0 + 60_000}`,
      );
    assert.deepEqual((await query('OrdersPlaced', 'Sum')).values, [3]);
    assert.deepEqual((await query('BasketValue', 'Average')).values, [40]);
    assert.deepEqual((await query('BasketValue', 'Maximum')).values, [70]);
  });

  test('/metrics exposes them with their dimensions as labels', async () => {
    const text = await (await fetch(`${dev.consoleUrl}/metrics`)).text();
    assert.ok(
      text.includes('cloudwatch_custom_metric_sum{namespace="Shop",metric_name="OrdersPlaced",service="orders"} 3\n'),
      text,
    );
    assert.ok(
      text.includes('cloudwatch_custom_metric_count{namespace="Shop",metric_name="BasketValue",service="orders"} 3\n'),
    );
  });

  test('the dashboard charts each one; the cost meter prices each as a CloudWatch custom metric', async () => {
    const overview = await json<{
      widgets: { id: string; title: string; series: { label: string; values: (number | null)[] }[] }[];
    }>('/api/overview');
    const placed = overview.widgets.find((w) => w.title === 'Shop · OrdersPlaced');
    assert.ok(placed, overview.widgets.map((w) => w.title).join(', '));
    assert.equal(placed.series[0].label, 'service=orders (Sum)');
    assert.equal(
      placed.series[0].values.filter((v) => v !== null).reduce((a, b) => (a ?? 0) + (b ?? 0), 0),
      3,
    );
    const cost = await json<{ projectedMonthly: { items: { item: string; quantity: number; usd: number }[] } }>(
      '/api/cost',
    );
    const emf = cost.projectedMonthly.items.find((i) => i.item === 'custom metrics (EMF)');
    assert.deepEqual(emf && [emf.quantity, Math.round(emf.usd * 100) / 100], [2, 0.6]);
  });

  test('an alarm on the custom namespace goes to ALARM once its period has the orders', async () => {
    clock.set(T0 + 10_000);
    dev.telemetry!.tick();
    const alarm = dev.telemetry!.alarms.describe().find((a) => a.alarmName === 'orders-placed');
    assert.equal(alarm?.state, 'ALARM', JSON.stringify(alarm));
    assert.deepEqual(alarm?.dimensions, { service: 'orders' });
  });
});
