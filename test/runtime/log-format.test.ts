import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  billedDuration,
  consoleLine,
  endLine,
  endLineBytes,
  errorReportMessage,
  functionArn,
  logGroupName,
  logStreamName,
  reportLine,
  reportLineBytes,
  runtimeExitMessage,
  startLine,
  startLineBytes,
  timeoutLine,
} from '../../src/runtime/log-format.ts';

const id = '8f5c9d52-2c38-4b8e-9a61-0c1f5e1b7a10';
const base = { requestId: id, durationMs: 1.234, billedDurationMs: 2, memorySizeMb: 128, maxMemoryUsedMb: 40 };

describe('log-format', () => {
  test('START and END lines', () => {
    assert.equal(startLine(id), `START RequestId: ${id} Version: $LATEST`);
    assert.equal(endLine(id), `END RequestId: ${id}`);
  });

  test('REPORT line of a warm invocation: tab-separated, durations with two decimals', () => {
    assert.equal(
      reportLine(base),
      `REPORT RequestId: ${id}\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB`,
    );
  });

  test('REPORT line of a cold start ends with Init Duration', () => {
    assert.equal(
      reportLine({ ...base, billedDurationMs: 152, initDurationMs: 150.2 }),
      `REPORT RequestId: ${id}\tDuration: 1.23 ms\tBilled Duration: 152 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 150.20 ms`,
    );
  });

  test('REPORT line of a timeout and of a dead runtime', () => {
    assert.equal(
      reportLine({ ...base, durationMs: 1000.5, billedDurationMs: 1001, status: 'timeout' }),
      `REPORT RequestId: ${id}\tDuration: 1000.50 ms\tBilled Duration: 1001 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: timeout`,
    );
    assert.equal(
      reportLine({ ...base, status: 'error', errorType: 'Runtime.OutOfMemory' }),
      `REPORT RequestId: ${id}\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: error\tError Type: Runtime.OutOfMemory`,
    );
  });

  test('line sizes computed without the text equal the UTF-8 size of the text', () => {
    assert.equal(startLineBytes(id), Buffer.byteLength(startLine(id)));
    assert.equal(endLineBytes(id), Buffer.byteLength(endLine(id)));
    assert.equal(startLineBytes('é'), Buffer.byteLength(startLine('é')));
    // Rounding ties and powers of ten are where a computed length could drift from toFixed's.
    const durations = [0, 0.004, 0.005, 0.015, 1.005, 9.994, 9.995, 9.996, 99.995, 999.9949, 999.995, 12345.675, 1e6];
    for (let i = 0; i < 2000; i++) durations.push(Math.random() * 10 ** Math.floor(Math.random() * 7));
    for (const durationMs of durations) {
      const fields = { ...base, durationMs, billedDurationMs: Math.ceil(durationMs), maxMemoryUsedMb: 1024 };
      for (const r of [
        fields,
        { ...fields, initDurationMs: durationMs * 3 },
        { ...fields, status: 'timeout' as const },
        { ...fields, status: 'error' as const, errorType: 'Runtime.ExitError' },
      ]) {
        assert.equal(reportLineBytes(r), Buffer.byteLength(reportLine(r)), `duration ${durationMs}`);
      }
    }
  });

  test('billed duration rounds up to the millisecond and includes init on a cold start', () => {
    assert.equal(billedDuration(1.23), 2);
    assert.equal(billedDuration(3), 3);
    assert.equal(billedDuration(0.01), 1);
    assert.equal(billedDuration(1.23, 150.2), 152);
    assert.equal(billedDuration(0, 27.5), 28);
  });

  test('console line: time, request id, level, message', () => {
    assert.equal(
      consoleLine('2026-11-24T06:08:18.759Z', id, 'WARN', 'disk almost full'),
      `2026-11-24T06:08:18.759Z\t${id}\tWARN\tdisk almost full`,
    );
    assert.equal(
      consoleLine('2026-11-24T06:08:18.759Z', undefined, 'INFO', 'at init'),
      '2026-11-24T06:08:18.759Z\tundefined\tINFO\tat init',
    );
  });

  test('error report message as the Node.js runtime logs it', () => {
    assert.equal(
      errorReportMessage('Invoke Error', 'TypeError', 'bad', ['TypeError: bad', '    at x (/a.ts:1:1)']),
      'Invoke Error \t{"errorType":"TypeError","errorMessage":"bad","stack":["TypeError: bad","    at x (/a.ts:1:1)"]}',
    );
    assert.equal(
      errorReportMessage('Unhandled Promise Rejection', 'Runtime.UnhandledPromiseRejection', 'Error: x', [], {
        promise: {},
      }),
      'Unhandled Promise Rejection \t{"errorType":"Runtime.UnhandledPromiseRejection","errorMessage":"Error: x","promise":{},"stack":[]}',
    );
  });

  test('timeout line and runtime exit messages', () => {
    assert.equal(
      timeoutLine('2026-11-24T06:08:19.831Z', id, 1),
      `2026-11-24T06:08:19.831Z ${id} Task timed out after 1.00 seconds`,
    );
    assert.equal(timeoutLine('t', id, 2.5), `t ${id} Task timed out after 2.50 seconds`);
    assert.equal(runtimeExitMessage(id, 3), `RequestId: ${id} Error: Runtime exited with error: exit status 3`);
    assert.equal(runtimeExitMessage(id, 'killed'), `RequestId: ${id} Error: Runtime exited with error: signal: killed`);
    assert.equal(runtimeExitMessage(id, 0), `RequestId: ${id} Error: Runtime exited without providing a reason`);
  });

  test('log stream name is dated in UTC and carries the environment id', () => {
    const envId = '0123456789abcdef0123456789abcdef';
    assert.equal(logStreamName(new Date(Date.UTC(2026, 0, 5, 23, 59, 59)), envId), `2026/01/05/[$LATEST]${envId}`);
    assert.equal(logStreamName(new Date(Date.UTC(2026, 10, 24, 0, 0, 0)), envId), `2026/11/24/[$LATEST]${envId}`);
  });

  test('log group and function ARN', () => {
    assert.equal(logGroupName('orders'), '/aws/lambda/orders');
    assert.equal(
      functionArn('eu-west-1', '123456789012', 'orders'),
      'arn:aws:lambda:eu-west-1:123456789012:function:orders',
    );
  });
});
