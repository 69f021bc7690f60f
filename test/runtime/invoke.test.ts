import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { localAccessKeyId } from '../../src/aws/table-access.ts';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { configFor, recorder, tempBuildDir } from './helpers.ts';

const build = tempBuildDir();
const rec = recorder();
const config = configFor(
  {
    echo: { handler: 'handlers/basic.echo' },
    nothing: { handler: 'handlers/basic.nothing' },
    callbackStyle: { handler: 'handlers/basic.callbackStyle' },
    callbackError: { handler: 'handlers/basic.callbackError' },
    callbackWithTimer: { handler: 'handlers/basic.callbackWithTimer' },
    contextInfo: { handler: 'handlers/basic.contextInfo', memoryMb: 256, timeoutSeconds: 7 },
    envInfo: { handler: 'handlers/basic.envInfo', environment: { CUSTOM_SETTING: 'from-config' } },
    counter: { handler: 'handlers/basic.counter' },
    logs: { handler: 'handlers/basic.logs' },
    big: { handler: 'handlers/basic.big', memoryMb: 512 },
    notAFunction: { handler: 'handlers/basic.notAFunction' },
    deps: { handler: 'handlers/deps.handler' },
  },
  { regions: { primary: 'eu-west-1' }, account: '210987654321' },
);
let runtime: Runtime;

function success(result: InvokeResult): string {
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  return (result.outcome as { payload: string }).payload;
}

before(async () => {
  runtime = createRuntime(config, {
    observer: rec.observer,
    buildDir: build.dir,
    environment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' },
  });
  await runtime.start();
});

after(async () => {
  await runtime.stop();
  build.remove();
});

