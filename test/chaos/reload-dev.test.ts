/**
 * A config reload of a running `gantry dev` and its faults: a function the reload adds can be
 * targeted at once, a fault whose target the new config dropped ends, the others go on.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { resolveConfig } from '../../src/config/index.ts';
import { type ChaosStack, FIXTURE, startChaosStack } from './stack.ts';

let stack: ChaosStack;
before(async () => {
  stack = await startChaosStack();
});
after(async () => {
  await stack?.close();
});

test('after a reload, faults on what it added are accepted and faults on what it dropped end', async () => {
  const kept = stack.chaos.inject({
    action: 'gantry:apigateway:route-add-delay',
    target: 'GET /echo',
    duration: '10m',
  });
  const dropped = stack.chaos.inject({
    action: 'gantry:apigateway:route-connection-reset',
    target: 'GET /other',
    duration: '10m',
  });
  const raw = (await import(FIXTURE)).default as {
    functions: Record<string, unknown>;
    routes: Record<string, unknown>;
  };
  const { 'GET /other': _, ...routes } = raw.routes;
  const next = resolveConfig(
    {
      ...raw,
      functions: { ...raw.functions, echo2: raw.functions.echo },
      routes: { ...routes, 'GET /echo2': 'echo2' },
    },
    FIXTURE,
  );
  await stack.dev.reload(next);

  const fault = stack.chaos.inject({
    action: 'aws:lambda:invocation-http-integration-response',
    target: 'echo2',
    parameters: { statusCode: 418, contentTypeHeader: 'text/plain', preventExecution: true },
  });
  assert.equal((await stack.get('/echo2')).status, 418);
  assert.equal(stack.chaos.get(fault.id)?.hits, 1);
  assert.equal(stack.chaos.get(dropped.id)?.state, 'ended');
  assert.equal(stack.chaos.get(dropped.id)?.endReason, 'stopped');
  assert.equal(stack.chaos.get(kept.id)?.state, 'active');
  stack.chaos.stopAll();
});
