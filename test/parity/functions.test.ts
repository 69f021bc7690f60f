/**
 * Parity by construction, checked: for every function of the example and of the `full` fixture, the
 * environment, memory, timeout, handler, runtime and architecture that `gantry dev` gives an
 * execution environment are what `gantry synth` deploys, except LOCAL_ONLY_ENVIRONMENT; and the code
 * both sides bundle is the same bytes. The local side is read from inside real worker threads: each
 * function's handler is swapped for one that reports what it sees, everything else of the config kept.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LAMBDA_RESERVED_VARIABLES } from '../../src/aws/limits.ts';
import {
  DEPLOY_ONLY_ENVIRONMENT,
  functionSpec,
  LOCAL_ONLY_ENVIRONMENT,
  loadConfig,
  type ResolvedConfig,
} from '../../src/config/index.ts';
import { bundleInto } from '../../src/infra/function-code.ts';
import { bundleFunction } from '../../src/runtime/bundler.ts';
import { createRuntime } from '../../src/runtime/index.ts';
import { type CfnResourceJson, fixture, resourcesOfType, synthesize } from '../infra/helpers.ts';

const CONFIGS = {
  'examples/orders': fileURLToPath(new URL('../../examples/orders/api.config.ts', import.meta.url)),
  'test/infra/fixtures/full': fixture('full'),
};

/** What Lambda itself sets in every environment (besides the reserved variables): unreserved defaults. */
const LAMBDA_DEFAULTS = ['LANG', 'PATH', 'TZ'];
const LAMBDA_SET = new Set([...LAMBDA_RESERVED_VARIABLES, ...LAMBDA_DEFAULTS]);
const LOCAL_ONLY = new Set(Object.keys(LOCAL_ONLY_ENVIRONMENT));
const DEPLOY_ONLY = new Set(Object.keys(DEPLOY_ONLY_ENVIRONMENT));

interface Seen {
  env: Record<string, string>;
  memoryLimitInMB: string;
  deadline: number;
  before: number;
  after: number;
}

