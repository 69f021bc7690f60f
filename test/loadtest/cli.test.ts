import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { json, startServer, type TestServer } from './helpers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const runner = fileURLToPath(new URL('./fixtures/run-load.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gantry-load-cli-'));

function gantryLoad(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', runner, ...args],
      { cwd: root, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

function scenario(name: string, body: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

let server: TestServer;
before(async () => {
  server = await startServer((req, res) =>
    req.url === '/down' ? json(res, 500, { message: 'boom' }) : json(res, 200, { ok: true }),
  );
});
after(() => server.close());

describe('gantry load', () => {
  test('passes its thresholds: exit 0, k6 summary, HTML report, summary export and JSON samples', async () => {
    const file = scenario('pass.json', {
      options: {
        vus: 2,
        duration: '1s',
        thresholds: { http_req_duration: ['p(95)<5000'], http_req_failed: ['rate<0.01'] },
      },
      steps: [{ path: '/ok', checks: { 'status is 200': { status: 200 } } }],
    });
    const report = join(dir, 'report.html');
    const summary = join(dir, 'summary.json');
    const samples = join(dir, 'samples.json');
    const run = await gantryLoad([
      file,
      '--url',
      server.url,
      '--report',
      report,
      '--summary-export',
      summary,
      '--out',
      `json=${samples}`,
      '--quiet',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /█ THRESHOLDS/);
    assert.match(run.stdout, /✓ 'p\(95\)<5000' p\(95\)=/);
    assert.match(run.stdout, /✓ 'rate<0.01' rate=0.00%/);
    assert.match(run.stdout, /✓ status is 200/);
    assert.ok(readFileSync(report, 'utf8').includes('<svg'));
    const data = JSON.parse(readFileSync(summary, 'utf8'));
    assert.equal(data.metrics.http_req_failed.values.rate, 0);
    assert.deepEqual(data.metrics.http_req_duration.thresholds, { 'p(95)<5000': { ok: true } });
    const points = readFileSync(samples, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.metric === 'http_reqs' && l.type === 'Point');
    assert.equal(points.length, data.metrics.http_reqs.values.count);
  });

  test('a failing threshold exits 99 and says which', async () => {
    const file = scenario('fail.json', {
      options: { vus: 1, duration: '500ms', thresholds: { http_req_failed: ['rate<0.01'] } },
      steps: [{ path: '/down' }],
    });
    const run = await gantryLoad([file, '--url', server.url, '--no-report', '--quiet']);
    assert.equal(run.code, 99);
    assert.match(run.stdout, /✗ 'rate<0.01' rate=100.00%/);
    assert.match(run.stdout, /✗ thresholds failed: http_req_failed: rate<0.01 \(exit code 99\)/);
  });

  test('an invalid scenario exits 1 with every problem, no stack trace', async () => {
    const file = scenario('bad.json', { options: { vus: 'ten', duraton: '1s' }, steps: [] });
    const run = await gantryLoad([file, '--url', server.url]);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr.trim(),
      [
        'gantry load: invalid scenario',
        'bad.json: options.vus: Invalid input: expected number, received string',
        'bad.json: options: unknown field "duraton"',
      ].join('\n'),
    );
  });

  test('nothing listening at the target exits 1 with the fix', async () => {
    const gone = await startServer(() => {});
    await gone.close();
    const file = scenario('any.json', { options: { vus: 1, duration: '1s' }, steps: [{ path: '/' }] });
    const run = await gantryLoad([file, '--url', gone.url]);
    assert.equal(run.code, 1);
    const expected = `gantry load: nothing answers at ${gone.url} (ECONNREFUSED): start \`gantry dev\` first, or pass --port / --url`;
    assert.equal(run.stderr.trim(), expected);
    const local = await gantryLoad([
      file,
      '--config',
      'test/fixtures/basic/api.config.ts',
      '--port',
      String(gone.port),
    ]);
    assert.equal(local.code, 1);
    assert.equal(local.stderr.trim(), expected, "the config's local target: 127.0.0.1:PORT/dev");
  });

  test('--scale-report without a console says so before any load is sent', async () => {
    const file = scenario('scale.json', { options: { vus: 1, duration: '1s' }, steps: [{ path: '/ok' }] });
    const before = server.hits.get('GET /ok') ?? 0;
    const run = await gantryLoad([
      file,
      '--url',
      server.url,
      '--scale-report',
      '--console-url',
      `http://127.0.0.1:${server.port}/nothing`,
    ]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /gantry load: http:\/\/127\.0\.0\.1:\d+\/nothing\/api\/status is not gantry dev's console status: functions: /,
    );
    assert.equal(server.hits.get('GET /ok') ?? 0, before);
  });

  test('--k6 prints the k6 script for the config’s local target (stage prefix included)', async () => {
    const file = scenario('k6.json', {
      options: { vus: 50, duration: '30s', thresholds: { http_req_duration: ['p(95)<200'] } },
      steps: [{ path: '/hello', checks: { 'status is 200': { status: 200 } } }, { sleep: 1 }],
    });
    const run = await gantryLoad([file, '--config', 'test/fixtures/basic/api.config.ts', '--port', '4321', '--k6']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\/\/ Generated by `gantry load --k6`/);
    assert.ok(run.stdout.includes('const BASE_URL = __ENV.BASE_URL || "http://127.0.0.1:4321/dev";'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: k6 script text
    assert.ok(run.stdout.includes('http.request("GET", `${BASE_URL}/hello`, null)'));
    assert.ok(run.stdout.includes('  sleep(1);\n'));
  });

  test('flags are checked', async () => {
    const missing = await gantryLoad([]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /expected a scenario file/);
    const out = await gantryLoad(['x.json', '--out', 'csv=x.csv']);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--out: expected json=FILE, got "csv=x.csv"/);
  });
});
