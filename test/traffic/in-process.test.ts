/**
 * The global endpoint handing requests to gateways of its own process (two-region `gantry dev`):
 * the real gateway on loopback, the real router and health checks, the global endpoint wired as
 * dev-regions.ts wires it. The invoker is the gateway tests' seam to Lambda, so the test holds an
 * invocation in flight and reads the event a handler would get.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { answerClientError } from '../../src/gateway/index.ts';
import {
  createGlobalEndpoint,
  EndpointRouter,
  type GlobalEndpoint,
  type GlobalEndpointOptions,
} from '../../src/traffic/index.ts';
import {
  configOf,
  type InvokeCall,
  type RunningGateway,
  sendRaw,
  startGateway,
  success,
  TestInvoker,
} from '../gateway/helpers.ts';

const ROUTE53_AGENT = /^Amazon Route 53 Health Check Service/;

interface Answer {
  status?: number;
  body?: string;
  error?: string;
}

function call(port: number, path: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end();
  });
}

/** The event of the last invocation that was not a health probe. */
function lastEvent(invoker: TestInvoker): InvokeCall['event'] {
  const calls = invoker.calls.filter(
    (c) => !ROUTE53_AGENT.test(String((c.event.headers as Record<string, string>)['user-agent'])),
  );
  return calls.at(-1)!.event;
}

describe('the global endpoint with in-process regional gateways', () => {
  const regions = ['us-east-1', 'us-west-2'];
  const gateways: RunningGateway[] = [];
  let router: EndpointRouter;
  let global: GlobalEndpoint;
  let port: number;

  before(async () => {
    const config = configOf({
      stage: { name: 'dev' },
      routes: { 'GET /whoami': 'hello', 'GET /health': 'hello' },
      regions: { primary: 'us-east-1', secondary: 'us-west-2' },
    });
    for (const region of regions) {
      gateways.push(await startGateway(config, new TestInvoker(), { region }));
    }
    router = new EndpointRouter({
      endpoints: regions.map((id, i) => ({ id, url: `http://127.0.0.1:${gateways[i].port}` })),
      policy: { type: 'failover' },
      // One probe per endpoint, then none for a minute: the outage below is not detected, so
      // requests keep going to the region that is down, as in the seconds before a failover.
      healthCheck: { path: '/dev/health', intervalMs: 60_000, timeoutMs: 5_000, failureThreshold: 3 },
    });
    global = createGlobalEndpoint({
      router,
      inProcess: new Map(regions.map((id, i) => [id, { serve: gateways[i].gateway.adopt }])),
      onClientError: answerClientError,
    });
    port = (await global.listen(0)).port;
    const probed = Promise.all(
      regions.map(
        (id) =>
          new Promise<void>((resolve) => {
            const off = router.checker!.onProbe((probe) => {
              if (probe.endpoint !== id) return;
              off();
              resolve();
            });
          }),
      ),
    );
    router.start();
    await probed;
  });
  after(async () => {
    await router.stop();
    await global.close();
    for (const gw of gateways) await gw.close();
  });

  test('health checks probe each region over HTTP, on its own port', () => {
    for (const [i, id] of regions.entries()) {
      const status = router.checker!.status().find((s) => s.endpoint === id)!;
      assert.deepEqual([status.probes, status.last?.status], [1, 200]);
      const probe = gateways[i].invoker.calls.find((c) =>
        ROUTE53_AGENT.test(String((c.event.headers as Record<string, string>)['user-agent'])),
      );
      assert.equal((probe!.event.headers as Record<string, string>)['x-forwarded-port'], `${gateways[i].port}`);
    }
  });

  test('a handler gets the event of a direct regional call; x-forwarded-port is the port the client used', async () => {
    const viaGlobal = await call(port, '/dev/whoami?a=1');
    assert.equal(viaGlobal.status, 200);
    const east = gateways[0];
    const global = lastEvent(east.invoker);
    assert.equal(
      JSON.parse(viaGlobal.body!).requestContext.requestId,
      (global.requestContext as { requestId: string }).requestId,
    );
    const direct = await call(east.port, '/dev/whoami?a=1');
    assert.equal(direct.status, 200);
    const regional = lastEvent(east.invoker);

    const varying = (event: InvokeCall['event']) => {
      const headers = event.headers as Record<string, string>;
      const context = event.requestContext as Record<string, unknown>;
      return {
        ...event,
        headers: { ...headers, host: '-', 'x-forwarded-port': '-', 'x-amzn-trace-id': '-' },
        requestContext: { ...context, requestId: '-', time: '-', timeEpoch: 0 },
      };
    };
    assert.deepEqual(varying(global), varying(regional));
    const headersOf = (event: InvokeCall['event']) => event.headers as Record<string, string>;
    assert.deepEqual([headersOf(global).host, headersOf(global)['x-forwarded-port']], [`127.0.0.1:${port}`, `${port}`]);
    assert.deepEqual(
      [headersOf(regional).host, headersOf(regional)['x-forwarded-port']],
      [`127.0.0.1:${east.port}`, `${east.port}`],
    );
    assert.equal(
      (global.requestContext as { domainName: string }).domainName,
      (regional.requestContext as { domainName: string }).domainName,
    );
    assert.equal(gateways[1].invoker.calls.length, 1, 'us-west-2 saw only its health probe');
    assert.equal(router.snapshot().endpoints[0].answered, 1);
  });

  test("malformed HTTP gets API Gateway's answer, as from the regional endpoint", async () => {
    for (const target of [port, gateways[0].port]) {
      const raw = await sendRaw(target, 'THIS IS NOT HTTP\r\n\r\n');
      assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.ok(raw.endsWith('\r\n\r\n{"message":"Bad Request"}'), raw);
    }
  });

  test('a region that goes down cuts requests in flight and resets new ones, as a dead region would', async () => {
    const east = gateways[0];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    east.invoker.respond = async (c) => {
      arrived();
      await held;
      return success({ statusCode: 200, body: c.eventText });
    };
    try {
      const inFlight = call(port, '/dev/whoami');
      await arrival;
      await east.gateway.suspend();
      const cut = await inFlight;
      assert.ok(cut.error, `the request in flight was answered: ${JSON.stringify(cut)}`);

      const failuresBefore = global.failures;
      const refused = await call(port, '/dev/whoami');
      assert.ok(refused.error, `a request to the region that is down was answered: ${JSON.stringify(refused)}`);
      assert.equal(global.failures, failuresBefore + 1);
      await assert.rejects(fetch(`http://127.0.0.1:${east.port}/dev/whoami`), /fetch failed/);
    } finally {
      release();
      east.invoker.respond = (c) => success({ statusCode: 200, body: c.eventText });
    }
    await east.gateway.resume();
    const again = await call(port, '/dev/whoami');
    assert.equal(again.status, 200);
    assert.equal(router.serving().serving[0], 'us-east-1');
  });
});