describe('invoking handlers', () => {
  test('the event arrives parsed and the result leaves as JSON text', async () => {
    assert.equal(success(await runtime.invoke('echo', '{"a":[1,2],"b":"é"}')), '{"received":{"a":[1,2],"b":"é"}}');
  });

  test('a handler returning undefined answers null, as Lambda does', async () => {
    assert.equal(success(await runtime.invoke('nothing', '{}')), 'null');
  });

  test('callback-style handlers: callback(null, result) and callback(error)', async () => {
    assert.equal(success(await runtime.invoke('callbackStyle', '{"name":"gantry"}')), '{"hello":"gantry"}');
    const failed = await runtime.invoke('callbackError', '{}');
    assert.equal(failed.outcome.status, 'function-error');
    if (failed.outcome.status !== 'function-error') return;
    assert.equal(failed.outcome.errorType, 'TypeError');
    assert.equal(failed.outcome.errorMessage, 'callback said no');
    assert.equal(failed.outcome.stackTrace[0], 'TypeError: callback said no');
    assert.match(failed.outcome.stackTrace[1], /handlers\/basic\.ts:14:\d+\)$/, 'stack points at the .ts source');
  });

  test('a handler answering through the callback is reported once per environment (nodejs24.x has no callbacks)', async () => {
    await runtime.invoke('echo', '{}');
    // Sequential invocations reuse one warm environment: reported at its first callback only.
    for (const name of ['a', 'b', 'c']) success(await runtime.invoke('callbackStyle', JSON.stringify({ name })));
    assert.equal(rec.callbacks.filter((name) => name === 'callbackStyle').length, 1, rec.callbacks.join());
    assert.ok(!rec.callbacks.includes('echo'), 'an async handler is not reported');
  });

  test('callbackWaitsForEmptyEventLoop holds the answer until pending timers are done', async () => {
    const result = await runtime.invoke('callbackWithTimer', '{"delayMs":300}');
    assert.equal(success(result), '"after-timer"');
    assert.ok(result.report!.durationMs >= 295, `duration ${result.report!.durationMs} covers the 300 ms timer`);
  });

  test('context carries Lambda fields in their exact shapes', async () => {
    const result = await runtime.invoke('contextInfo', '{}', { requestId: 'c0ffee00-1111-2222-3333-444455556666' });
    const context = JSON.parse(success(result));
    const envId = result.report!.environmentId;
    assert.match(envId, /^[0-9a-f]{32}$/);
    const today = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    assert.ok(context.remaining > 0 && context.remaining <= 7000, `remaining ${context.remaining}`);
    assert.deepEqual(
      { ...context, remaining: 0 },
      {
        functionName: 'contextInfo',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:eu-west-1:210987654321:function:contextInfo',
        memoryLimitInMB: '256',
        awsRequestId: 'c0ffee00-1111-2222-3333-444455556666',
        logGroupName: '/aws/lambda/contextInfo',
        logStreamName: `${today}/[$LATEST]${envId}`,
        remaining: 0,
        callbackWaitsForEmptyEventLoop: true,
        methods: ['function', 'function', 'function'],
      },
    );
  });

  test("environment variables are Lambda's, never the host's", async () => {
    const saved = process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = 'host-real-secret-must-not-leak';
    try {
      const traced = await runtime.invoke('envInfo', '{}', { traceId: 'Root=1-67a1b2c3-0123456789abcdef01234567' });
      const env = JSON.parse(success(traced));
      const stream = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${traced.report!.environmentId}`;
      assert.deepEqual(env, {
        LANG: 'en_US.UTF-8',
        PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_SERVICE_NAME: 'runtime-tests',
        POWERTOOLS_METRICS_NAMESPACE: 'runtime-tests',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        CUSTOM_SETTING: 'from-config',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
        _HANDLER: 'index.envInfo',
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
        AWS_LAMBDA_FUNCTION_NAME: 'envInfo',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/envInfo',
        AWS_LAMBDA_LOG_STREAM_NAME: stream,
        LAMBDA_TASK_ROOT: config.dir,
        TZ: ':UTC',
        // One key per function: the store tells who calls by it (table access).
        AWS_ACCESS_KEY_ID: localAccessKeyId('envInfo'),
        AWS_SECRET_ACCESS_KEY: 'gantry-local-secret-access-key-not-valid-in-aws',
        AWS_SESSION_TOKEN: 'gantry-local-session-token-not-valid-in-aws',
        _X_AMZN_TRACE_ID: 'Root=1-67a1b2c3-0123456789abcdef01234567',
      });
      assert.ok(process.env.HOME, 'the host has a HOME the handler must not see');
      const untraced = JSON.parse(success(await runtime.invoke('envInfo', '{}')));
      assert.equal(untraced._X_AMZN_TRACE_ID, undefined, 'the trace id belongs to one invocation');
      assert.equal(untraced.HOME, undefined);
    } finally {
      if (saved === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved;
    }
  });

  test('a warm environment keeps module scope; only the cold start reports Init Duration', async () => {
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await runtime.invoke('counter', '{}'));
    assert.deepEqual(results.map(success), ['1', '2', '3']);
    const [cold, warm1, warm2] = results.map((r) => r.report!);
    assert.equal(cold.coldStart, true);
    assert.ok(cold.initDurationMs! > 0);
    assert.equal(cold.billedDurationMs, Math.ceil(cold.durationMs + cold.initDurationMs!));
    for (const warm of [warm1, warm2]) {
      assert.equal(warm.coldStart, false);
      assert.equal('initDurationMs' in warm, false);
      assert.equal(warm.environmentId, cold.environmentId);
      assert.equal(warm.billedDurationMs, Math.ceil(warm.durationMs));
    }
    const counterEnvs = runtime.environments().filter((e) => e.functionName === 'counter');
    assert.equal(counterEnvs.length, 1);
    assert.equal(counterEnvs[0].invocations, 3);
    assert.equal(counterEnvs[0].state, 'idle');
    assert.deepEqual(
      rec.reports.filter((r) => r.functionName === 'counter').map((r) => r.requestId),
      results.map((r) => r.report!.requestId),
    );
  });

  test('logs read as CloudWatch shows them: START, console lines, raw lines, END, REPORT', async () => {
    const requestId = '0a1b2c3d-4e5f-4071-8899-aabbccddeeff';
    const result = await runtime.invoke('logs', '{}', { requestId });
    assert.equal(success(result), '"logged"');
    const lines = rec.linesOf(requestId);
    const report = result.report!;
    const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    const console = lines.filter((l) => l.kind === 'app').map((l) => l.message.split('\t'));
    for (const parts of console.filter((p) => p.length === 4)) {
      assert.match(parts[0], at);
      assert.equal(parts[1], requestId);
    }
    assert.deepEqual(
      lines.map((l) => [
        l.kind,
        l.kind === 'app' && l.message.includes('\t') ? l.message.split('\t').slice(2).join('\t') : l.message,
      ]),
      [
        ['start', `START RequestId: ${requestId} Version: $LATEST`],
        ['app', 'INFO\thello 42 { a: 1 }'],
        ['app', 'INFO\tinfo line'],
        ['app', 'WARN\twarn line'],
        ['app', 'ERROR\terror line'],
        ['app', 'DEBUG\tdebug line'],
        ['app', 'INFO\ttwo\nlines'],
        ['app', '{"level":"INFO","message":"raw json"}'],
        ['app', 'raw stderr line'],
        ['end', `END RequestId: ${requestId}`],
        [
          'report',
          `REPORT RequestId: ${requestId}\tDuration: ${report.durationMs.toFixed(2)} ms\tBilled Duration: ${report.billedDurationMs} ms` +
            `\tMemory Size: 128 MB\tMax Memory Used: ${report.maxMemoryUsedMb} MB\tInit Duration: ${report.initDurationMs!.toFixed(2)} ms`,
        ],
      ],
    );
    assert.ok(report.maxMemoryUsedMb > 0);
    for (const line of lines) {
      assert.equal(line.functionName, 'logs');
      assert.equal(line.logGroupName, '/aws/lambda/logs');
      assert.ok(line.logStreamName.endsWith(`[$LATEST]${report.environmentId}`));
    }
  });

  test("a response over Lambda's 6 MB limit (6,291,456 bytes) is refused; one at the limit is not", async () => {
    const atLimit = await runtime.invoke('big', '{"bytes":6291456}');
    assert.equal(success(atLimit).length, 6291456);
    const over = await runtime.invoke('big', '{"bytes":6291457}');
    assert.deepEqual(over.outcome, { status: 'response-too-large', sizeBytes: 6291457 });
    assert.equal(over.report!.outcome, 'response-too-large');
  });

  test('an export that is not a function fails init with Runtime.HandlerNotFound', async () => {
    const result = await runtime.invoke('notAFunction', '{}');
    assert.deepEqual(result.outcome, {
      status: 'init-error',
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.notAFunction is undefined or not exported',
    });
    assert.equal(result.report!.outcome, 'init-error');
    assert.equal(result.report!.coldStart, true);
  });

  test('the AWS SDK is bundled in, as deployed, and bundled CommonJS can require Node built-ins', async () => {
    assert.equal(success(await runtime.invoke('deps', '{}')), '{"sdk":"function","legacy":"cjs-required-node-assert"}');
    const outDir = join(build.dir, 'functions', 'deps');
    const bundles = readdirSync(outDir).filter((f) => f.endsWith('.mjs'));
    assert.equal(bundles.length, 1);
    assert.match(bundles[0], /^deps-[A-Z0-9]{8}\.mjs$/);
    const code = readFileSync(join(outDir, bundles[0]), 'utf8');
    assert.doesNotMatch(code, /from "@aws-sdk\/client-dynamodb"/, 'no import left for node_modules to resolve');
    assert.match(code, /DynamoDBClient/);
    assert.ok(code.startsWith("import { createRequire as __gantryCreateRequire } from 'node:module';"));
    assert.ok(readdirSync(outDir).includes(`${bundles[0]}.map`));
  });

  test('an unknown function is ResourceNotFoundException', async () => {
    assert.deepEqual((await runtime.invoke('nope', '{}')).outcome, {
      status: 'init-error',
      errorType: 'ResourceNotFoundException',
      errorMessage: 'Function not found: arn:aws:lambda:eu-west-1:210987654321:function:nope',
    });
  });
});
