/** The drill's terminal summary: the figures, AWS's equivalent beside them, and the verdict. */
import type { DrillReport } from './types.ts';

const s = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);

export function renderDrillSummary(report: DrillReport): string {
  const { aws } = report;
  const detection =
    report.detectionProbes === undefined
      ? ''
      : ` (${report.detectionProbes} failed probes at ${report.localIntervalSeconds} s)`;
  const lines = [
    `failover drill: ${report.region} down for ${s(report.outageMs)}, ${report.policy} routing to ${report.otherRegions.join(', ')}`,
    '',
    `  RTO          ${s(report.rtoMs)}${detection}`,
    `               in AWS with these settings: ${aws.intervalSeconds} s × ${aws.failureThreshold} + ${aws.dnsTtlSeconds} s DNS TTL ≈ ${aws.rtoSeconds} s (plus client DNS caching)`,
    `  RPO          ${report.rpo.count} writes not yet replicated when ${report.region} failed, oldest ${s(report.rpo.ageMs)}`,
    `  failed       ${report.failedDuringFailover} requests during the failover, ${report.requests.failed} of ${report.requests.total} in the run`,
    `  fail-back    ${s(report.failbackMs)} after ${report.region} came back`,
    `  catch-up     ${s(report.catchUpMs)} until every write held during the outage was replicated`,
    `  data         ${Object.entries(report.consistency.writtenIn)
      .map(([region, n]) => `${n} items written in ${region}`)
      .join(', ')}; ${report.consistency.checked} checked in every region, ${report.consistency.divergentCount} differ`,
    '',
    ...report.checks.map((c) => `  ${c.ok ? '✓' : '✗'} ${c.name.padEnd(12)} ${c.detail}`),
    '',
    report.passed ? 'drill passed' : 'drill FAILED: a target was missed (exit code 99)',
  ];
  if (report.rtoMs !== undefined && aws.rtoSeconds * 1000 > report.targets.rtoMs) {
    lines.push(
      `note: in AWS these health-check settings alone give ≈${aws.rtoSeconds} s, above the ${report.targets.rtoMs / 1000} s target`,
    );
  }
  return lines.join('\n');
}
