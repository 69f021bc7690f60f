// The seed's k6 validation of the orders API, as a gantry scenario: 50 virtual users for 30 s, each
// creating an order then thinking for a second; p95 under 200 ms and under 1 % errors, with checks on
// the status and the duration of every response.
//
//   gantry dev --config examples/orders/api.config.ts &
//   gantry load examples/orders/load/seed.ts --config examples/orders/api.config.ts --scale-report
//   gantry load examples/orders/load/seed.ts --config examples/orders/api.config.ts --k6 > k6.js   # the same test for k6 itself
//
// POST /orders needs a JWT with the orders/write scope. The scenario mints one from gantry dev's local
// issuer when it loads (what `gantry token --scope orders/write` prints), or takes $TOKEN when set
// (a token of the real Cognito user pool, to run the same test against the deployed API).
import { localToken } from 'gantry';

const token =
  process.env.TOKEN ??
  (await localToken({ config: new URL('../api.config.ts', import.meta.url), scopes: ['orders/write'] }));

export const options = {
  vus: 50,
  duration: '30s',
  thresholds: {
    http_req_duration: ['p(95)<200'],
    http_req_failed: ['rate<0.01'],
  },
};

export default {
  steps: [
    {
      method: 'POST',
      path: '/orders',
      name: 'POST /orders',
      headers: { authorization: `Bearer ${token}` },
      body: { customer: 'vu-{{vu}}', item: 'book', quantity: 1 },
      checks: {
        'status is 201': { status: 201 },
        'duration < 200ms': { maxDuration: 200 },
      },
    },
    { sleep: 1 },
  ],
};
