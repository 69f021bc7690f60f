// Every AWS call of a handler reaches the local store or fails at once: SDK v2, SDK v3 with a public
// endpoint, raw HTTPS and fetch, with no endpoint in the code; SQS and S3 are refused, never sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { awsServiceOf } from '../../src/runtime/worker/aws-endpoints.ts';
import { type Store, startStore } from '../../src/store/index.ts';
import { configFor, recorder, tempBuildDir } from './helpers.ts';

const build = tempBuildDir();
const rec = recorder();
const handlers: Record<string, string> = {
  v2DocumentClient: 'aws-sdk-v2',
  sqsV2: 'aws-sdk-v2',
  v3PublicEndpoint: 'aws-sdk-v3',
  sqsV3: 'aws-sdk-v3',
  rawHttps: 'aws-raw',
  rawFetch: 'aws-raw',
  s3Fetch: 'aws-raw',
};
const config = configFor(
  Object.fromEntries(Object.entries(handlers).map(([name, file]) => [name, { handler: `handlers/${file}.${name}` }])),
  { tables: { notes: { partitionKey: 'id' } } },
);
let runtime: Runtime;
let store: Store;

function success(result: InvokeResult): unknown {
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  return JSON.parse((result.outcome as { payload: string }).payload);
}

before(async () => {
  store = await startStore({ tables: Object.values(config.tables) });
  runtime = createRuntime(config, {
    observer: rec.observer,
    buildDir: build.dir,
    environment: { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint },
  });
  await runtime.start();
});

after(async () => {
  await runtime.stop();
  await store.close();
  build.remove();
});

describe('DynamoDB calls reach the embedded store whatever client makes them', () => {
  test('aws-sdk v2 DocumentClient with no endpoint writes and reads the local table', async () => {
    const item = success(await runtime.invoke('v2DocumentClient', JSON.stringify({ id: 'n1', text: 'from v2' })));
    assert.deepEqual(item, { id: 'n1', text: 'from v2' });
  });

  test('SDK v3 with the public endpoint in its code reads and writes the local table', async () => {
    assert.equal(success(await runtime.invoke('v3PublicEndpoint', '{"id":"n1"}')), 'from v2');
    assert.deepEqual(success(await runtime.invoke('v2DocumentClient', '{"id":"n1-v3","text":"again"}')), {
      id: 'n1-v3',
      text: 'again',
    });
  });

  test('raw https.request and fetch to dynamodb.us-east-1.amazonaws.com reach the store', async () => {
    const expected = { status: 200, body: { Item: { id: { S: 'n1' }, text: { S: 'from v2' } } } };
    assert.deepEqual(success(await runtime.invoke('rawHttps', '{"id":"n1"}')), expected);
    assert.deepEqual(success(await runtime.invoke('rawFetch', '{"id":"n1"}')), expected);
  });
});

describe('a service gantry does not emulate is refused at once, never sent', () => {
  const message =
    /^SQS \(sqs\.us-east-1\.amazonaws\.com\) is not emulated by gantry dev, which runs DynamoDB only: the call was not sent\. Point the client at a local SQS with AWS_ENDPOINT_URL_SQS/;

  test('SDK v3 SQS: ServiceNotEmulated on its first attempt, no retry', async () => {
    const answer = success(await runtime.invoke('sqsV3', '{}')) as Record<string, unknown>;
    assert.equal(answer.name, 'ServiceNotEmulated');
    assert.match(String(answer.message), message);
    assert.equal(answer.retries, 0);
    assert.equal(answer.status, 400);
  });

  test('SDK v2 SQS (XML protocol): the same error, no retry', async () => {
    const answer = success(await runtime.invoke('sqsV2', '{}')) as Record<string, unknown>;
    assert.equal(answer.code, 'ServiceNotEmulated');
    assert.match(String(answer.message), message);
    assert.equal(answer.retries, 0);
  });

  test('fetch to S3: a 400 naming S3; the function log says it once per service', async () => {
    const answer = success(await runtime.invoke('s3Fetch', '{}')) as { status: number; body: string };
    assert.equal(answer.status, 400);
    assert.match(
      answer.body,
      /<Code>ServiceNotEmulated<\/Code><Message>S3 \(my-bucket\.s3\.us-east-1\.amazonaws\.com\)/,
    );
    const notices = rec.logs.filter((e) => e.message.startsWith('gantry: S3 (my-bucket'));
    assert.equal(notices.length, 1);
  });
});

test('service names from AWS hosts', () => {
  const cases: [string, string | undefined][] = [
    ['dynamodb.us-east-1.amazonaws.com', 'dynamodb'],
    ['123456789012.ddb.eu-west-1.amazonaws.com', 'dynamodb'],
    ['dynamodb-fips.us-gov-west-1.amazonaws.com', 'dynamodb'],
    ['dynamodb.us-east-1.api.aws', 'dynamodb'],
    ['streams.dynamodb.us-east-1.amazonaws.com', 'dynamodb-streams'],
    ['sqs.us-east-1.amazonaws.com', 'sqs'],
    ['bucket.s3.us-east-1.amazonaws.com', 's3'],
    ['s3.amazonaws.com', 's3'],
    ['sts.amazonaws.com', 'sts'],
    ['dynamodb.cn-north-1.amazonaws.com.cn', 'dynamodb'],
    ['example.com', undefined],
    ['amazonaws.com.example.org', undefined],
  ];
  for (const [host, service] of cases) assert.equal(awsServiceOf(host), service, host);
});
