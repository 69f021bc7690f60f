import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { localAccessKeyId } from '../../src/aws/table-access.ts';
import { type FunctionSpec, functionSpec } from '../../src/config/index.ts';
import { LAMBDA_PATH, LOCAL_CREDENTIALS, lambdaEnvironment } from '../../src/runtime/lambda-env.ts';

function fn(environment: Record<string, string> = {}): FunctionSpec {
  return functionSpec(
    { name: 'shop-api', tables: {} },
    {
      name: 'orders',
      handler: 'src/orders.handler',
      modulePath: '/project/src/orders.ts',
      exportName: 'handler',
      memoryMb: 256,
      timeoutSeconds: 3,
      provisionedConcurrency: 0,
      environment,
      architecture: 'arm64',
      runtime: 'nodejs24.x',
    },
  );
}

const stream = '2026/11/24/[$LATEST]0123456789abcdef0123456789abcdef';
const options = { region: 'eu-west-1', taskRoot: '/project', logStreamName: stream };

describe('lambdaEnvironment', () => {
  test('gives exactly the variables Lambda sets for Node.js 20, plus the function configuration (gantry’s and the config’s)', () => {
    assert.deepEqual(lambdaEnvironment(fn({ TABLE_NAME: 'orders' }), options), {
      LANG: 'en_US.UTF-8',
      PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_SERVICE_NAME: 'shop-api',
      POWERTOOLS_METRICS_NAMESPACE: 'shop-api',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      TABLE_NAME: 'orders',
      _HANDLER: 'index.handler',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      AWS_LAMBDA_FUNCTION_NAME: 'orders',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/orders',
      AWS_LAMBDA_LOG_STREAM_NAME: stream,
      LAMBDA_TASK_ROOT: '/project',
      TZ: ':UTC',
      // One key per function: the store tells who calls by it (table access).
      AWS_ACCESS_KEY_ID: localAccessKeyId('orders'),
      AWS_SECRET_ACCESS_KEY: 'gantry-local-secret-access-key-not-valid-in-aws',
      AWS_SESSION_TOKEN: 'gantry-local-session-token-not-valid-in-aws',
    });
  });

  test('a function may override unreserved variables (LANG, PATH) but never reserved ones', () => {
    const env = lambdaEnvironment(
      fn({
        LANG: 'C.UTF-8',
        PATH: '/opt/tools',
        AWS_REGION: 'mars-1',
        TZ: 'Europe/Paris',
        AWS_SECRET_ACCESS_KEY: 'real',
      }),
      options,
    );
    assert.equal(env.LANG, 'C.UTF-8');
    assert.equal(env.PATH, '/opt/tools');
    assert.equal(env.AWS_REGION, 'eu-west-1');
    assert.equal(env.TZ, ':UTC');
    assert.equal(env.AWS_SECRET_ACCESS_KEY, LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY);
  });

  test('extra variables (local service endpoints) override the function environment', () => {
    const env = lambdaEnvironment(fn({ AWS_ENDPOINT_URL_DYNAMODB: 'https://dynamodb.eu-west-1.amazonaws.com' }), {
      ...options,
      extra: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' },
    });
    assert.equal(env.AWS_ENDPOINT_URL_DYNAMODB, 'http://127.0.0.1:8000');
  });

  test('nothing comes from the host process environment', () => {
    const saved = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = '--max-old-space-size=4096';
    try {
      const env = lambdaEnvironment(fn(), options);
      assert.equal(env.HOME, undefined);
      assert.equal(env.NODE_OPTIONS, '--enable-source-maps');
      assert.equal(env.PATH, LAMBDA_PATH);
      assert.equal(Object.keys(env).length, 22);
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
  });
});
