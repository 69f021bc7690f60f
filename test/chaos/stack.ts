/**
 * The chaos tests run `gantry dev` itself (the CLI's composition: real gateway, runtime on worker
 * threads, store, telemetry, console) on free loopback ports, with the fault registry it wires.
 */
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { InvocationReport } from '../../src/runtime/index.ts';
import type { RequestSample } from '../../src/telemetry/index.ts';

export const FIXTURE = fileURLToPath(new URL('./fixtures/chaos-api/api.config.ts', import.meta.url));

export async function startChaosStack() {
  const config = await loadConfig(FIXTURE);
  const reports: InvocationReport[] = [];
  const samples: RequestSample[] = [];
  const dev = await startDevServer(config, {
    port: 0,
    dataDir: null,
    onRequest: (sample) => samples.push(sample),
    observer: { onInvocation: (report) => reports.push(report) },
  });
  const client = new DynamoDBClient({
    endpoint: dev.store.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    dev,
    chaos: dev.chaos,
    url: dev.url,
    consoleUrl: dev.consoleUrl!,
    reports,
    samples,
    async get(path: string) {
      const response = await fetch(`${dev.url}${path}`);
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
    async post(path: string, body: unknown) {
      const response = await fetch(`${dev.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.text() };
    },
    async itemExists(table: string, id: string) {
      const got = await client.send(
        new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }),
      );
      return got.Item !== undefined;
    },
    async close() {
      client.destroy();
      await dev.close();
    },
  };
}

export type ChaosStack = Awaited<ReturnType<typeof startChaosStack>>;