const temp = mkdtempSync(join(tmpdir(), 'gantry-parity-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** Runs every function of `config` under gantry dev's runtime with a handler that reports its environment. */
async function localEnvironments(config: ResolvedConfig, label: string): Promise<Record<string, Seen>> {
  const dir = mkdtempSync(join(temp, `${label.replaceAll('/', '-')}-`));
  const functions: ResolvedConfig['functions'] = {};
  for (const fn of Object.values(config.functions)) {
    const modulePath = join(dir, `${fn.name}.mjs`);
    writeFileSync(
      modulePath,
      `export const ${fn.exportName} = async (_event, context) => ({ env: { ...process.env }, memoryLimitInMB: context.memoryLimitInMB, deadline: Date.now() + context.getRemainingTimeInMillis() });\n`,
    );
    functions[fn.name] = { ...fn, modulePath };
  }
  // As dev-server.ts starts it: the store's endpoint as the only extra variable.
  const runtime = createRuntime(
    { ...config, functions },
    { buildDir: join(dir, 'build'), environment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' } },
  );
  await runtime.start();
  try {
    const seen: Record<string, Seen> = {};
    for (const name of Object.keys(functions)) {
      const before = Date.now();
      const result = await runtime.invoke(name, '{}');
      const after = Date.now();
      assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
      seen[name] = { ...JSON.parse((result.outcome as { payload: string }).payload), before, after };
    }
    return seen;
  } finally {
    await runtime.stop();
  }
}

function deployedFunction(resources: { id: string }[], name: string): CfnResourceJson & { id: string } {
  const found = resources.filter((r) => r.id.startsWith(`Functions${name}Function`));
  assert.equal(found.length, 1, `one AWS::Lambda::Function for ${name}`);
  return found[0] as CfnResourceJson & { id: string };
}

for (const [label, file] of Object.entries(CONFIGS)) {
  describe(`${label}: what gantry dev runs is what gantry synth deploys`, async () => {
    const config = await loadConfig(file);
    const synthesized = synthesize(config, { bundle: false, nag: false });
    after(() => synthesized.cleanup());
    const resources = resourcesOfType(synthesized.json(synthesized.primary), 'AWS::Lambda::Function');
    const region = synthesized.primary.region;
    const local = await localEnvironments(config, label);

    for (const fn of Object.values(config.functions)) {
      const deployed = deployedFunction(resources, fn.name);
      const props = deployed.Properties as {
        Handler: string;
        Runtime: string;
        MemorySize: number;
        Timeout: number;
        Architectures: string[];
        Environment: { Variables: Record<string, string> };
      };
      const seen = local[fn.name];

      test(`${fn.name}: the function configuration's variables are the deployed ones`, () => {
        const configured = Object.fromEntries(
          Object.entries(seen.env).filter(([key]) => !LAMBDA_SET.has(key) && !LOCAL_ONLY.has(key)),
        );
        const deployedVariables = Object.fromEntries(
          Object.entries(props.Environment.Variables).filter(([key]) => !DEPLOY_ONLY.has(key)),
        );
        assert.deepEqual(configured, deployedVariables);
      });

      test(`${fn.name}: every other variable is one Lambda sets or a listed local-only one`, () => {
        const unexplained = Object.keys(seen.env).filter(
          (key) => !LAMBDA_SET.has(key) && !LOCAL_ONLY.has(key) && !(key in props.Environment.Variables),
        );
        assert.deepEqual(unexplained, []);
        // The list has no stale entries: each one is really there locally.
        assert.deepEqual(
          [...LOCAL_ONLY].filter((key) => !(key in seen.env)),
          [],
        );
      });

      test(`${fn.name}: handler, memory, timeout, region, runtime and architecture match`, () => {
        assert.equal(seen.env._HANDLER, props.Handler);
        assert.equal(seen.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, String(props.MemorySize));
        assert.equal(seen.memoryLimitInMB, String(props.MemorySize));
        // The deadline was set between the two instants around the invoke, timeout seconds ahead.
        assert.ok(seen.deadline >= seen.before + props.Timeout * 1000, `${seen.deadline} vs ${seen.before}`);
        assert.ok(seen.deadline <= seen.after + props.Timeout * 1000, `${seen.deadline} vs ${seen.after}`);
        assert.equal(seen.env.AWS_REGION, region);
        assert.equal(seen.env.AWS_DEFAULT_REGION, region);
        // Locally the runtime is the Node.js running gantry: AWS_EXECUTION_ENV says so, and is listed.
        assert.ok(LOCAL_ONLY.has('AWS_EXECUTION_ENV'));
        const spec = functionSpec(config, fn);
        assert.equal(props.Runtime, spec.runtime);
        assert.deepEqual(props.Architectures, [spec.architecture]);
        assert.equal(spec.architecture, fn.architecture);
      });
    }

    test('both sides bundle every function into the same code with the same esbuild', async () => {
      const withoutMapLine = (code: string) => code.replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
      for (const fn of Object.values(config.functions)) {
        const localResult = await bundleFunction(fn, config.dir, join(temp, `local-${label.replaceAll('/', '-')}`));
        assert.ok(localResult.ok, localResult.ok ? '' : localResult.problem);
        const out = mkdtempSync(join(temp, 'deployed-'));
        bundleInto(functionSpec(config, fn), config.dir, out);
        assert.deepEqual(readdirSync(out).sort(), ['index.mjs', 'index.mjs.map']);
        assert.equal(
          withoutMapLine(readFileSync(localResult.bundle.file, 'utf8')),
          withoutMapLine(readFileSync(join(out, 'index.mjs'), 'utf8')),
          `${fn.name}: bundles differ`,
        );
      }
    });
  });
}

test('docs/fidelity.md lists exactly the local-only variables', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/fidelity.md', import.meta.url)), 'utf8');
  const section = doc.slice(doc.indexOf('### Local-only environment variables'));
  assert.ok(section.length < doc.length, 'docs/fidelity.md has a "Local-only environment variables" section');
  const end = section.indexOf('\n## ');
  const table = section.slice(0, end === -1 ? undefined : end);
  const listed = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(listed.sort(), [...LOCAL_ONLY].sort());
});
