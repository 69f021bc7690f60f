/** `gantry logs` and `gantry cost` against a real console over loopback HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { command as costCommand } from '../../src/cli/commands/cost.ts';
import { command as logsCommand } from '../../src/cli/commands/logs.ts';
import { createConsoleServer } from '../../src/console/index.ts';
import { costForTraffic, createCostMeter, formatTrafficReport } from '../../src/cost/index.ts';
import { createTelemetry } from '../../src/telemetry/index.ts';
import { captureConsole } from '../cli/capture.ts';
import { makeConfig, manualClock, sample } from '../telemetry/fixtures.ts';
import { FIXTURE } from './dev-stack.ts';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);

describe('gantry logs and gantry cost', () => {
  const config = makeConfig();
  const clock = manualClock(T0);
  const telemetry = createTelemetry(config, { clock, tickIntervalMs: false });
  const cost = createCostMeter({ config, telemetry });
  const server = createConsoleServer({ config, telemetry, cost });
  let port = '';
  const log = (functionName: string, message: string, kind: 'app' | 'start' = 'app') =>
    telemetry.recordFunctionLog({
      functionName,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 's',
      timestamp: clock(),
      message,
      kind,
    });

  before(async () => {
    port = String((await server.listen(0, '127.0.0.1')).port);
    log('orders', 'START RequestId: r1 Version: $LATEST', 'start');
    log('orders', '{"level":"ERROR","message":"boom"}');
    log('health', 'fine');
    telemetry.recordRequest(sample(config, { requestId: 'acc-1' }));
  });
  after(async () => {
    await server.close();
    cost.close();
    telemetry.close();
  });

  test('gantry logs FUNCTION prints that function’s lines, JSON kept as written', async () => {
    const { code, out } = await captureConsole(() => logsCommand.run(['orders', '--console-port', port]));
    assert.equal(code, 0);
    assert.deepEqual(out, [
      '2026-11-24T06:00:00.000Z [orders] START RequestId: r1 Version: $LATEST',
      '2026-11-24T06:00:00.000Z [orders] {"level":"ERROR","message":"boom"}',
    ]);
  });

  test('gantry logs --filter and --source, and --json', async () => {
    const filtered = await captureConsole(() =>
      logsCommand.run(['--filter', '{ $.level = "ERROR" }', '--console-port', port]),
    );
    assert.deepEqual(filtered.out, ['2026-11-24T06:00:00.000Z [orders] {"level":"ERROR","message":"boom"}']);
    const access = await captureConsole(() =>
      logsCommand.run(['--source', 'access', '--json', '--console-port', port]),
    );
    assert.equal(access.out.length, 1);
    assert.equal(JSON.parse(access.out[0]).requestId, 'acc-1');
    const bad = await captureConsole(() => logsCommand.run(['--filter', '{ nope }', '--console-port', port]));
    assert.equal(bad.code, 2);
    assert.match(bad.err[0], /not a supported JSON pattern/);
    await assert.rejects(
      () => logsCommand.run(['--source', 'kernel']),
      /--source: "kernel" is not one of function, access, system/,
    );
  });

  test('gantry logs -f replays the recent lines, then follows until interrupted', async () => {
    const run = captureConsole(async (out) => {
      const running = logsCommand.run(['health', '-f', '--console-port', port]);
      for (let i = 0; i < 200 && out.length < 2; i++) {
        if (out.length === 1) log('health', `later ${i}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      process.emit('SIGINT');
      return running;
    });
    const { code, out } = await run;
    assert.equal(code, 0);
    assert.equal(out[0], '2026-11-24T06:00:00.000Z [health] fine');
    assert.match(out[1], /^2026-11-24T06:00:00\.000Z \[health\] later \d+$/);
  });

  test('gantry logs names the console it could not reach', async () => {
    const { code, err } = await captureConsole(() => logsCommand.run(['--console-port', '9']));
    assert.equal(code, 1);
    assert.match(err[0], /^gantry logs: cannot reach gantry dev's console at http:\/\/127\.0\.0\.1:9\/api\/logs/);
  });

  test('gantry cost --rps prints the traffic model of the config', async () => {
    const { code, out } = await captureConsole(() => costCommand.run(['--rps', '10', '--config', FIXTURE]));
    assert.equal(code, 0);
    const { loadConfig } = await import('../../src/config/index.ts');
    const fixture = await loadConfig(FIXTURE);
    assert.equal(out.join('\n'), formatTrafficReport('dashboard-e2e', costForTraffic(fixture, { rps: 10 })));
    assert.match(out.join('\n'), /HTTP API requests +26,280,000 +requests +\$26\.28/);
    await assert.rejects(() => costCommand.run(['--rps', 'lots']), /--rps: expected a number ≥ 0, got "lots"/);
  });

  test('gantry cost without --rps reads the running console', async () => {
    const { code, out } = await captureConsole(() => costCommand.run(['--console-port', port, '--json']));
    assert.equal(code, 0);
    const report = JSON.parse(out.join('\n'));
    assert.equal(report.budget.monthlyUsd, 20);
    assert.equal(report.soFar.items.find((i: { item: string }) => i.item === 'HTTP API requests').quantity, 1);
    const text = await captureConsole(() => costCommand.run(['--console-port', port]));
    assert.match(
      text.out.join('\n'),
      /^orders-api: traffic observed by gantry dev over \d+ s, projected from the last 1 s/,
    );
  });
});
