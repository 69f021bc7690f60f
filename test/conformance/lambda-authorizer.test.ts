/**
 * Lambda authorizers through real HTTP against `gantry dev`: the authorizer functions run in their own
 * execution environments; simple and IAM answers, 401 without invoking on a missing identity source,
 * 403 on a deny, 500 on a throw, a timeout or garbage, the result cache and the context in the event.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { InvocationReport } from '../../src/runtime/types.ts';
import { AUTHORIZERS_CONFIG, call } from './harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: events are asserted field by field
type Event = Record<string, any>;

describe('Lambda authorizer conformance', () => {
  let dev: DevServer;
  const reports: InvocationReport[] = [];
  const invocationsOf = (name: string) => reports.filter((r) => r.functionName === name).length;
  const get = (path: string, authorization?: string, method = 'GET') =>
    call(`${dev.url}${path}`, { method, headers: authorization === undefined ? {} : { authorization } });
  const eventOf = async (path: string, authorization: string): Promise<Event> => {
    const answer = await get(path, authorization);
    assert.equal(answer.status, 200, answer.text);
    return answer.json<{ event: Event }>().event;
  };

  before(async () => {
    dev = await startDevServer(await loadConfig(AUTHORIZERS_CONFIG), {
      port: 0,
      storePort: 0,
      dataDir: null,
      watch: false,
      observer: { onInvocation: (r) => reports.push(r) },
    });
  });
  after(() => dev?.close());

  it('allows with a simple response and passes its context to the integration', async () => {
    const event = await eventOf('/lambda/simple', 'allow-1');
    assert.equal(event.requestContext.authorizer.lambda.user, 'ada');
    assert.equal(event.requestContext.authorizer.lambda.token, 'allow-1');
    assert.equal(event.requestContext.authorizer.lambda.eventType, 'REQUEST');
    assert.match(
      event.requestContext.authorizer.lambda.routeArn,
      /^arn:aws:execute-api:us-east-1:\d{12}:[a-z0-9]{10}\/\$default\/GET\/lambda\/simple$/,
    );
  });

  it('denies with 403 when the answer says so, and the integration does not run', async () => {
    const answer = await get('/lambda/simple', 'deny');
    assert.equal(answer.status, 403);
    assert.equal(answer.text, '{"message":"Forbidden"}');
  });

  it('answers 401 without invoking the authorizer when an identity source is missing', async () => {
    const before = invocationsOf('authorize');
    for (const [path, authorization] of [
      ['/lambda/simple', undefined],
      ['/lambda/simple', ''],
      ['/lambda/two', 'allow'],
    ] as const) {
      const answer = await get(path, authorization);
      assert.equal(answer.status, 401, path);
      assert.equal(answer.text, '{"message":"Unauthorized"}');
    }
    assert.equal(invocationsOf('authorize'), before);
    const both = await call(`${dev.url}/lambda/two?tenant=acme`, { headers: { authorization: 'allow' } });
    assert.equal(both.status, 200, both.text);
  });

  it('answers 500 when the authorizer throws, times out or answers garbage', async () => {
    for (const [path, token] of [
      ['/lambda/simple', 'throw'],
      ['/lambda/simple', 'garbage'],
      ['/lambda/slow', 'anything'],
    ]) {
      const answer = await get(path, token);
      assert.equal(answer.status, 500, `${path} ${token}`);
      assert.equal(answer.text, '{"message":"Internal Server Error"}');
    }
  });

  it('evaluates IAM policies on the route ARN, wildcards and explicit denies included', async () => {
    assert.equal((await get('/lambda/policy/1', 'allow-all')).status, 200);
    assert.equal((await get('/lambda/policy/1', 'allow-all', 'DELETE')).status, 200);
    assert.equal((await get('/lambda/policy/1', 'allow-get')).status, 200);
    assert.equal((await get('/lambda/policy/1', 'allow-get', 'DELETE')).status, 403);
    assert.equal((await get('/lambda/policy/1', 'deny-explicit')).status, 403);
    assert.equal((await get('/lambda/policy/1', 'allow-other')).status, 403);
    assert.equal((await get('/lambda/policy/1', 'nothing')).status, 403);
    const event = await eventOf('/lambda/policy/7', 'allow-all');
    assert.deepEqual(event.requestContext.authorizer, { lambda: { tier: 'gold', version: '2.0' } });
  });

  it('sends a 1.0 authorizer event and gives its context to a 1.0 integration', async () => {
    const event = await eventOf('/lambda/v1', 'allow-all');
    assert.equal(event.version, '1.0');
    assert.deepEqual(event.requestContext.authorizer, { tier: 'gold', version: '1.0', principalId: 'user-ada' });
  });

  it('serves a cached answer within resultTtlSeconds, to every route of the authorizer, and asks again after it', async () => {
    const token = `allow-cache-${Date.now()}`;
    const first = await eventOf('/lambda/cached', token);
    const calls = first.requestContext.authorizer.lambda.calls;
    const invoked = invocationsOf('authorize');
    const second = await eventOf('/lambda/cached/other', token);
    assert.equal(second.requestContext.authorizer.lambda.calls, calls, 'the cached context');
    assert.equal(invocationsOf('authorize'), invoked, 'no invocation within the TTL');
    await sleep(1100);
    const third = await eventOf('/lambda/cached', token);
    assert.equal(invocationsOf('authorize'), invoked + 1, 'invoked again after the TTL');
    assert.notEqual(third.requestContext.authorizer.lambda.calls, calls);
  });
});