/** One regional gateway behind a global endpoint that hands it its requests, as dev-regions.ts wires them. */
async function oneRegion(
  config: ReturnType<typeof configOf>,
  invoker: TestInvoker,
  options: Partial<GlobalEndpointOptions> = {},
): Promise<{ east: RunningGateway; global: GlobalEndpoint; port: number }> {
  const east = await startGateway(config, invoker, { region: 'us-east-1' });
  const router = new EndpointRouter({
    endpoints: [{ id: 'us-east-1', url: `http://127.0.0.1:${east.port}` }],
    policy: { type: 'failover' },
  });
  const global = createGlobalEndpoint({
    router,
    inProcess: new Map([['us-east-1', { serve: east.gateway.adopt }]]),
    ...options,
  });
  const { port } = await global.listen(0);
  return { east, global, port };
}

describe('the global endpoint stopping', () => {
  test('answers the request in flight, refuses new connections, then closes', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const invoker = new TestInvoker(async (c) => {
      arrived();
      await held;
      return success({ statusCode: 200, body: c.eventText });
    });
    const { east, global, port } = await oneRegion(configOf({ routes: { 'GET /slow': 'hello' } }), invoker);
    try {
      const inFlight = call(port, '/slow');
      await arrival;
      global.stopAccepting();
      east.gateway.stopListening();
      const closed = global.close();
      const refused = await call(port, '/slow');
      assert.equal(refused.error, 'ECONNREFUSED');
      release();
      const answered = await inFlight;
      assert.equal(answered.status, 200);
      await closed;
      assert.equal(invoker.calls.length, 1);
    } finally {
      release();
      await global.close();
      await east.close();
    }
  });
});

describe("the global endpoint's clocks", () => {
  test("an idle keep-alive connection is closed on the clock it is given (the regional gateway's in gantry dev)", async () => {
    const { east, global, port } = await oneRegion(configOf({ routes: { 'GET /hello': 'hello' } }), new TestInvoker(), {
      // Short, so the test sees it; Node's default (and the option's) keeps it 30 s.
      timeouts: { keepAliveTimeoutMs: 150, headersTimeoutMs: 20_000, requestTimeoutMs: 60_000 },
    });
    const socket = connect(port, '127.0.0.1');
    try {
      let received = '';
      socket.on('data', (d: Buffer) => (received += d));
      const closedByServer = new Promise<void>((resolve) => socket.on('end', () => resolve()));
      socket.write('GET /hello HTTP/1.1\r\nhost: api.example.com\r\n\r\n');
      // The server ends an idle connection once its keep-alive clock runs out; the client never does here.
      await closedByServer;
      assert.match(received, /^HTTP\/1\.1 200 /);
      assert.match(received, /keep-alive: timeout=0\b|keep-alive: timeout=1\b/i);
    } finally {
      socket.destroy();
      await global.close();
      await east.close();
    }
  });
});
