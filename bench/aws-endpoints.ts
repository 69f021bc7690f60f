/**
 * What routing AWS endpoints (src/runtime/worker/aws-endpoints.ts) costs an execution environment:
 * once at init (three functions replaced), and per outbound request to a host that is not AWS's (one
 * check before the original `http.request`). An invocation runs none of its code, so its per-invocation
 * cost is nil by construction; these figures are the two places it does run. Measured in a worker,
 * as the runtime installs it, alternating rounds against the original `http.request`.
 */
import { Worker } from 'node:worker_threads';
import { median } from './stats.ts';

const WORKER = `
import http from 'node:http';
import { parentPort } from 'node:worker_threads';
const { routeAwsEndpoints } = await import(process.env.MODULE);
const original = http.request;
const opts = { hostname: '127.0.0.1', port: 9, path: '/', agent: false };
function round(request, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) request(opts).on('error', () => {}).destroy();
  return Number(process.hrtime.bigint() - start) / n;
}
const t0 = process.hrtime.bigint();
routeAwsEndpoints();
const installUs = Number(process.hrtime.bigint() - t0) / 1000;
const routed = http.request;
const rounds = { original: [], routed: [] };
round(original, 2000); round(routed, 2000);
for (let r = 0; r < 5; r++) { rounds.original.push(round(original, 5000)); rounds.routed.push(round(routed, 5000)); }
parentPort.postMessage({ installUs, rounds });
`;

export async function benchAwsEndpoints() {
  const shim = new URL('../src/runtime/worker/aws-endpoints.ts', import.meta.url).href;
  const worker = new Worker(
    `import { register } from 'tsx/esm/api'; register(); const w = await import('data:text/javascript,' + encodeURIComponent(${JSON.stringify(WORKER)})); `,
    { eval: true, env: { ...process.env, MODULE: shim } },
  );
  const result = await new Promise<{ installUs: number; rounds: { original: number[]; routed: number[] } }>(
    (resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    },
  );
  await worker.terminate();
  const original = median(result.rounds.original);
  const routed = median(result.rounds.routed);
  console.log(`  install at init: ${result.installUs.toFixed(0)} µs once per execution environment`);
  console.log(
    `  http.request to a non-AWS host: ${(original / 1000).toFixed(2)} µs original, ${(routed / 1000).toFixed(2)} µs routed (+${((routed - original) / 1000).toFixed(2)} µs; rounds ${result.rounds.routed.map((n) => (n / 1000).toFixed(2)).join(', ')})`,
  );
  console.log('  per invocation: no code of it runs (nothing on the invoke path)');
  return { installUs: result.installUs, originalNsPerRequest: original, routedNsPerRequest: routed, ...result.rounds };
}
