/**
 * The second validator: AWS Control Tower's cfn-guard rules run on every synthesized template (the
 * validator ships the cfn-guard binary, so this runs offline), and a finding fails synthesis unless
 * the resource acknowledges that rule with a reason, written to its template metadata for audit.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { acknowledgeGuard, enableGuard } from '../../src/infra/guard.ts';

function withApp(body: (app: App, stack: Stack, outdir: string) => void): void {
  const outdir = mkdtempSync(join(tmpdir(), 'gantry-guard-'));
  try {
    const app = new App({ outdir, analyticsReporting: false });
    body(app, new Stack(app, 'Logs', { env: { region: 'us-east-1' } }), outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('cfn-guard Control Tower rules', () => {
  test('an unacknowledged finding fails synthesis and names the rule and the resource', () => {
    withApp((app, stack, outdir) => {
      new LogGroup(stack, 'Plain', { retention: RetentionDays.ONE_WEEK });
      assert.equal(enableGuard(app), true);
      assert.throws(() => app.synth(), /Validation failed/);
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
      const guard = report.pluginReports.find(
        (r: { pluginName: string }) => r.pluginName === 'cfn-guard-control-tower',
      );
      const rules = guard.violations.map((v: { ruleName: string }) => v.ruleName).sort();
      assert.deepEqual(rules, ['cloudwatch_log_group_encrypted_check', 'cloudwatch_log_group_retention_period_check']);
      assert.match(JSON.stringify(guard.violations), /Plain/);
    });
  });

  test('an acknowledged rule passes, and its reason is in the template for audit', () => {
    withApp((app, stack, outdir) => {
      const logs = new LogGroup(stack, 'Kept', { retention: RetentionDays.ONE_WEEK });
      acknowledgeGuard(logs, 'cloudwatch_log_group_encrypted_check', 'encrypted at rest by CloudWatch Logs');
      acknowledgeGuard(logs, 'cloudwatch_log_group_retention_period_check', 'a week is enough here');
      enableGuard(app);
      app.synth();
      const template = JSON.parse(readFileSync(join(outdir, 'Logs.template.json'), 'utf8'));
      const [resource] = Object.values(template.Resources) as { Metadata: { guard: unknown } }[];
      assert.deepEqual(resource.Metadata.guard, {
        SuppressedRules: ['cloudwatch_log_group_encrypted_check', 'cloudwatch_log_group_retention_period_check'],
        Reasons: {
          cloudwatch_log_group_encrypted_check: 'encrypted at rest by CloudWatch Logs',
          cloudwatch_log_group_retention_period_check: 'a week is enough here',
        },
      });
    });
  });
});
