/**
 * `gantry drill failover` against a real two-region gantry dev: the verdict follows the targets
 * (0 within them, 99 when the RTO target is below what detection alone takes), and the report says
 * what it measured.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DrillReport } from '../../src/loadtest/index.ts';
import { type DevProcess, runDrill, startTwoRegions } from './dev-process.ts';

const drill = (dev: DevProcess, args: string[]) => runDrill(dev, 'test/fixtures/regions/api.config.ts', args);

describe('gantry drill failover', () => {
  let dev: DevProcess;
  before(async () => {
    dev = await startTwoRegions(['--config', 'test/fixtures/regions/api.config.ts', '--in-memory']);
  });
  after(async () => {
    await dev?.stop();
  });

  test('exits 0 within its targets, measures the failover in probes, and checks every write in both regions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-drill-'));
    const html = join(dir, 'drill.html');
    const run = await drill(dev, ['--rto', '30s', '--rpo', '10s', '--json', '--report', html]);
    assert.equal(run.code, 0, run.out + run.err);
    const report = JSON.parse(run.out) as DrillReport;
    assert.equal(report.region, 'us-east-1');
    assert.ok(report.rtoMs !== undefined && report.rtoMs > 0);
    assert.ok(
      report.detectionProbes! >= 2 && report.detectionProbes! <= 3,
      `detected after ${report.detectionProbes} probes`,
    );
    assert.deepEqual(report.aws, { intervalSeconds: 30, failureThreshold: 2, dnsTtlSeconds: 60, rtoSeconds: 120 });
    assert.ok(report.failbackMs !== undefined);
    assert.equal(report.consistency.divergentCount, 0);
    assert.equal(report.consistency.pending, 0);
    assert.ok(report.consistency.checked > 0, 'the load wrote nothing');
    assert.ok(report.requests.total > 0);
    assert.deepEqual(
      report.events
        .filter((e) => e.region === 'us-east-1' && (e.type === 'down' || e.type === 'up'))
        .map((e) => e.type),
      ['down', 'up'],
    );
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.ok]),
      [
        ['RTO', true],
        ['RPO', true],
        ['fail-back', true],
        ['replication', true],
      ],
    );
    const page = readFileSync(html, 'utf8');
    assert.match(page, /PASSED: every target met/);
    assert.match(page, /<svg[^>]+aria-label="requests per second during the drill"/);
    assert.match(page, /us-east-1 down/);
    // The region is back and served once the drill is over.
    const view = await dev.view();
    assert.equal(view.regions[0].status, 'up');
  });

  test('exits 99 when the RTO target is below what detection takes (2 probes 0.25 s apart)', async () => {
    const run = await drill(dev, ['--rto', '100ms']);
    assert.equal(run.code, 99, run.out + run.err);
    assert.match(run.out, /✗ RTO\s+[\d.]+ s \(target 0.1 s\)/);
    assert.match(run.out, /drill FAILED/);
  });

  test('refuses a region it does not serve, before any load', async () => {
    const run = await drill(dev, ['--region', 'eu-west-1']);
    assert.equal(run.code, 1);
    assert.match(run.err, /--region: "eu-west-1" is not one of us-east-1, us-west-2/);
  });
});
