import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bundleBootstrap, bundleFunction, type FunctionBundle } from '../../src/runtime/bundler.ts';
import { ExecutionEnvironment } from '../../src/runtime/environment.ts';
import { environmentSpec } from '../../src/runtime/environment-spec.ts';
import { createRuntime, type InvokeOutcome, type Runtime } from '../../src/runtime/index.ts';
import { LOG_RING_BYTES } from '../../src/runtime/protocol.ts';
import { Sandbox } from '../../src/runtime/sandbox.ts';
import { configFor, gate, recorder, tempBuildDir, waitFor } from './helpers.ts';

const build = tempBuildDir();
const rec = recorder();
const config = configFor({
  interleaved: { handler: 'handlers/log-stream.interleaved' },
  silent: { handler: 'handlers/log-stream.silent' },
  oneLine: { handler: 'handlers/log-stream.oneLine' },
  waitOnGate: { handler: 'handlers/log-stream.waitOnGate' },
  logThenSpin: { handler: 'handlers/log-stream.logThenSpin', timeoutSeconds: 1 },
  logThenExit: { handler: 'handlers/log-stream.logThenExit' },
  bigWrite: { handler: 'handlers/log-stream.bigWrite', memoryMb: 256 },
  logAfterAnswer: { handler: 'handlers/log-stream.logAfterAnswer' },
});
let runtime: Runtime;
const frozen: string[] = [];

before(async () => {
  runtime = createRuntime(config, {
    observer: { ...rec.observer, onFrozen: (name) => frozen.push(name) },
    buildDir: build.dir,
  });
  await runtime.start();
});

after(async () => {
  await runtime.stop();
  build.remove();
});

/** A request's lines as [kind, text], console lines without their time and request id. */
function linesOf(requestId: string): [string, string][] {
  return rec.linesOf(requestId).map((l) => {
    const parts = l.message.split('\t');
    return [l.kind, parts.length === 4 && parts[1] === requestId ? parts.slice(2).join('\t') : l.message];
  });
}

describe("an environment's log stream", () => {
  test('lines before the answer come before END and REPORT, in the order written across console, stdout and stderr', async () => {
    const requestId = 'bbbbbbbb-0000-4000-8000-000000000001';
    const rounds = 200;
    const result = await runtime.invoke('interleaved', JSON.stringify({ rounds }), { requestId });
    assert.deepEqual(result.outcome, { status: 'success', payload: '"done"' });
    const expected: [string, string][] = [['start', `START RequestId: ${requestId} Version: $LATEST`]];
    for (let i = 0; i < rounds; i++) {
      expected.push(
        ['app', `INFO\tconsole ${i}`],
        ['app', `stdout ${i}`],
        ['app', `stderr ${i}`],
        ['app', `ERROR\tconsole.error ${i}`],
      );
    }
    expected.push(['app', 'split ov€r two writes'], ['end', `END RequestId: ${requestId}`]);
    const lines = linesOf(requestId);
    assert.deepEqual(lines.slice(0, -1), expected);
    assert.equal(lines.at(-1)![0], 'report');
  });

  test('a line logged during an invocation arrives while it is still running', async () => {
    const held = await gate();
    try {
      const requestId = 'bbbbbbbb-0000-4000-8000-000000000002';
      let outcome: InvokeOutcome | undefined;
      const running = runtime
        .invoke('waitOnGate', JSON.stringify({ gate: held.url }), { requestId })
        .then((r) => (outcome = r.outcome));
      await waitFor(() => held.arrived() === 1, 'the handler at the gate');
      await waitFor(() => linesOf(requestId).some(([, text]) => text === 'INFO\twaiting for the gate'), 'its line');
      assert.equal(outcome, undefined, 'still running when its line arrived');
      held.open();
      await running;
      assert.deepEqual(outcome, { status: 'success', payload: '"open"' });
      assert.deepEqual(
        linesOf(requestId)
          .slice(0, 3)
          .map(([kind]) => kind),
        ['start', 'app', 'end'],
      );
    } finally {
      await held.close();
    }
  });

  test('a handler that logs and then never yields times out with its lines kept, before the timeout line', async () => {
    const requestId = 'bbbbbbbb-0000-4000-8000-000000000003';
    const result = await runtime.invoke('logThenSpin', '{}', { requestId });
    assert.deepEqual(result.outcome, { status: 'timeout', timeoutSeconds: 1 });
    assert.deepEqual(
      linesOf(requestId)
        .slice(0, 5)
        .map(([kind, text]) => [kind, kind === 'timeout' ? text.split(' ').slice(2).join(' ') : text]),
      [
        ['start', `START RequestId: ${requestId} Version: $LATEST`],
        ['app', 'INFO\tbefore the loop'],
        ['app', '{"raw":"before the loop"}'],
        ['timeout', 'Task timed out after 1.00 seconds'],
        ['end', `END RequestId: ${requestId}`],
      ],
    );
  });

  test('a handler that exits keeps the lines it wrote, its last one without a newline too', async () => {
    const requestId = 'bbbbbbbb-0000-4000-8000-000000000004';
    const result = await runtime.invoke('logThenExit', '{}', { requestId });
    assert.equal(result.outcome.status, 'runtime-crash');
    const lines = linesOf(requestId);
    assert.deepEqual(lines.slice(0, 3), [
      ['start', `START RequestId: ${requestId} Version: $LATEST`],
      ['app', 'INFO\tabout to exit'],
      ['app', 'no newline at the end'],
    ]);
  });

  test('a write larger than the log ring arrives whole, between the lines around it', async () => {
    const requestId = 'bbbbbbbb-0000-4000-8000-000000000005';
    const bytes = 4 * LOG_RING_BYTES;
    const result = await runtime.invoke('bigWrite', JSON.stringify({ bytes }), { requestId });
    assert.deepEqual(result.outcome, { status: 'success', payload: '"written"' });
    const lines = linesOf(requestId);
    assert.deepEqual(lines.slice(1, 4), [
      ['app', 'INFO\tbefore the big write'],
      ['app', 'é'.repeat(bytes / 2)],
      ['app', 'INFO\tafter the big write'],
    ]);
    assert.equal(lines[4][0], 'end');
  });
});

