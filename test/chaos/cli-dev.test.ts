/** `gantry chaos inject | list | stop` and the console's chaos endpoints, against a real `gantry dev`. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { command } from '../../src/cli/commands/chaos.ts';
import type { FaultView, Overview } from '../../src/console/index.ts';
import { captured } from '../cli/capture.ts';
import { type ChaosStack, startChaosStack } from './stack.ts';

let stack: ChaosStack;
let port: string;
before(async () => {
  stack = await startChaosStack();
  port = String(new URL(stack.consoleUrl).port);
});
after(async () => {
  await stack?.close();
});

function chaos(...args: string[]) {
  return captured(() => command.run([...args, '--console-port', port]));
}

test('inject prints the id; the fault acts, shows in list, in the overview and in the logs; stop ends it', async () => {
  const injected = await chaos(
    'inject',
    'aws:lambda:invocation-http-integration-response',
    '--target',
    'echo',
    '--seed',
    '3',
    'statusCode=503',
    'contentTypeHeader=application/json',
    'preventExecution=true',
  );
  assert.equal(injected.code, 0, injected.err);
  const id = injected.out;
  assert.match(id, /^flt-[0-9a-f]{10}$/);
  assert.match(injected.err, /statusCode=503 .*for 60s, seed 3/);
  assert.equal((await stack.get('/echo')).status, 503);

  const listed = await chaos('list');
  assert.match(
    listed.out,
    new RegExp(`${id}\\s+active, \\d+s left\\s+aws:lambda:invocation-http-integration-response\\s+echo\\s+.*1/1\\s+3`),
  );
  const overview = (await (await fetch(`${stack.consoleUrl}/api/overview`)).json()) as Overview;
  assert.deepEqual(
    overview.faults.map((f) => [f.id, f.state, f.hits]),
    [[id, 'active', 1]],
  );
  const logs = await (await fetch(`${stack.consoleUrl}/api/logs?source=system&filter=${id}`)).json();
  assert.match((logs as { message: string }[])[0].message, new RegExp(`chaos: fault ${id} started`));

  const stopped = await chaos('stop', id);
  assert.equal(stopped.code, 0);
  assert.equal(stopped.out, `stopped ${id}: 1 of 1 hit`);
  assert.equal((await stack.get('/echo')).status, 200);
  const again = await chaos('stop', id);
  assert.equal(again.code, 1);
  assert.match(again.err, /already ended \(stopped\)/);
});

test('stop --all ends every active fault', async () => {
  await chaos('inject', 'gantry:dynamodb:table-add-delay', '--target', 'items');
  await chaos('inject', 'gantry:apigateway:route-add-delay', '--target', 'GET /other', 'delayMilliseconds=5');
  const stopped = await chaos('stop', '--all');
  assert.equal(stopped.out.split('\n').length, 2);
  const faults = (await (await fetch(`${stack.consoleUrl}/api/chaos/faults`)).json()) as FaultView[];
  assert.equal(faults.filter((f) => f.state === 'active').length, 0);
  assert.equal(stack.dev.store.faults, undefined);
  assert.equal(stack.dev.gateway.faults, undefined);
});

test('a bad inject is refused with what was wrong, and gantry dev serves on', async () => {
  const bad = await chaos('inject', 'aws:lambda:invocation-add-delay', '--target', 'nope', '--percent', '150');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /target: .* "nope" is not one of this config's \(echo, writer\)/);
  assert.match(bad.err, /invocationPercentage: expected an integer from 1 to 100, got "150"/);
  const raw = await fetch(`${stack.consoleUrl}/api/chaos/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{not json',
  });
  assert.equal(raw.status, 400);
  assert.deepEqual(await raw.json(), { message: 'expected a JSON object: {"action": …, "target": …}' });
  // What a form on another origin can send: refused, nothing injected.
  const form = await fetch(`${stack.consoleUrl}/api/chaos/faults`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({
      action: 'aws:lambda:invocation-error',
      target: 'echo',
      parameters: { preventExecution: true },
    }),
  });
  assert.equal(form.status, 415);
  assert.equal(stack.chaos.list().filter((f) => f.state === 'active').length, 0);
  await assert.rejects(
    chaos('inject', 'aws:lambda:invocation-add-delay', '--target', 'echo', 'oops'),
    /expected PARAM=VALUE/,
  );
  assert.equal((await stack.get('/echo')).status, 200);
});

test('actions lists FIS names, ranges and defaults', async () => {
  const { out } = await chaos('actions');
  assert.match(out, /aws:lambda:invocation-add-delay {2}\(targets a function; AWS FIS action\)/);
  assert.match(out, /startupDelayMilliseconds: 0 to 900000, default 1000/);
  assert.match(out, /statusCode: 0 to 999, required/);
});
