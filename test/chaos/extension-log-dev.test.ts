/**
 * The log lines of FIS's Lambda extension: each invocation a Lambda action hits has its line in the
 * function's log stream, after START and before END, with the invocation's request id; invocations
 * not hit, and other functions, have none.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LogEntry } from '../../src/telemetry/index.ts';
import { type ChaosStack, startChaosStack } from './stack.ts';

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack();
});
after(async () => {
  await stack?.close();
});

const EXTENSION = 'AWS FIS EXTENSION - ';

/** Per request id of the function's invocations since `since`, its lines' kinds and messages in order. */
function invocations(functionName: string, since: number): Map<string, LogEntry[]> {
  const byRequest = new Map<string, LogEntry[]>();
  for (const line of stack.dev.telemetry!.logs.query({ functionName, since, limit: 10_000 })) {
    if (!line.requestId) continue;
    const lines = byRequest.get(line.requestId) ?? [];
    lines.push(line);
    byRequest.set(line.requestId, lines);
  }
  for (const lines of byRequest.values()) lines.sort((a, b) => a.seq - b.seq);
  return byRequest;
}

test('each invocation hit by a delay (and an error on top) logs the extension lines; the others log none', async () => {
  const since = Date.now();
  const delay = stack.chaos.inject({
    action: 'aws:lambda:invocation-add-delay',
    target: 'echo',
    parameters: { startupDelayMilliseconds: 5 },
    percent: 50,
    seed: 11,
  });
  const error = stack.chaos.inject({
    action: 'aws:lambda:invocation-error',
    target: 'echo',
    parameters: { preventExecution: true },
    percent: 50,
    seed: 12,
  });
  for (let i = 0; i < 20; i++) await stack.get('/echo');
  assert.equal((await stack.post('/items', { id: 'extension-log' })).status, 201);
  const d = stack.chaos.stop(delay.id)!;
  const e = stack.chaos.stop(error.id)!;
  assert.equal(d.seen, 20);
  assert.ok(d.hits > 0 && d.hits < 20 && e.hits > 0 && e.hits < 20, `hits ${d.hits}, ${e.hits}`);

  const echo = invocations('echo', since);
  assert.equal(echo.size, 20);
  let delayed = 0;
  let failed = 0;
  for (const lines of echo.values()) {
    const extension = lines.filter((l) => l.message.startsWith(EXTENSION));
    for (const l of extension) {
      assert.equal(l.kind, 'app');
      assert.equal(l.logStreamName, lines[0].logStreamName, 'in the invocation’s own stream');
    }
    if (extension.length) {
      // After START, before the handler's and the runtime's closing lines.
      assert.equal(lines[0].kind, 'start');
      assert.equal(lines[1].message.startsWith(EXTENSION), true);
      assert.equal(lines.at(-1)!.kind, 'report');
    }
    for (const l of extension) {
      if (l.message === `${EXTENSION}adding 5 milliseconds of latency to function invocation`) delayed++;
      else if (l.message === `${EXTENSION}injecting an error into function invocation (handler not run)`) failed++;
      else assert.fail(`unexpected extension line: ${l.message}`);
    }
  }
  assert.equal(delayed, d.hits);
  assert.equal(failed, e.hits);
  const writer = [...invocations('writer', since).values()].flat();
  assert.ok(writer.length > 0);
  assert.equal(writer.filter((l) => l.message.startsWith(EXTENSION)).length, 0);
});

test('an HTTP response replacement logs its status', async () => {
  const since = Date.now();
  const fault = stack.chaos.inject({
    action: 'aws:lambda:invocation-http-integration-response',
    target: 'echo',
    parameters: { statusCode: 503, contentTypeHeader: 'text/plain', preventExecution: false },
  });
  assert.equal((await stack.get('/echo')).status, 503);
  stack.chaos.stop(fault.id);
  const [lines] = invocations('echo', since).values();
  assert.deepEqual(
    lines.filter((l) => l.message.startsWith(EXTENSION)).map((l) => l.message),
    [`${EXTENSION}replacing the function response with HTTP status 503 (after the handler ran)`],
  );
});
