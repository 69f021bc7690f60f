// Bad handlers and bad requests never take gantry dev down, and never lose stored data.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevServer } from '../../src/cli/dev-server.ts';
import { call, startConformance } from './harness.ts';
import { rawRequest } from './raw-http.ts';

let dev: DevServer;
before(async () => {
  dev = await startConformance();
});
after(() => dev.close());

async function stillServing() {
  const answer = await call(`${dev.url}/echo`);
  assert.equal(answer.status, 200, 'the gateway keeps serving');
}

describe('the server survives', () => {
  test('a handler calling process.exit → 500, then the next request is served', async () => {
    const answer = await call(`${dev.url}/exit`);
    assert.equal(answer.status, 500);
    assert.equal(answer.text, '{"message":"Internal Server Error"}');
    await stillServing();
    assert.equal((await call(`${dev.url}/exit`)).status, 500, 'a fresh environment is started for the next call');
  });

  test('a handler running out of memory → 500, then the next request is served', async () => {
    const answer = await call(`${dev.url}/oom`);
    assert.equal(answer.status, 500);
    await stillServing();
  });

  test('a warm environment keeps its module state between invocations', async () => {
    const first = await call(`${dev.url}/counter`);
    const second = await call(`${dev.url}/counter`);
    assert.equal(Number(second.text), Number(first.text) + 1, 'warm environment reused');
  });

  test('malformed HTTP gets a 400 and the server keeps serving', async () => {
    const answer = await rawRequest(dev.port, 'THIS IS NOT HTTP\r\n\r\n');
    assert.equal(answer.status, 400);
    await stillServing();
  });

  test('data written before a handler crash is still there', async () => {
    const id = `note-${Date.now()}`;
    const crashed = await call(`${dev.url}/notes/${id}`, {
      method: 'POST',
      body: 'remember me',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(crashed.status, 500, 'the handler exits after writing');
    const read = await call(`${dev.url}/notes/${id}`);
    assert.equal(read.status, 200);
    assert.equal(read.text, 'remember me');
  });
});
