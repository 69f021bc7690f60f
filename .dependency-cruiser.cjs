/**
 * The house's import rules (shared/DESIGN.md, "may import"), checked by `npm test` through
 * scripts/check-imports.ts: dependency-cruiser cannot read TypeScript 7 sources itself (TS 7 has no
 * JavaScript API), so that script hands it each file's imports, type-only ones included.
 *
 * Paths are relative to the repository; every rule names the folder, what it may import, and why.
 */
const ours = (folders) => `^src/(${folders.join('|')})/`;
const FOLDERS = [
  'aws',
  'config',
  'runtime',
  'gateway',
  'telemetry',
  'store',
  'cost',
  'console',
  'loadtest',
  'infra',
  'identity',
  'traffic',
  'chaos',
  'export',
  'cli',
];

/** A folder may import itself, the leaf `src/aws` and the folders listed. */
function mayImport(folder, allowed, comment) {
  const permitted = [folder, 'aws', ...allowed];
  return {
    name: `${folder}-imports`,
    comment,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: { path: '^(src|web)/', pathNot: ours(permitted) },
  };
}

module.exports = {
  forbidden: [
    mayImport('aws', [], 'src/aws holds AWS facts every folder shares: it imports nothing of ours.'),
    mayImport('config', [], 'config: the config types, loading and validation; nothing of ours but src/aws.'),
    mayImport('runtime', ['config'], 'runtime (Lambda emulation) may import config.'),
    mayImport(
      'gateway',
      ['config', 'runtime', 'telemetry'],
      'gateway may import config, runtime (rule below: only its Invoker types) and telemetry (only its recorder).',
    ),
    {
      name: 'gateway-runtime-through-invoker',
      comment: 'gateway reaches the runtime only through the Invoker interface (src/runtime/types.ts).',
      severity: 'error',
      from: { path: '^src/gateway/' },
      to: { path: '^src/runtime/', pathNot: '^src/runtime/types\\.ts' },
    },
    {
      name: 'gateway-telemetry-through-recorder',
      comment: 'gateway reaches telemetry only through the recorder interface (src/telemetry/recorder.ts).',
      severity: 'error',
      from: { path: '^src/gateway/' },
      to: { path: '^src/telemetry/', pathNot: '^src/telemetry/recorder\\.ts' },
    },
    mayImport('telemetry', ['config'], 'telemetry may import config.'),
    mayImport('store', ['config'], 'store may import config.'),
    mayImport('cost', ['config', 'telemetry'], 'cost may import config and telemetry.'),
    // DESIGN.md lists telemetry and cost; console also reads the resolved config (API name, routes,
    // functions), which every folder below it reads too. DESIGN.md should say "config, telemetry, cost".
    mayImport('console', ['config', 'telemetry', 'cost'], 'console may import config, telemetry and cost.'),
    // DESIGN.md: "nothing of gateway/runtime". It reads config (the target's URL, config errors).
    mayImport(
      'loadtest',
      ['config', 'telemetry'],
      'loadtest drives the API over HTTP: nothing of gateway, runtime, store or cli.',
    ),
    mayImport('infra', ['config'], 'infra (the CDK app) may import config only.'),
    mayImport('identity', ['config'], 'identity (the local OIDC issuer) may import config.'),
    mayImport('traffic', ['config'], 'traffic (the global entry point) may import config.'),
    mayImport(
      'chaos',
      ['config', 'telemetry', 'loadtest'],
      'chaos may import config, telemetry and loadtest; gateway, runtime and store consult faults through interfaces they define.',
    ),
    mayImport('export', ['config'], 'export (other clouds’ artifacts) may import config only.'),
    {
      name: 'nothing-imports-cli',
      comment: 'cli is wiring only: nothing imports it.',
      severity: 'error',
      from: { path: '^(src|web)/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'web-through-console-api',
      comment: 'web/ knows the console only through its HTTP API types (src/console/api-types.ts).',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/console/api-types\\.ts' },
    },
    {
      name: 'src-never-imports-web',
      comment: 'the page is served as files; no module of src imports it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^web/' },
    },
    {
      name: 'known-folders-only',
      comment: 'every module of src lives in a folder DESIGN.md names (or is src/index.ts, the package entry).',
      severity: 'error',
      from: { path: '^src/', pathNot: [ours(FOLDERS), '^src/index\\.ts'] },
      to: {},
    },
    {
      name: 'package-entry-surface',
      comment:
        "src/index.ts is `import … from 'gantry'`: config's surface for api.config.ts, and identity's localToken for load scenarios.",
      severity: 'error',
      from: { path: '^src/index\\.ts' },
      to: { path: '^(src|web)/', pathNot: '^src/(config|identity)/' },
    },
    {
      name: 'no-unresolvable-imports',
      comment: 'an import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Packages' subpath exports (`pure-rand/generator/…`) resolve as Node resolves them for ESM.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
    moduleSystems: ['es6'],
  },
};
