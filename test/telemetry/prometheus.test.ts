import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTelemetry, renderExposition, telemetryFamilies } from '../../src/telemetry/index.ts';
import { makeConfig, manualClock, sample } from './fixtures.ts';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);

describe('Prometheus exposition', () => {
  test('renders HELP, TYPE and escaped label values in the 0.0.4 text format', () => {
    const text = renderExposition([
      {
        name: 'demo_total',
        help: 'A demo\ncounter',
        type: 'counter',
        samples: [{ labels: { route: 'GET /a "b"\\c' }, value: 3 }, { value: Number.NaN }],
      },
    ]);
    assert.equal(
      text,
      '# HELP demo_total A demo\\ncounter\n# TYPE demo_total counter\ndemo_total{route="GET /a \\"b\\"\\\\c"} 3\ndemo_total NaN\n',
    );
  });

  test('exposes cumulative counters per route, latency summaries, Lambda counters and alarm states', () => {
    const config = makeConfig();
    const clock = manualClock(T0);
    const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
    for (let i = 1; i <= 4; i++)
      telemetry.recordRequest(sample(config, { latencyMs: i * 10, integrationLatencyMs: undefined }));
    telemetry.recordRequest(
      sample(config, { routeKey: 'POST /orders', status: 500, latencyMs: 50, integrationLatencyMs: undefined }),
    );
    telemetry.recordRequest(
      sample(config, { routeKey: '-', status: 404, latencyMs: 1, integrationLatencyMs: undefined }),
    );
    telemetry.recordInvocation({
      functionName: 'orders',
      requestId: 'r',
      startTime: T0,
      durationMs: 8,
      billedDurationMs: 8,
      memorySizeMb: 256,
      maxMemoryUsedMb: 60,
      coldStart: true,
      environmentId: 'e',
      outcome: 'success',
    });
    telemetry.recordConcurrency('orders', 2, 1);
    const text = renderExposition(telemetryFamilies(telemetry));
    const api = `api_id="${config.apiId}",stage="$default"`;
    const lines = text.split('\n');
    for (const expected of [
      '# TYPE aws_apigateway_count_total counter',
      `aws_apigateway_count_total{${api},route="GET /orders"} 4`,
      `aws_apigateway_count_total{${api},route="POST /orders"} 1`,
      `aws_apigateway_count_total{${api},route="GET /health"} 0`,
      `aws_apigateway_count_total{${api},route="-"} 1`,
      `aws_apigateway_5xx_total{${api},route="POST /orders"} 1`,
      `aws_apigateway_4xx_total{${api},route="-"} 1`,
      '# TYPE aws_apigateway_latency_milliseconds summary',
      `aws_apigateway_latency_milliseconds{${api},quantile="0.99"} 50`,
      `aws_apigateway_latency_milliseconds_sum{${api}} 151`,
      `aws_apigateway_latency_milliseconds_count{${api}} 6`,
      'aws_lambda_invocations_total{function_name="orders"} 1',
      'aws_lambda_cold_starts_total{function_name="orders"} 1',
      'aws_lambda_invocations_total{function_name="health"} 0',
      'aws_lambda_duration_milliseconds{function_name="orders",quantile="0.5"} 8',
      'aws_lambda_concurrent_executions{function_name="orders"} 1',
      'gantry_lambda_environments{function_name="orders"} 2',
      'gantry_alarm_state{alarm_name="5xx",state="INSUFFICIENT_DATA"} 1',
      'gantry_alarm_state{alarm_name="5xx",state="OK"} 0',
    ]) {
      assert.ok(lines.includes(expected), `missing line: ${expected}\n${text}`);
    }
    assert.equal(
      lines.filter((l) => l.startsWith('aws_apigateway_integration_latency_milliseconds')).length,
      0,
      'no samples for a metric with no data',
    );
    for (const line of lines) {
      if (line === '' || line.startsWith('#')) continue;
      assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+]+|NaN|[+-]Inf)$/);
    }
    telemetry.close();
  });
});
