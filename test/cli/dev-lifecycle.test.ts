// `gantry dev` as a process over its life: banner, serving, config reloads, signals and exit codes.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { root, startDev } from './spawn.ts';

describe('gantry dev over its life', () => {
  test('gantry dev: banner lists routes, serves requests, and SIGTERM stops it cleanly (exit 0)', async () => {
    const dev = await startDev(['--config', 'examples/orders/api.config.ts', '--quiet']);
    try {
      assert.match(dev.output(), /GET \/orders\/\{id\}\s+λ orders/);
      // Local handlers run on this Node, deployed ones on Lambda's runtime: the banner says both.
      assert.ok(
        dev.output().includes(`handlers run on Node ${process.version} here; gantry deploy uses nodejs24.x`),
        dev.output(),
      );
      const health = await fetch(`${dev.url}/health`);
      assert.equal(health.status, 200);
      // The local issuer's discovery document, where the banner says it is.
      const issuer = /^ {2}issuer\s+(http:\/\/\S+)\s+\(users: iss (\S+)\)$/m.exec(dev.output());
      assert.ok(issuer, dev.output());
      const discovery = (await (await fetch(issuer[1])).json()) as { issuer: string; jwks_uri: string };
      assert.equal(discovery.issuer, 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ordersLocal');
      assert.equal(discovery.issuer, issuer[2]);
      assert.equal((await fetch(discovery.jwks_uri)).status, 200);
    } finally {
      dev.child.kill('SIGTERM');
      const [code] = await once(dev.child, 'exit');
      assert.equal(code, 0, dev.output());
      assert.match(dev.output(), /gantry dev stopped/);
    }
  });

  test('a TypeScript config importing gantry loads and reloads in a project that is not "type": "module"', async () => {
    // Most existing Node projects are CommonJS packages (no "type" in package.json): there a .ts file
    // is CommonJS to Node, and both its load and its reload must still work.
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cli-'));
    writeFileSync(join(dir, 'package.json'), '{ "name": "cjs-project", "private": true }\n');
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'gantry'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(
      join(dir, 'src', 'hello.ts'),
      "import type { APIGatewayProxyEventV2 } from 'aws-lambda';\nexport const handler = async (event: APIGatewayProxyEventV2) => ({ statusCode: 200, body: event.routeKey });\n",
    );
    const file = join(dir, 'api.config.ts');
    const configWith = (routes: string) =>
      `import { defineApi } from 'gantry';\nexport default defineApi({ name: 'cjs', functions: { hello: { handler: 'src/hello.handler' } }, routes: { ${routes} } });\n`;
    writeFileSync(file, configWith("'GET /a': 'hello'"));
    const dev = await startDev(['--config', file, '--no-console']);
    try {
      assert.equal(await (await fetch(`${dev.url}/a`)).text(), 'GET /a');
      assert.equal((await fetch(`${dev.url}/b`)).status, 404);
      writeFileSync(file, configWith("'GET /a': 'hello', 'GET /b': 'hello'"));
      for (let i = 0; i < 300 && !/api\.config\.ts reloaded/.test(dev.output()); i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.match(dev.output(), /api\.config\.ts reloaded/);
      assert.equal(await (await fetch(`${dev.url}/b`)).text(), 'GET /b', 'the edited config is the one served');
    } finally {
      dev.child.kill('SIGKILL');
      await once(dev.child, 'exit');
    }
  });

  test('an edited api.config.ts is applied without a restart; a broken edit is reported and the old config serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cli-'));
    const file = join(dir, 'api.config.mjs');
    // `?until=FILE` holds the invocation until FILE exists: a request in flight across a reload, without timing.
    const handler = `import { existsSync } from 'node:fs';
export const handler = async (event) => {
  const until = event.queryStringParameters?.until;
  while (until && !existsSync(until)) await new Promise((r) => setTimeout(r, 20));
  return { statusCode: 200, body: event.routeKey };
};\n`;
    writeFileSync(join(dir, 'h.mjs'), handler);
    const configWith = (functions: string, routes: string, tables: string) =>
      `export default { name: 'edited', functions: { a: { handler: 'h.handler', timeoutSeconds: 120 }, ${functions} }, routes: { ${routes} }, tables: { ${tables} } };\n`;
    writeFileSync(file, configWith('', "'GET /a': 'a'", "items: { partitionKey: 'id' }"));
    const dev = await startDev(['--config', file, '--no-console']);
    const reloads = () => dev.output().split('api.config.mjs reloaded').length - 1;
    const rejections = () => dev.output().split('api.config.mjs not applied').length - 1;
    const until = async (what: string, done: () => boolean) => {
      for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(done(), `${what}:\n${dev.output()}`);
    };
    const storeUrl = /^ {2}store\s+(http:\/\/\S+)/m.exec(dev.output())?.[1];
    const db = new DynamoDBClient({
      endpoint: storeUrl ?? 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const release = join(dir, 'release');
    let inFlight: Promise<string> | undefined;
    try {
      // Inside the try: a failed assertion must still stop the child, or the test would wait for it.
      assert.ok(storeUrl, dev.output());
      assert.match(dev.output(), /tables: items \(created\)\n/, 'the banner says the table was created');
      assert.equal(await (await fetch(`${dev.url}/a`)).text(), 'GET /a');
      assert.equal((await fetch(`${dev.url}/b`)).status, 404);
      await db.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'kept' } } }));
      inFlight = fetch(`${dev.url}/a?until=${encodeURIComponent(release)}`).then(async (r) => r.text());
      await until('the held request runs', () => /\[a\] START/.test(dev.output()));

      const edited = configWith(
        '',
        "'GET /a': 'a', 'GET /b': 'a'",
        "items: { partitionKey: 'id' }, more: { partitionKey: 'k' }",
      );
      writeFileSync(file, edited);
      await until('the first edit is applied', () => reloads() === 1);
      assert.equal(await (await fetch(`${dev.url}/b`)).text(), 'GET /b', 'the new route answers on the same port');
      // "created" is what this run did: items at start, more at the reload.
      assert.match(dev.output(), /tables: items \(created\), more \(created\)/);
      // The store is kept across the reload: in-memory items survive it.
      const kept = await db.send(new GetItemCommand({ TableName: 'items', Key: { id: { S: 'kept' } } }));
      assert.deepEqual(kept.Item, { id: { S: 'kept' } });

      writeFileSync(file, configWith('', "'GET /a': 'a', 'GET /b': 'missing'", "items: { partitionKey: 'id' }"));
      await until('the broken edit is reported', () => rejections() === 1);
      assert.match(
        dev.output(),
        /✗ api\.config\.mjs not applied, still serving the previous config\napi\.config\.mjs: routes\["GET \/b"\]: unknown function "missing" \(known: a\)/,
      );
      assert.equal(reloads(), 1);
      assert.equal(await (await fetch(`${dev.url}/b`)).text(), 'GET /b', 'the previous config still serves');

      // Rejected for a file the config names: once that file exists, saving the same config applies it.
      const needsC = configWith(
        "c: { handler: 'c.handler' }",
        "'GET /a': 'a', 'GET /b': 'a', 'GET /c': 'c'",
        "items: { partitionKey: 'id' }",
      );
      writeFileSync(file, needsC);
      await until('the edit naming a missing module is reported', () => rejections() === 2);
      writeFileSync(join(dir, 'c.mjs'), handler);
      writeFileSync(file, needsC);
      await until('the same bytes, saved again, are applied', () => reloads() === 2);
      assert.equal(await (await fetch(`${dev.url}/c`)).text(), 'GET /c');
    } catch (error) {
      dev.child.kill('SIGKILL');
      throw error;
    } finally {
      db.destroy();
    }
    dev.child.kill('SIGTERM');
    // Shutting down refuses new connections at once, while the request held since before the first
    // reload (on the first config's server, still draining) is let finish.
    try {
      await until('the shutdown begins', () => /SIGTERM: finishing in-flight requests/.test(dev.output()));
      await assert.rejects(fetch(`${dev.url}/a`), TypeError, 'a new connection is refused during shutdown');
    } finally {
      writeFileSync(release, ''); // whatever failed, the child can finish and exit
    }
    assert.equal(await inFlight, 'GET /a');
    const [code] = await once(dev.child, 'exit');
    assert.equal(code, 0, dev.output());
  });

  test('SIGINT during a slow request lets it finish before exiting', async () => {
    const dev = await startDev(['--config', 'test/fixtures/conformance/api.config.ts']);
    const slow = fetch(`${dev.url}/sleep?ms=800`).then(async (r) => ({
      status: r.status,
      text: await r.text(),
    }));
    // Signal only once the function is running, so the request is truly in flight.
    for (let i = 0; i < 300 && !/\[sleepy\] START/.test(dev.output()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(dev.output(), /\[sleepy\] START/);
    dev.child.kill('SIGINT');
    const answer = await slow;
    const [code] = await once(dev.child, 'exit');
    assert.equal(answer.status, 200, dev.output());
    assert.equal(answer.text, 'woke up');
    assert.equal(code, 0);
  });
});
