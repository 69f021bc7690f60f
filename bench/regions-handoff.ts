/**
 * The global endpoint's own cost, without the noise of a whole `gantry dev`: one gateway and the
 * global endpoint handing it requests, in this process, wired as dev-regions.ts wires them, with an
 * invoker that answers at once (no worker thread: the hand-off is all that differs between the two
 * ports). wrk drives the regional port and the global port in alternating rounds; the figure is this
 * process's CPU per request on each. Needs wrk (a load generator in this process would be counted).
 */
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../src/config/index.ts';
import { answerClientError, createGateway } from '../src/gateway/index.ts';
import type { Invoker } from '../src/runtime/types.ts';
import { createGlobalEndpoint, EndpointRouter } from '../src/traffic/index.ts';
import { drive } from './load.ts';
import { median } from './stats.ts';

const FIXTURE = fileURLToPath(new URL('fixture/regions.config.ts', import.meta.url));
const ANSWER = { outcome: { status: 'success', payload: '{"statusCode":200,"body":"hello"}' } } as const;

export interface HandoffCost {
  /** This process's CPU per request, µs (medians of the rounds). */
  regionalUs: number;
  globalUs: number;
  regionalRps: number;
  globalRps: number;
}

export async function measureHandoff(rounds = 6, seconds = 2, connections = 32): Promise<HandoffCost | undefined> {
  const config = resolveConfig(
    {
      name: 'bench-handoff',
      functions: { hello: { handler: 'src/hello.handler' } },
      routes: { 'GET /hello': 'hello' },
      local: { accountThrottle: false },
    },
    FIXTURE,
  );
  const invoker: Invoker = { invoke: async () => ANSWER };
  const gateway = createGateway({ config, invoker, accountThrottle: false });
  const regional = (await gateway.listen(0)).port;
  const router = new EndpointRouter({
    endpoints: [{ id: 'us-east-1', url: `http://127.0.0.1:${regional}` }],
    policy: { type: 'failover' },
  });
  const global = createGlobalEndpoint({
    router,
    inProcess: new Map([['us-east-1', { serve: gateway.adopt }]]),
    onClientError: answerClientError,
  });
  const port = (await global.listen(0)).port;
  const urls = { regional: `http://127.0.0.1:${regional}/hello`, global: `http://127.0.0.1:${port}/hello` };
  const cpu: Record<'regional' | 'global', number[]> = { regional: [], global: [] };
  const rps: Record<'regional' | 'global', number[]> = { regional: [], global: [] };
  try {
    for (const url of Object.values(urls)) await drive(url, 1, connections);
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (['global', 'regional'] as const) : (['regional', 'global'] as const);
      for (const side of order) {
        const before = process.cpuUsage();
        const round = await drive(urls[side], seconds, connections);
        if (round.tool !== 'wrk') return undefined;
        const used = process.cpuUsage(before);
        cpu[side].push((used.user + used.system) / round.requests);
        rps[side].push(round.requestsPerSecond);
      }
    }
  } finally {
    await global.close();
    await gateway.close();
  }
  return {
    regionalUs: median(cpu.regional),
    globalUs: median(cpu.global),
    regionalRps: median(rps.regional),
    globalRps: median(rps.global),
  };
}
