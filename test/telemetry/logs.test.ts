import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AccessLogFormatError,
  compileAccessLogFormat,
  compileFilter,
  createTelemetry,
  DEFAULT_ACCESS_LOG_FORMAT,
  type FunctionLogSample,
} from '../../src/telemetry/index.ts';
import { makeConfig, manualClock, sample } from './fixtures.ts';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);
const context = { accountId: '123456789012', domainName: 'abc.execute-api.us-east-1.amazonaws.com' };

describe('access log', () => {
  test('the default format is the JSON example API Gateway offers for HTTP APIs', () => {
    assert.equal(
      DEFAULT_ACCESS_LOG_FORMAT,
      '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod","routeKey":"$context.routeKey", "status":"$context.status","protocol":"$context.protocol", "responseLength":"$context.responseLength" }',
    );
    const config = makeConfig();
    const line = compileAccessLogFormat(
      DEFAULT_ACCESS_LOG_FORMAT,
      context,
    )(sample(config, { requestTimeEpoch: T0 + 45_123 }));
    assert.equal(
      line,
      '{ "requestId":"Kx1aAjYvIAMEMvA=", "ip": "127.0.0.1", "requestTime":"24/Nov/2026:06:00:45 +0000", "httpMethod":"GET","routeKey":"GET /orders", "status":"200","protocol":"HTTP/1.1", "responseLength":"42" }',
    );
    assert.deepEqual(JSON.parse(line), {
      requestId: 'Kx1aAjYvIAMEMvA=',
      ip: '127.0.0.1',
      requestTime: '24/Nov/2026:06:00:45 +0000',
      httpMethod: 'GET',
      routeKey: 'GET /orders',
      status: '200',
      protocol: 'HTTP/1.1',
      responseLength: '42',
    });
  });

  test('other $context variables, "-" for values that do not exist, JSON-safe values', () => {
    const config = makeConfig();
    const render = compileAccessLogFormat(
      '$context.requestId $context.apiId $context.stage $context.path $context.responseLatency $context.integrationLatency $context.integration.status $context.error.message $context.error.messageString $context.dataProcessed "$context.identity.userAgent"',
      context,
    );
    assert.equal(
      render(
        sample(config, {
          routeKey: '-',
          status: 404,
          latencyMs: 0.6,
          integrationLatencyMs: undefined,
          integrationStatus: undefined,
          errorMessage: 'Not Found',
          requestLength: 10,
          responseLength: 23,
          userAgent: 'evil "agent"',
        }),
      ),
      `Kx1aAjYvIAMEMvA= ${config.apiId} $default /orders 1 - - Not Found "Not Found" 33 "evil \\"agent\\""`,
    );
    assert.throws(() => compileAccessLogFormat('$context.requestId $context.nope', context), AccessLogFormatError);
    assert.throws(
      () => compileAccessLogFormat('$context.status', context),
      /must include \$context\.requestId or \$context\.extendedRequestId/,
    );
  });

  test('recordRequest writes one access log line per request to the stage access log group', () => {
    const config = makeConfig();
    const telemetry = createTelemetry(config, { clock: manualClock(T0), tickIntervalMs: false });
    telemetry.recordRequest(sample(config, { requestId: 'a1' }));
    telemetry.recordRequest(sample(config, { requestId: 'a2', status: 500 }));
    const lines = telemetry.logs.query({ sources: ['access'] });
    assert.deepEqual(
      lines.map((l) => [l.logGroupName, l.logStreamName, l.timestamp, l.requestId, l.json?.status]),
      [
        ['/aws/apigateway/orders-api/access-logs', '$default', T0, 'a1', '200'],
        ['/aws/apigateway/orders-api/access-logs', '$default', T0, 'a2', '500'],
      ],
    );
    telemetry.close();
  });
});

function functionLog(fields: Partial<FunctionLogSample>): FunctionLogSample {
  return {
    functionName: 'orders',
    logGroupName: '/aws/lambda/orders',
    logStreamName: '2026/11/24/[$LATEST]0123456789abcdef0123456789abcdef',
    timestamp: T0,
    message: '',
    requestId: 'req-1',
    kind: 'app',
    ...fields,
  };
}

