// The gantry binary as a user runs it: a separate process, flags, banner, signals, exit codes.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

const root = fileURLToPath(new URL('../..', import.meta.url));
const env = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

function gantry(args: string[], input?: string) {
  return spawnSync(process.execPath, ['bin/gantry.mjs', ...args], {
    cwd: root,
    env,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** Starts `gantry dev` and resolves once its banner shows the API URL. */
async function startDev(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['bin/gantry.mjs', 'dev', '--port', '0', '--in-memory', ...args], {
    cwd: root,
    env,
  });
  let text = '';
  child.stdout?.on('data', (d) => {
    text += d;
  });
  child.stderr?.on('data', (d) => {
    text += d;
  });
  for (let i = 0; i < 600; i++) {
    const match = /^ {2}API\s+(http:\/\/\S+)/m.exec(text);
    if (match) return { child, url: match[1], output: () => text };
    if (child.exitCode !== null) throw new Error(`gantry dev exited ${child.exitCode}:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`no banner within 60 s:\n${text}`);
}

describe('gantry CLI', () => {
  test('--help lists the commands; an unknown command exits 2 naming the known ones', () => {
    const help = gantry(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^ {2}dev {4}/m);
    assert.match(help.stdout, /^ {2}invoke/m);
    const unknown = gantry(['deploy-everything']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "deploy-everything" \(known: dev, invoke/);
  });

  test('an invalid config exits 1 with field-named errors and no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cli-'));
    writeFileSync(join(dir, 'h.mjs'), 'export const handler = async () => 1;\n');
    writeFileSync(
      join(dir, 'api.config.mjs'),
      "export default { name: 'bad', functions: { a: { handler: 'h.handler', memoryMb: 64 } }, routes: { 'GET /x': 'b' } };\n",
    );
    const result = gantry(['dev', '--config', join(dir, 'api.config.mjs')]);
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr.trim(),
      ['gantry dev: invalid config', 'api.config.mjs: functions.a.memoryMb: expected at least 128 (MB)'].join('\n'),
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  test('a handler that cannot be built exits 1 naming the function, the file and the import, with no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cli-'));
    writeFileSync(
      join(dir, 'h.mjs'),
      "import { nothing } from 'no-such-package';\nexport const handler = async () => nothing;\n",
    );
    writeFileSync(
      join(dir, 'api.config.mjs'),
      `export default { name: 'broken', functions: { a: { handler: 'h.handler' } }, routes: { 'GET /a': 'a' } };\n`,
    );
    const result = gantry(['dev', '--config', join(dir, 'api.config.mjs'), '--in-memory', '--port', '0']);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /^gantry dev: the Lambda runtime cannot start: 1 function could not be built:\n {2}- function "a" \(handler "h\.handler"\): h\.mjs could not be bundled: .*Could not resolve "no-such-package"/,
    );
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  });

  test('a route with a JWT authorizer is enforced and no longer announced as open locally', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cli-'));
    writeFileSync(join(dir, 'h.mjs'), 'export const handler = async () => ({ statusCode: 200, body: "open" });\n');
    writeFileSync(
      join(dir, 'api.config.mjs'),
      `export default { name: 'guarded', functions: { a: { handler: 'h.handler' } },
         authorizers: { users: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['app'] } },
         routes: { 'POST /orders': { function: 'a', authorizer: 'users', scopes: ['orders/write'] } } };\n`,
    );
    const dev = await startDev(['--config', join(dir, 'api.config.mjs'), '--no-console']);
    try {
      assert.doesNotMatch(dev.output(), /NOT enforced/);
      const answer = await fetch(`${dev.url}/orders`, { method: 'POST' });
      assert.equal(answer.status, 401, 'no token: refused as API Gateway refuses it');
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer scope="" error="invalid_token"/);
    } finally {
      dev.child.kill('SIGKILL');
      await once(dev.child, 'exit');
    }
  });

  test('a handler that leaves work pending after its answer is warned about, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cli-'));
    writeFileSync(
      join(dir, 'h.mjs'),
      'export const handler = async () => { setTimeout(() => console.log("sent late"), 50); return { statusCode: 202, body: "queued" }; };\n',
    );
    writeFileSync(
      join(dir, 'api.config.mjs'),
      `export default { name: 'leaky', functions: { a: { handler: 'h.handler' } }, routes: { 'POST /jobs': 'a' } };\n`,
    );
    const dev = await startDev(['--config', join(dir, 'api.config.mjs'), '--no-console']);
    try {
      for (let i = 0; i < 3; i++) assert.equal((await fetch(`${dev.url}/jobs`, { method: 'POST' })).status, 202);
      for (let i = 0; i < 100 && !dev.output().includes('work still pending'); i++)
        await new Promise((r) => setTimeout(r, 50));
      const warnings =
        dev.output().match(/⚠ \[a\] work still pending after its answer to [0-9a-f-]{36} \(1 × Timeout\)/g) ?? [];
      assert.equal(warnings.length, 1, dev.output());
    } finally {
      dev.child.kill('SIGKILL');
      await once(dev.child, 'exit');
    }
  });

  test('a callback-style handler is warned about once by gantry dev and by gantry invoke: nodejs24.x has no callbacks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cli-'));
    writeFileSync(
      join(dir, 'h.mjs'),
      'export const handler = (event, context, callback) => callback(null, { statusCode: 200, body: "old style" });\n',
    );
    const config = join(dir, 'api.config.mjs');
    writeFileSync(
      config,
      `export default { name: 'legacy', functions: { a: { handler: 'h.handler' } }, routes: { 'GET /a': 'a' } };\n`,
    );
    const warning =
      /⚠ \[a\] answered through Lambda's callback \(or context\.done\/succeed\/fail\): nodejs24\.x, the runtime gantry deploy uses, has no callback-style handlers/g;
    const dev = await startDev(['--config', config, '--no-console']);
    try {
      for (let i = 0; i < 3; i++) assert.equal(await (await fetch(`${dev.url}/a`)).text(), 'old style');
      for (let i = 0; i < 100 && !dev.output().includes("answered through Lambda's callback"); i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.equal(dev.output().match(warning)?.length, 1, dev.output());
    } finally {
      dev.child.kill('SIGKILL');
      await once(dev.child, 'exit');
    }
    const invoked = gantry(['invoke', 'a', '--config', config, '--in-memory']);
    assert.equal(invoked.status, 0, invoked.stderr);
    assert.equal(JSON.parse(invoked.stdout).body, 'old style');
    assert.equal(invoked.stderr.match(warning)?.length, 1, invoked.stderr);
  });

  test('a port already in use exits 1 naming the port and the flag that moves it, with no stack trace', async () => {
    const holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    const dev = (ports: string[]) =>
      gantry(['dev', '--config', 'examples/orders/api.config.ts', '--in-memory', '--no-watch', ...ports]);
    try {
      for (const [ports, what, flag] of [
        [['--port', `${port}`, '--store-port', '0', '--console-port', '0'], 'API', '--port'],
        [['--port', '0', '--store-port', `${port}`], 'store', '--store-port'],
        [['--port', '0', '--store-port', '0', '--console-port', `${port}`], 'console', '--console-port'],
      ] as const) {
        const result = dev([...ports]);
        assert.equal(result.status, 1, result.stdout + result.stderr);
        assert.equal(
          result.stderr.trim(),
          `gantry dev: the ${what} port ${port} on 127.0.0.1 is already in use (another gantry dev?): stop what holds it, or pass ${flag} N (0 picks a free port)`,
        );
      }
    } finally {
      holder.close();
    }
  });

  test('a bad flag value exits 2 naming the flag', () => {
    const result = gantry(['dev', '--port', 'eighty']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--port: expected a whole number from 0 to 65535, got "eighty"/);
  });

  test('gantry invoke prints the function result; a function error exits 1 with Lambda’s error JSON', () => {
    const config = 'test/fixtures/conformance/api.config.ts';
    const ok = gantry(
      ['invoke', 'respond', '--config', config, '--in-memory', '--event', '-'],
      '{"body":"{\\"return\\":{\\"a\\":1}}"}',
    );
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), '{"a":1}');
    assert.match(ok.stderr, /\[respond\] START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    assert.match(
      ok.stderr,
      /\[respond\] REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms/,
    );
    const failed = gantry(['invoke', 'fail', '--config', config, '--in-memory']);
    assert.equal(failed.status, 1);
    const error = JSON.parse(failed.stdout);
    assert.equal(error.errorType, 'TypeError');
    assert.equal(error.errorMessage, 'the handler failed on purpose');
  });

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
