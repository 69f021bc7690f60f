/**
 * Arrival-rate accuracy of `gantry load`'s open-model executor: constant-arrival-rate at 150/s for
 * 3 s against a bare node:http server in this process, the achieved rate and the median one-second
 * rate against the target. A figure of the machine as much as of the code, which is why it is here
 * and not in a test (tests count iterations; on a shared 2-core VM a rate is noise-bound).
 *
 *   npm run bench arrival-rate
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runLoadTest } from '../src/loadtest/index.ts';
import { median } from './stats.ts';

const RATE = 150;
const SECONDS = 3;

export async function benchArrivalRate() {
  const server = createServer((_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const result = await runLoadTest(
      {
        options: {
          scenarios: {
            steady: {
              executor: 'constant-arrival-rate',
              rate: RATE,
              timeUnit: '1s',
              duration: `${SECONDS}s`,
              preAllocatedVUs: 10,
              maxVUs: 50,
            },
          },
        },
        steps: [{ path: '/ok' }],
      },
      { baseUrl: `http://127.0.0.1:${port}`, workers: 1 },
    );
    const started = result.metrics.iterations.values.count;
    const achieved = started / (result.durationMs / 1000);
    const full = result.timeline.filter((p) => p.seconds >= 0.99).map((p) => p.rps);
    const middle = median(full);
    const figures = {
      targetPerSecond: RATE,
      started,
      dropped: result.scenarios[0].dropped,
      achievedPerSecond: achieved,
      achievedDeviationPercent: (100 * (achieved - RATE)) / RATE,
      medianSecondPerSecond: middle,
      medianDeviationPercent: (100 * (middle - RATE)) / RATE,
    };
    console.log(
      `  constant-arrival-rate ${RATE}/s × ${SECONDS} s: ${started} started, ${figures.dropped} dropped; achieved ${achieved.toFixed(1)}/s (${figures.achievedDeviationPercent.toFixed(1)} %), median second ${middle}/s (${figures.medianDeviationPercent.toFixed(1)} %)`,
    );
    return figures;
  } finally {
    server.close();
  }
}