describe('function logs', () => {
  test('START/END/REPORT and app lines are stored per log group; Powertools JSON passes through as JSON', () => {
    const config = makeConfig();
    const telemetry = createTelemetry(config, { clock: manualClock(T0), tickIntervalMs: false });
    const powertools =
      '{"level":"INFO","message":"order created","timestamp":"2026-11-24T06:00:00.010Z","service":"orders","cold_start":true,"orderId":"o-1"}';
    telemetry.recordFunctionLog(functionLog({ kind: 'start', message: 'START RequestId: req-1 Version: $LATEST' }));
    telemetry.recordFunctionLog(functionLog({ message: powertools, timestamp: T0 + 10 }));
    telemetry.recordFunctionLog(
      functionLog({ message: '2026-11-24T06:00:00.011Z\treq-1\tINFO\t{"level":"WARN","n":2}', timestamp: T0 + 11 }),
    );
    telemetry.recordFunctionLog(functionLog({ kind: 'end', message: 'END RequestId: req-1', timestamp: T0 + 12 }));
    telemetry.recordFunctionLog(
      functionLog({
        kind: 'report',
        message:
          'REPORT RequestId: req-1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB',
        timestamp: T0 + 12,
      }),
    );
    telemetry.recordFunctionLog(
      functionLog({
        functionName: 'health',
        logGroupName: '/aws/lambda/health',
        message: 'ping',
        requestId: 'req-2',
        timestamp: T0 + 20,
      }),
    );
    const orders = telemetry.logs.query({ functionName: 'orders' });
    assert.deepEqual(
      orders.map((e) => e.kind),
      ['start', 'app', 'app', 'end', 'report'],
    );
    assert.equal(orders[1].message, powertools, 'the JSON line is kept verbatim');
    assert.deepEqual(orders[1].json, JSON.parse(powertools));
    assert.deepEqual(orders[2].json, { level: 'WARN', n: 2 }, 'JSON after the tab-separated prefix');
    assert.equal(orders[0].json, undefined);
    assert.deepEqual(
      telemetry.logs.query({ filter: 'RequestId req-1 -START' }).map((e) => e.kind),
      ['end', 'report'],
    );
    assert.deepEqual(
      telemetry.logs.query({ filter: '{ $.level = "INFO" }' }).map((e) => e.json?.orderId),
      ['o-1'],
    );
    assert.deepEqual(
      telemetry.logs.query({ since: T0 + 12, sources: ['function'] }).map((e) => e.message.slice(0, 6)),
      ['END Re', 'REPORT', 'ping'],
    );
    assert.deepEqual(
      telemetry.logs.query({ functionName: 'orders', limit: 2 }).map((e) => e.kind),
      ['end', 'report'],
      'limit keeps the newest',
    );
    telemetry.close();
  });

  test('each log group keeps at most `logCapacity` records, dropping the oldest', () => {
    const telemetry = createTelemetry(makeConfig(), { clock: manualClock(T0), tickIntervalMs: false, logCapacity: 3 });
    for (let i = 1; i <= 5; i++) telemetry.recordFunctionLog(functionLog({ message: `line ${i}` }));
    telemetry.recordFunctionLog(
      functionLog({ functionName: 'health', logGroupName: '/aws/lambda/health', message: 'h' }),
    );
    assert.deepEqual(
      telemetry.logs.query({ functionName: 'orders' }).map((e) => e.message),
      ['line 3', 'line 4', 'line 5'],
    );
    assert.equal(telemetry.logs.size(), 4);
    telemetry.close();
  });

  test('subscribers receive new matching records as they arrive', () => {
    const telemetry = createTelemetry(makeConfig(), { clock: manualClock(T0), tickIntervalMs: false });
    const seen: string[] = [];
    const stop = telemetry.logs.subscribe({ functionName: 'orders', filter: 'ERROR' }, (e) => seen.push(e.message));
    telemetry.recordFunctionLog(functionLog({ message: 'INFO fine' }));
    telemetry.recordFunctionLog(functionLog({ message: 'ERROR broken' }));
    telemetry.recordFunctionLog(
      functionLog({ functionName: 'health', logGroupName: '/aws/lambda/health', message: 'ERROR other' }),
    );
    stop();
    telemetry.recordFunctionLog(functionLog({ message: 'ERROR after unsubscribe' }));
    assert.deepEqual(seen, ['ERROR broken']);
    telemetry.close();
  });
});

describe('filter patterns', () => {
  const matches = (pattern: string, message: string) =>
    compileFilter(pattern)(message, () => {
      try {
        return JSON.parse(message);
      } catch {
        return undefined;
      }
    });

  test('terms, phrases, optional and excluded terms', () => {
    assert.equal(matches('', 'anything'), true);
    assert.equal(matches('ERROR timeout', 'ERROR: db timeout'), true);
    assert.equal(matches('ERROR timeout', 'ERROR: db down'), false);
    assert.equal(matches('error', 'ERROR'), false, 'case-sensitive, as CloudWatch');
    assert.equal(matches('"Task timed out"', 'Task timed out after 3.00 seconds'), true);
    assert.equal(matches('"Task timed out"', 'Task timed slowly out'), false);
    assert.equal(matches('?ERROR ?WARN', 'WARN low disk'), true);
    assert.equal(matches('?ERROR ?WARN', 'INFO ok'), false);
    assert.equal(matches('ERROR -Exiting', 'ERROR Exiting now'), false);
  });

  test('JSON selectors on structured messages', () => {
    const line = '{"level":"ERROR","latency":120,"user":{"id":"u-7"},"tags":["a","b"]}';
    assert.equal(matches('{ $.level = "ERROR" }', line), true);
    assert.equal(matches('{ $.level != "ERROR" }', line), false);
    assert.equal(matches('{ $.latency > 100 }', line), true);
    assert.equal(matches('{ $.latency <= 100 }', line), false);
    assert.equal(matches('{ $.user.id = "u-*" }', line), true);
    assert.equal(matches('{ $.tags[1] = "b" }', line), true);
    assert.equal(matches('{ $.level = "ERROR" }', 'ERROR plain text'), false);
    assert.throws(() => compileFilter('{ level = ERROR }'), /not a supported JSON pattern/);
  });
});
