import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { configFor, recorder, tempBuildDir } from './helpers.ts';

const build = tempBuildDir();
const flag = join(build.dir, 'init-fails.flag');
const rec = recorder();
const config = configFor({
  // A long timeout, so no failure under test races it (filling a 128 MB heap takes a while).
  fail: { handler: 'handlers/failures.behave', timeoutSeconds: 30, memoryMb: 128 },
  slow: { handler: 'handlers/failures.behave', timeoutSeconds: 1 },
  initFlag: { handler: 'handlers/init-flag.handler', environment: { INIT_FAIL_FLAG: flag } },
  initOom: { handler: 'handlers/init-oom.handler', memoryMb: 128 },
});
let runtime: Runtime;

before(async () => {
  runtime = createRuntime(config, { observer: rec.observer, buildDir: build.dir });
  await runtime.start();
});

after(async () => {
  await runtime.stop();
  build.remove();
});

function act(action: string, requestId?: string, functionName = 'fail'): Promise<InvokeResult> {
  return runtime.invoke(functionName, JSON.stringify({ action }), { requestId });
}

/** After any failure the function still serves. */
async function stillServes(functionName = 'fail'): Promise<InvokeResult> {
  const result = await act('ok', undefined, functionName);
  assert.deepEqual(result.outcome, { status: 'success', payload: '"ok"' });
  return result;
}

function environmentsOf(functionName: string) {
  return runtime.environments().filter((e) => e.functionName === functionName);
}

