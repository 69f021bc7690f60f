/** Synthesizes a config into a throwaway cloud assembly once, for the infra tests to assert on. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadConfig, type ResolvedConfig, resolveConfig } from '../../src/config/index.ts';
import { buildStacks, type GantryStacks } from '../../src/infra/build.ts';
import type { InfraOptions } from '../../src/infra/plan.ts';

export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}/api.config.ts`, import.meta.url));

export interface Synthesized extends GantryStacks {
  app: App;
  outdir: string;
  template(stack: Stack): Template;
  /** Raw template JSON, as CloudFormation receives it. */
  json(stack: Stack): Record<string, unknown> & { Resources: Record<string, CfnResourceJson> };
  cleanup(): void;
}

export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, unknown>;
}

/**
 * `bundle: false` skips esbuild (the CDK's `aws:cdk:bundling-stacks` context) for tests that only
 * look at the template; nag stays on unless the options turn it off.
 */
export function synthesize(config: ResolvedConfig, options: InfraOptions & { bundle?: boolean } = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'gantry-infra-'));
  const context = options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {};
  const app = new App({ outdir, analyticsReporting: false, context });
  const stacks = buildStacks(app, config, options);
  app.synth();
  const templates = new Map<Stack, Template>();
  return {
    ...stacks,
    app,
    outdir,
    template(stack) {
      let template = templates.get(stack);
      if (!template) {
        template = Template.fromJSON(this.json(stack));
        templates.set(stack, template);
      }
      return template;
    },
    json(stack) {
      return JSON.parse(readFileSync(join(outdir, stack.templateFile), 'utf8'));
    },
    cleanup() {
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}

export async function synthesizeFixture(name: string, options?: InfraOptions & { bundle?: boolean }) {
  return synthesize(await loadConfig(fixture(name)), options);
}

/** A config written inline, resolved as if it lived beside the `full` fixture's handlers. */
export function inlineConfig(raw: Record<string, unknown>): ResolvedConfig {
  return resolveConfig(raw, fixture('full'));
}

export function resourcesOfType(json: { Resources: Record<string, CfnResourceJson> }, type: string) {
  return Object.entries(json.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => ({ id, ...r }));
}

export function assetDirectories(outdir: string): string[] {
  return readdirSync(outdir).filter((name) => name.startsWith('asset.'));
}

/** Asset hashes change with every esbuild or handler byte; the snapshot is about the templates. */
export function normaliseHashes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}

/**
 * Compares `value` with the committed snapshot `__snapshots__/NAME.json`; `UPDATE_SNAPSHOTS=1`
 * rewrites it instead (review the diff before committing).
 */
export function matchSnapshot(name: string, value: unknown): void {
  const file = fileURLToPath(new URL(`./__snapshots__/${name}.json`, import.meta.url));
  const actual = normaliseHashes(value);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    return;
  }
  let expected: unknown;
  try {
    expected = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    assert.fail(`no snapshot at ${file}: run the tests once with UPDATE_SNAPSHOTS=1 and commit it`);
  }
  assert.deepEqual(
    actual,
    expected,
    `templates differ from ${file}; if the change is intended, rerun with UPDATE_SNAPSHOTS=1`,
  );
}
