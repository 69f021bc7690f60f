// The gantry binary as a user runs it: a separate process, flags, banner, signals, exit codes.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gantry, startDev } from './spawn.ts';

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
});
