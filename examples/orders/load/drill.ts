// The failover drill's default load (`gantry drill failover --config examples/orders/api.config.ts`):
// orders created at a steady 20 per second through the global endpoint. It lasts longer than any
// drill; the drill stops it once the region is back and replication has caught up.
//
// POST /orders needs a JWT with the orders/write scope: minted from gantry dev's local issuer, as
// seed.ts does (or $TOKEN).
import { localToken } from 'gantry';

const token =
  process.env.TOKEN ??
  (await localToken({ config: new URL('../api.config.ts', import.meta.url), scopes: ['orders/write'] }));

export const options = {
  scenarios: {
    writes: {
      executor: 'constant-arrival-rate',
      rate: 20,
      timeUnit: '1s',
      duration: '10m',
      preAllocatedVUs: 10,
      maxVUs: 50,
    },
  },
};

export default {
  steps: [
    {
      method: 'POST',
      path: '/orders',
      name: 'create',
      headers: { authorization: `Bearer ${token}` },
      body: { customer: 'drill-{{vu}}', item: 'pen', quantity: 1 },
      checks: { 'status is 201': { status: 201 } },
    },
  ],
};
