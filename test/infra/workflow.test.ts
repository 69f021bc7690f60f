/**
 * The CI/CD template `.github/workflows/deploy.yml`, read as GitHub Actions reads it: pull requests
 * get a synth and a diff, deploys use the assembly the build tested, the production diff comes before
 * the approval, and nothing runs in a repository without an api.config.ts (gantry's own included).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string;
  steps: Step[];
  strategy?: { matrix: Record<string, string[]> };
}
const workflow = parse(readFileSync(new URL('../../.github/workflows/deploy.yml', import.meta.url), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
};
const runs = (job: string) => workflow.jobs[job].steps.map((s) => s.run ?? '').join('\n');
const needs = (job: string) => [workflow.jobs[job].needs ?? []].flat();

describe('deploy.yml', () => {
  test('pull requests are synthesized and diffed, never deployed', () => {
    assert.ok('pull_request' in workflow.on);
    assert.match(runs('build'), /gantry synth .*--out assembly\/staging/);
    assert.match(runs('diff'), /gantry diff --assembly/);
    for (const job of ['deploy-staging', 'deploy-production']) {
      const guard = [job, ...needs(job)].map((j) => workflow.jobs[j]?.if ?? '').join(' ');
      assert.match(guard, /github\.event_name != 'pull_request'/, `${job} must not run on pull requests`);
    }
  });

  test('deploys use the assembly the build job synthesized and tested, never a new synthesis', () => {
    for (const job of ['deploy-staging', 'deploy-production']) {
      assert.match(runs(job), /gantry deploy --assembly assembly\//);
      assert.doesNotMatch(runs(job), /gantry synth|--config/);
      assert.ok(workflow.jobs[job].steps.some((s) => s.uses?.startsWith('actions/download-artifact')));
    }
  });

  test('the production diff runs before the production approval', () => {
    assert.deepEqual(workflow.jobs.diff.strategy?.matrix.environment, ['staging', 'production']);
    assert.deepEqual(needs('deploy-staging'), ['diff']);
    assert.deepEqual(needs('deploy-production'), ['deploy-staging']);
    assert.equal(workflow.jobs['deploy-production'].environment, 'production');
    assert.match(runs('diff'), /GITHUB_STEP_SUMMARY/);
  });

  test('nothing runs in a repository without an api.config.ts at its root, such as gantry itself', () => {
    assert.match(runs('guard'), /\[ -f "\$GANTRY_CONFIG" \]/);
    assert.deepEqual(needs('build'), ['guard']);
    assert.match(workflow.jobs.build.if ?? '', /needs\.guard\.outputs\.project == 'true'/);
  });
});