describe('failures never take the host down', () => {
  test('a thrown error is a function error with Lambda error fields; the environment stays warm', async () => {
    const first = await stillServes();
    const result = await act('throw');
    assert.equal(result.outcome.status, 'function-error');
    if (result.outcome.status !== 'function-error') return;
    assert.equal(result.outcome.errorType, 'OrderNotFound');
    assert.equal(result.outcome.errorMessage, 'order 42 does not exist');
    assert.equal(result.outcome.stackTrace[0], 'OrderNotFound: order 42 does not exist');
    assert.match(result.outcome.stackTrace[1], /^ {4}at behave \(.*handlers\/failures\.ts:12:13\)$/);
    assert.equal(result.report!.environmentId, first.report!.environmentId);
    const again = await stillServes();
    assert.equal(again.report!.environmentId, first.report!.environmentId);
  });

  test('a rejected promise is a function error, logged as Lambda logs it', async () => {
    const requestId = 'aaaaaaaa-0000-4000-8000-000000000001';
    const result = await act('reject', requestId);
    assert.equal(result.outcome.status, 'function-error');
    if (result.outcome.status !== 'function-error') return;
    assert.equal(result.outcome.errorType, 'RangeError');
    assert.equal(result.outcome.errorMessage, 'rejected on purpose');
    const errorLine = rec.linesOf(requestId).find((l) => l.kind === 'error');
    const [, id, level, text] = errorLine!.message.split('\t');
    assert.deepEqual([id, level, text], [requestId, 'ERROR', 'Invoke Error ']);
    const json = JSON.parse(errorLine!.message.split('\t')[4]);
    assert.equal(json.errorType, 'RangeError');
    assert.equal(json.errorMessage, 'rejected on purpose');
    assert.deepEqual(json.stack, result.outcome.stackTrace);
    await stillServes();
  });

  test('a handler that never settles times out: environment discarded, timeout logged', async () => {
    const requestId = 'aaaaaaaa-0000-4000-8000-000000000002';
    const result = await act('hang', requestId, 'slow');
    assert.deepEqual(result.outcome, { status: 'timeout', timeoutSeconds: 1 });
    assert.ok(result.report!.durationMs >= 999, `duration ${result.report!.durationMs}`);
    assert.equal(result.report!.outcome, 'timeout');
    const lines = rec.linesOf(requestId).map((l) => [l.kind, l.message]);
    assert.equal(lines.length, 4);
    assert.equal(lines[0][1], `START RequestId: ${requestId} Version: $LATEST`);
    assert.equal(lines[1][0], 'timeout');
    assert.match(
      lines[1][1],
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${requestId} Task timed out after 1\\.00 seconds$`),
    );
    assert.deepEqual(lines[2], ['end', `END RequestId: ${requestId}`]);
    assert.match(
      lines[3][1],
      /\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\tStatus: timeout$/,
    );
    assert.ok(!environmentsOf('slow').some((e) => e.environmentId === result.report!.environmentId), 'discarded');
    const next = await stillServes('slow');
    assert.equal(next.report!.coldStart, true);
  });

  test("process.exit in a handler is Runtime.ExitError with Lambda's message", async () => {
    const requestId = 'aaaaaaaa-0000-4000-8000-000000000003';
    const result = await act('exit', requestId);
    assert.deepEqual(result.outcome, {
      status: 'runtime-crash',
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status 3`,
    });
    const lines = rec.linesOf(requestId);
    assert.equal(
      lines.find((l) => l.kind === 'error')!.message,
      `RequestId: ${requestId} Error: Runtime exited with error: exit status 3\nRuntime.ExitError`,
    );
    assert.match(lines.at(-1)!.message, /\tStatus: error\tError Type: Runtime.ExitError$/);
    assert.equal((await stillServes()).report!.coldStart, true);
  });

  test('running out of memory is Runtime.OutOfMemory; the host lives on', async () => {
    const requestId = 'aaaaaaaa-0000-4000-8000-000000000004';
    const result = await act('oom', requestId);
    assert.deepEqual(result.outcome, {
      status: 'runtime-crash',
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
    });
    assert.equal(result.report!.maxMemoryUsedMb, 128);
    assert.match(
      rec.linesOf(requestId).at(-1)!.message,
      /\tMax Memory Used: 128 MB(\tInit Duration: [\d.]+ ms)?\tStatus: error\tError Type: Runtime.OutOfMemory$/,
    );
    await stillServes();
  });

  test('running out of memory during init names the request that waited for it (not RequestId: undefined)', async () => {
    const requestId = 'aaaaaaaa-0000-4000-8000-000000000014';
    const result = await runtime.invoke('initOom', '{}', { requestId });
    assert.deepEqual(result.outcome, {
      status: 'init-error',
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
    });
    assert.equal(runtime.environments().filter((e) => e.functionName === 'initOom').length, 0);
  });

  test('an uncaught exception from a timer during the invocation crashes that environment only', async () => {
    const result = await act('late-throw');
    assert.deepEqual(result.outcome, {
      status: 'runtime-crash',
      errorType: 'Error',
      errorMessage: 'thrown from a timer',
    });
    assert.equal((await stillServes()).report!.coldStart, true);
  });

  test('an unhandled rejection is Runtime.UnhandledPromiseRejection', async () => {
    const requestId = 'aaaaaaaa-0000-4000-8000-000000000005';
    const result = await act('late-reject', requestId);
    assert.deepEqual(result.outcome, {
      status: 'runtime-crash',
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: nobody caught me',
    });
    const logged = rec.linesOf(requestId).find((l) => l.message.includes('Unhandled Promise Rejection'));
    assert.equal(logged!.kind, 'error');
    assert.match(
      logged!.message,
      /\tERROR\tUnhandled Promise Rejection \t\{"errorType":"Runtime.UnhandledPromiseRejection","errorMessage":"Error: nobody caught me","reason":\{"errorType":"Error","errorMessage":"nobody caught me"/,
    );
    await stillServes();
  });

  test('an error thrown by a timer after the answer fails the next invocation, as the frozen environment thaws', async () => {
    const answered = await act('idle-throw');
    assert.deepEqual(answered.outcome, { status: 'success', payload: '"answered"' });
    const frozenId = answered.report!.environmentId;
    // The timer is due after 50 ms, but nothing runs in a frozen environment: it is still there, unharmed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(environmentsOf('fail').some((e) => e.environmentId === frozenId));
    const requestId = 'aaaaaaaa-0000-4000-8000-000000000006';
    const thawed = await act('ok', requestId);
    assert.equal(thawed.report!.environmentId, frozenId);
    assert.deepEqual(thawed.outcome, {
      status: 'runtime-crash',
      errorType: 'Error',
      errorMessage: 'thrown while idle',
    });
    assert.ok(rec.linesOf(requestId).some((l) => l.kind === 'error' && l.message.includes('Uncaught Exception')));
    const next = await stillServes();
    assert.notEqual(next.report!.environmentId, frozenId);
    assert.equal(next.report!.coldStart, true);
  });

  test('init throwing at module top level is an init error; the next invoke tries a fresh init', async () => {
    writeFileSync(flag, 'fail');
    const failed = await runtime.invoke('initFlag', '{}');
    assert.deepEqual(failed.outcome, {
      status: 'init-error',
      errorType: 'Error',
      errorMessage: 'init failed on purpose',
    });
    assert.equal(failed.report!.coldStart, true);
    assert.equal(failed.report!.outcome, 'init-error');
    assert.equal(runtime.environments().filter((e) => e.functionName === 'initFlag').length, 0);
    const uncaught = rec.logs.find((l) => l.functionName === 'initFlag' && l.kind === 'error');
    assert.match(
      uncaught!.message,
      /\tundefined\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"init failed on purpose"/,
    );
    rmSync(flag);
    const ok = await runtime.invoke('initFlag', '{}');
    assert.deepEqual(ok.outcome, { status: 'success', payload: '"initialized"' });
    assert.equal(ok.report!.coldStart, true);
  });
});
