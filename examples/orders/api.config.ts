import { defineApi } from 'gantry';

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
    },
    health: { handler: 'src/functions/health.handler', environment: { POWERTOOLS_SERVICE_NAME: 'health' } },
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
});
