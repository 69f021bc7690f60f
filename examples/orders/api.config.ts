import { defineApi, type ExperimentConfig } from 'gantry';

// Two experiments share this load and fault and differ only in their hypothesis: one holds, one fails.
const tenPercentOfWritesFail = {
  load: {
    rate: 10,
    token: { scopes: ['orders/write'] },
    steps: [
      { method: 'POST', path: '/orders', name: 'POST /orders', body: { customer: 'chaos', item: 'book', quantity: 1 } },
    ],
  },
  steadyState: '5s',
  actions: {
    errors: {
      action: 'aws:lambda:invocation-error',
      target: 'orders',
      percent: 10,
      parameters: { preventExecution: false },
      duration: '15s',
    },
  },
  recovery: '5s',
} satisfies Partial<ExperimentConfig>;

// The seed's orders API, described once: `npm start` runs it locally, `gantry synth` builds it for AWS.
export default defineApi({
  name: 'orders-api',
  description: 'Orders: create, list, read and delete, backed by DynamoDB',
  stage: { name: 'api', throttle: { rateLimit: 500, burstLimit: 1000 }, variables: { tier: 'dev' } },
  cors: {
    allowOrigins: ['https://app.example.com', 'http://localhost:5173'],
    allowMethods: ['GET', 'POST', 'DELETE'],
    allowHeaders: ['content-type', 'authorization'],
    maxAge: 600,
  },
  authorizers: {
    // In AWS, `gantry deploy` creates a Cognito user pool and app client for it; under `gantry dev` the
    // local issuer stands in for the pool: `npx gantry token --scope orders/write` prints a token.
    users: {
      type: 'jwt',
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ordersLocal',
      audience: ['orders-app'],
      cognitoUserPool: true,
    },
  },
  functions: {
    orders: {
      handler: 'src/functions/orders.handler',
      memoryMb: 256,
      timeoutSeconds: 10,
      reservedConcurrency: 50,
      environment: { TABLE_NAME: 'orders', POWERTOOLS_SERVICE_NAME: 'orders' },
      // Exactly what the handler does (get, query the index, put, delete): the role grants this.
      tables: { orders: 'read-write' },
    },
    // Route 53's health checks call it: it checks its region's table replica, and may only describe it.
    health: {
      handler: 'src/functions/health.handler',
      environment: { TABLE_NAME: 'orders', POWERTOOLS_SERVICE_NAME: 'health' },
      tables: { orders: 'describe' },
    },
  },
  routes: {
    'GET /orders': 'orders',
    // Writes need a token with the orders/write scope; reads stay public.
    'POST /orders': { function: 'orders', authorizer: 'users', scopes: ['orders/write'] },
    'GET /orders/{id}': 'orders',
    'DELETE /orders/{id}': { function: 'orders', authorizer: 'users', scopes: ['orders/write'] },
    'GET /health': 'health',
  },
  tables: {
    // GET /orders?customer=ada reads one customer's orders, newest first, through this index.
    orders: { partitionKey: 'id', indexes: { byCustomer: { partitionKey: 'customer', sortKey: 'createdAt' } } },
  },
  alarms: { '5xx': { threshold: 10, periods: 2, periodSeconds: 60 } },
  budget: { monthlyUsd: 20, alerts: [{ percent: 50, on: 'actual' }], email: 'ops@example.com' },
  regions: { primary: 'us-east-1', secondary: 'us-west-2' },
  // Used by `gantry deploy` only (placeholders: put your own hosted zone here).
  domain: { name: 'api.example.com', hostedZoneId: 'Z0123456789EXAMPLE', hostedZoneName: 'example.com' },
  tags: { project: 'orders', owner: 'platform' },
  // `gantry chaos run NAME` runs these against gantry dev; `gantry synth` makes each an AWS FIS
  // experiment template (FIS's Lambda actions only: gantry's gateway fault is listed as not exported).
  chaos: {
    experiments: {
      'orders-latency': {
        description: 'Half of the orders invocations start 400 ms late, then the gateway adds 100 ms on GET /orders',
        hypothesis: { http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<1500'] },
        load: { rate: 10, steps: [{ method: 'GET', path: '/orders', name: 'GET /orders' }] },
        steadyState: '5s',
        actions: {
          slowLambda: {
            action: 'aws:lambda:invocation-add-delay',
            target: 'orders',
            parameters: { startupDelayMilliseconds: 400 },
            percent: 50,
            duration: '15s',
          },
          slowGateway: {
            action: 'gantry:apigateway:route-add-delay',
            target: 'GET /orders',
            parameters: { delayMilliseconds: 100 },
            startAfter: '5s',
            duration: '10s',
          },
        },
        recovery: '5s',
        stopConditions: ['5xx'],
      },
      'orders-errors': {
        description:
          '10 % of POST /orders invocations fail after writing (preventExecution: false); the error budget absorbs it',
        hypothesis: { http_req_failed: ['rate<0.2'] },
        ...tenPercentOfWritesFail,
      },
      'orders-errors-strict': {
        description: 'The same 10 % errors against a 1 % error budget: the hypothesis fails in the injection phase',
        hypothesis: { http_req_failed: ['rate<0.01'] },
        ...tenPercentOfWritesFail,
      },
    },
  },
});
