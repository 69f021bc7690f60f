/**
 * The house's import rules (.dependency-cruiser.cjs, from shared/DESIGN.md) checked over src/ and web/.
 *
 * dependency-cruiser parses TypeScript through the `typescript` package's JavaScript API, which
 * TypeScript 7 no longer has. So each file is first turned into JavaScript by esbuild with every import
 * kept, type-only ones included (`import type` made a plain import, `verbatimModuleSyntax` so none is
 * dropped as unused), written beside the others in a mirror tree (`x.ts` → `x.ts.js`, which the
 * `./x.ts` specifiers resolve to), and dependency-cruiser checks that tree.
 *
 * Usage: node --import tsx scripts/check-imports.ts [ROOT]   (exit 1 and one line per violation)
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IForbiddenRuleType, type IViolation } from 'dependency-cruiser';
import { transform } from 'esbuild';

const RULES_FILE = fileURLToPath(new URL('../.dependency-cruiser.cjs', import.meta.url));
const SCANNED = ['src', 'web'];

/** `import type …` / `export type {…} from` / `export type * from` as plain imports and re-exports. */
function keepTypeImports(source: string): string {
  return source
    .replace(/^(\s*import)\s+type(?=\s+[\w{*])/gm, '$1')
    .replace(/^(\s*export)\s+type(?=\s*(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?)\s*from\s)/gm, '$1');
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const isModule = (file: string) => file.endsWith('.ts') && !file.endsWith('.d.ts');

/** Writes the mirror of `root`'s src/ and web/ under `mirror`. */
async function writeMirror(root: string, mirror: string): Promise<string[]> {
  const scanned: string[] = [];
  for (const folder of SCANNED) {
    const files = await filesUnder(join(root, folder));
    if (files.some(isModule)) scanned.push(folder);
    for (const file of files) {
      if (!isModule(file)) {
        // Imported assets (the page's CSS) only need to exist for their imports to resolve.
        await mkdir(dirname(join(mirror, relative(root, file))), { recursive: true });
        await writeFile(join(mirror, relative(root, file)), '');
        continue;
      }
      const { code } = await transform(keepTypeImports(await readFile(file, 'utf8')), {
        loader: 'ts',
        format: 'esm',
        sourcefile: file,
        tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      });
      const out = join(mirror, `${relative(root, file)}.js`);
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, code);
    }
  }
  await writeFile(join(mirror, 'package.json'), '{ "type": "module" }\n');
  return scanned;
}

export interface ImportViolation {
  rule: string;
  from: string;
  to: string;
  /** The rule's comment: what the folder may import. */
  why: string;
}

/** Checks `root`'s src/ and web/ against the rules; resolves to the violations (none: []). */
export async function checkImports(root: string): Promise<ImportViolation[]> {
  // Inside the root, so imports of packages resolve from its node_modules.
  await mkdir(join(root, '.gantry'), { recursive: true });
  const mirror = await mkdtemp(join(root, '.gantry', 'imports-'));
  try {
    const scanned = await writeMirror(root, mirror);
    const ruleSet = createRequire(import.meta.url)(RULES_FILE) as {
      forbidden: IForbiddenRuleType[];
      options?: Record<string, unknown>;
    };
    const cwd = process.cwd();
    // dependency-cruiser reports paths relative to the working directory.
    process.chdir(mirror);
    let result: Awaited<ReturnType<typeof cruise>>;
    try {
      result = await cruise(scanned, { ...ruleSet.options, ruleSet, validate: true, outputType: 'json' });
    } finally {
      process.chdir(cwd);
    }
    const output = typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
    const comments = new Map(ruleSet.forbidden.map((r) => [r.name, r.comment ?? '']));
    const original = (path: string) => path.replace(/\.ts\.js$/, '.ts');
    return (output.summary.violations as IViolation[]).map((v) => ({
      rule: v.rule.name,
      from: original(v.from),
      to: original(v.to),
      why: comments.get(v.rule.name) ?? '',
    }));
  } finally {
    await rm(mirror, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
  const violations = await checkImports(root);
  for (const v of violations) console.error(`✗ ${v.from} → ${v.to}  [${v.rule}] ${v.why}`);
  console.log(violations.length ? `${violations.length} import rule violation(s)` : 'imports: every rule holds');
  return violations.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