describe("the log flush is the runtime's own work", () => {
  test('a line written after the answer arrives on its own, and its flush is no pending work to freeze', async () => {
    for (let i = 0; i < 3; i++) {
      const result = await runtime.invoke('logAfterAnswer', '{}');
      assert.deepEqual(result.outcome, { status: 'success', payload: '"answered"' });
      const lines = () =>
        rec.logs.filter((l) => l.functionName === 'logAfterAnswer' && l.message.endsWith('\tafter the answer'));
      await waitFor(() => lines().length === i + 1, `line ${i + 1}`);
    }
    // A freeze would have been reported before the flush that carried the line (one port, in order).
    assert.deepEqual(
      frozen.filter((name) => name === 'logAfterAnswer'),
      [],
    );
  });
});

describe('what crosses from a worker to the host per invocation', () => {
  let bootstrapFile: string;
  const bundles = new Map<string, FunctionBundle>();

  before(async () => {
    bootstrapFile = await bundleBootstrap(build.dir);
    for (const name of ['silent', 'oneLine']) {
      const result = await bundleFunction(config.functions[name], config.dir, build.dir);
      assert.ok(result.ok);
      bundles.set(name, result.bundle);
    }
  });

  /** One real environment of `name`, with every message its worker posts counted. */
  async function counted(name: string) {
    const fn = config.functions[name];
    const spec = environmentSpec(
      fn,
      { config, region: 'us-east-1', extraEnv: {}, bootstrapFile },
      `/aws/lambda/${name}`,
    );
    const bundle = bundles.get(name)!;
    const sandbox = new Sandbox(spec, 'on-demand', bundle.preload);
    const counter = { messages: 0, stdioChunks: 0 };
    sandbox.worker.on('message', () => counter.messages++);
    // Node's worker stdio would be a message each way per write, on a port of its own.
    sandbox.worker.stdout.on('data', () => counter.stdioChunks++);
    sandbox.worker.stderr.on('data', () => counter.stdioChunks++);
    const lines: string[] = [];
    const env = new ExecutionEnvironment(
      spec,
      bundle,
      { onLine: (_env, line) => lines.push(line), onDeath() {} },
      'on-demand',
      sandbox,
    );
    assert.equal(await env.ready, undefined);
    const invoke = (n: number) =>
      new Promise<InvokeOutcome>((resolve) =>
        env.invoke(
          `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`,
          JSON.stringify({ n }),
          undefined,
          undefined,
          resolve,
        ),
      );
    return { env, counter, lines, invoke };
  }

  for (const [name, logs] of [
    ['silent', false],
    ['oneLine', true],
  ] as const) {
    test(`a ${logs ? 'handler logging a line' : 'silent handler'} costs exactly one message per invocation`, async () => {
      const { env, counter, lines, invoke } = await counted(name);
      try {
        const before = counter.messages;
        const invocations = 50;
        for (let n = 0; n < invocations; n++) assert.equal((await invoke(n)).status, 'success');
        assert.equal(counter.messages - before, invocations);
        if (logs) {
          assert.equal(lines.length, invocations);
          for (const [n, line] of lines.entries()) assert.match(line, new RegExp(`\\tINFO\\thandled ${n}$`));
        } else assert.deepEqual(lines, []);
        assert.equal(counter.stdioChunks, 0);
      } finally {
        env.discard();
        await env.exited;
      }
    });
  }
});
