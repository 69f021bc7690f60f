// The store on its own worker thread (src/store/thread): it serves while the gateway's thread is
// blocked, what the gateway's thread decides (faults, access, telemetry) crosses, and no write it
// acknowledged is lost to a SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startDevStore } from '../../src/cli/dev-store.ts';
import { loadConfig, type ResolvedTable } from '../../src/config/index.ts';
import { DataDirInUseError, localClient, StoreThread, type TableRequest } from '../../src/store/index.ts';

const root = join(import.meta.dirname, '..', '..');
const orders: ResolvedTable = {
  tableName: 'orders',
  partitionKey: { name: 'id', type: 'S' },
  indexes: [],
  retain: true,
};

describe('store thread', () => {
  test('answers a PutItem while the gateway thread is blocked (it serves from its own thread)', async () => {
    const thread = new StoreThread();
    const store = await thread.startStore({ tables: [orders] });
    // A client on a third thread: it writes once told to, then raises `done`.
    const flags = new Int32Array(new SharedArrayBuffer(8));
    const client = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
       const [go, done] = [0, 1];
       const client = new DynamoDBClient({ endpoint: workerData.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
       parentPort.postMessage('ready');
       Atomics.wait(workerData.flags, go, 0);
       client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'while-blocked' } } })).then(
         () => { Atomics.store(workerData.flags, done, 1); Atomics.notify(workerData.flags, done); },
         (error) => { Atomics.store(workerData.flags, done, 2); Atomics.notify(workerData.flags, done); });`,
      { eval: true, workerData: { endpoint: store.endpoint, flags } },
    );
    try {
      await once(client, 'message');
      Atomics.store(flags, 0, 1);
      Atomics.notify(flags, 0);
      // This thread now runs nothing until the write is answered: a store on this thread could not answer it.
      const waited = Atomics.wait(flags, 1, 0, 60_000);
      assert.notEqual(waited, 'timed-out', 'the store did not answer while the gateway thread was blocked');
      assert.equal(Atomics.load(flags, 1), 1, 'the PutItem failed');
      const reader = localClient(store.endpoint);
      const got = await reader.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'while-blocked' } } }));
      reader.destroy();
      assert.deepEqual(got.Item, { id: { S: 'while-blocked' } });
    } finally {
      await client.terminate();
      await store.close();
      await thread.terminate();
    }
  });

  test('request units, faults and table access cross between the threads', async () => {
    const thread = new StoreThread();
    const store = await thread.startStore({ tables: [orders] });
    const client = localClient(store.endpoint, 1);
    try {
      // Units cross as a message: this client's answer comes over a socket, in no set order with it.
      const seen = new Promise<TableRequest>((resolve) => {
        store.onRequest = resolve;
      });
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'a' } } }));
      assert.deepEqual(await seen, { tableName: 'orders', operation: 'PutItem', readUnits: 0, writeUnits: 1 });
      // Known names, and no function's answer to read them at: the store's thread rings after a while.
      const later = new Promise<TableRequest>((resolve) => {
        store.onRequest = resolve;
      });
      await client.send(
        new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'b' }, note: { S: 'x'.repeat(1500) } } }),
      );
      assert.deepEqual(await later, { tableName: 'orders', operation: 'PutItem', readUnits: 0, writeUnits: 2 });

      const asked: string[] = [];
      store.faults = {
        request: (tables, operation) => {
          asked.push(`${operation} ${tables.join(',')}`);
          return { delayMs: 0, error: 'ProvisionedThroughputExceededException' };
        },
      };
      await assert.rejects(client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'a' } } })), {
        name: 'ProvisionedThroughputExceededException',
      });
      assert.deepEqual(asked, ['GetItem orders']);
      store.faults = undefined;
      const got = await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'a' } } }));
      assert.deepEqual(got.Item, { id: { S: 'a' } });
      assert.deepEqual(asked, ['GetItem orders'], 'no fault is asked once none is set');

      const [created] = await store.ensureTables([{ ...orders, tableName: 'invoices' }]);
      assert.deepEqual(created, { tableName: 'invoices', action: 'created' });
    } finally {
      client.destroy();
      await store.close();
      await thread.terminate();
    }
  });

  test('a store port in use is refused with the flag that moves it', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const { port } = holder.address() as { port: number };
    try {
      const config = await loadConfig(join(root, 'examples/orders/api.config.ts'));
      await assert.rejects(startDevStore(config, { storePort: port, dataDir: null }), {
        name: 'PortInUseError',
        message: new RegExp(`store port ${port} .*--store-port`),
      });
    } finally {
      holder.close();
    }
  });

  test('a data folder another store holds is refused by name, and the store that holds it keeps serving', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gantry-store-thread-'));
    const first = new StoreThread();
    const second = new StoreThread();
    const holder = await first.startStore({ tables: [orders], dataDir });
    try {
      await assert.rejects(second.startStore({ tables: [orders], dataDir }), (error: Error) => {
        assert.ok(error instanceof DataDirInUseError, `${error.name}: ${error.message}`);
        assert.match(error.message, new RegExp(`${dataDir}.* in use .*--data-dir DIR \\(or --in-memory\\)`));
        return true;
      });
      const client = localClient(holder.endpoint);
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'still-here' } } }));
      client.destroy();
    } finally {
      await holder.close();
      await first.terminate();
      await second.terminate();
    }
  });

  test('every write it acknowledged survives a SIGKILL of the process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gantry-store-thread-'));
    // Writes one item after another, printing each id once acknowledged, until killed.
    const script = `
      import { PutItemCommand } from '@aws-sdk/client-dynamodb';
      import { localClient, StoreThread } from './src/store/index.ts';
      const thread = new StoreThread();
      const store = await thread.startStore({ tables: [${JSON.stringify(orders)}], dataDir: ${JSON.stringify(dataDir)} });
      const client = localClient(store.endpoint);
      for (let i = 0; i < 100000; i++) {
        await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'w' + i } } }));
        process.stdout.write('w' + i + '\\n');
      }
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: string[] = [];
    let errors = '';
    child.stderr.on('data', (d) => (errors += d));
    let partial = '';
    const exited = once(child, 'exit');
    await new Promise<void>((resolve, reject) => {
      child.on('exit', () => reject(new Error(`the writer exited before 30 writes:\n${errors}`)));
      child.stdout.on('data', (d: Buffer) => {
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop()!;
        acknowledged.push(...lines);
        if (acknowledged.length >= 30) resolve();
      });
    });
    child.kill('SIGKILL');
    const [, signal] = await exited;
    assert.equal(signal, 'SIGKILL');

    const thread = new StoreThread();
    const store = await thread.startStore({ tables: [orders], dataDir });
    const client = localClient(store.endpoint);
    try {
      for (const id of acknowledged) {
        const got = await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: id } } }));
        assert.deepEqual(got.Item, { id: { S: id } }, `${id} was acknowledged, then lost`);
      }
    } finally {
      client.destroy();
      await store.close();
      await thread.terminate();
    }
  });
});
