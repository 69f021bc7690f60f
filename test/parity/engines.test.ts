/**
 * package.json's `engines.node` is the oldest Node.js 20 the code really runs on: the newest of the
 * Node APIs it uses, as Node's documentation dates them ("Added in: v20.12.0"). A use of an API newer
 * than `engines` (or an `engines` higher than any API needs) fails here, not on a user's machine.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Node APIs by the version (of the 20.x line, or the first major) that added them. */
const APIS: { api: string; pattern: RegExp; since: string; inStrings?: boolean }[] = [
  { api: 'util.styleText', pattern: /\bstyleText\b/, since: '20.12.0' },
  { api: 'fs.Dirent#parentPath', pattern: /\.parentPath\b/, since: '20.12.0' },
  { api: 'import.meta.dirname / filename', pattern: /import\.meta\.(dirname|filename)\b/, since: '20.11.0' },
  {
    api: 'import attributes (with { type: "json" })',
    pattern: /\bwith\s*\{\s*type:\s*'json'/,
    since: '20.10.0',
    inStrings: true,
  },
  { api: 'module.register (tsx/esm/api)', pattern: /from 'tsx\/esm\/api'/, since: '20.6.0', inStrings: true },
  { api: 'AbortSignal.any', pattern: /AbortSignal\.any\b/, since: '20.3.0' },
  { api: 'Object.groupBy / Map.groupBy', pattern: /\b(Object|Map)\.groupBy\b/, since: '21.0.0' },
  { api: 'Promise.withResolvers', pattern: /Promise\.withResolvers\b/, since: '22.0.0' },
  { api: 'fs.globSync / fs.promises.glob', pattern: /\bglobSync\b|\bfs(Promises)?\.glob\b/, since: '22.0.0' },
  { api: 'process.getBuiltinModule', pattern: /getBuiltinModule\b/, since: '22.3.0' },
  { api: 'Array.fromAsync', pattern: /Array\.fromAsync\b/, since: '22.0.0' },
];

/**
 * The code without comments and string contents: a message that names an API (the runtime warning
 * listing what Node 22 adds) is not a use of it. Import specifiers are matched on the raw text.
 */
function codeOnly(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/[^\n]*/g, '')
    .replace(/`(?:\\.|[^`\\])*`|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g, "''");
}

/** What runs on a user's machine: the CLI, src/, and the scripts npm test runs. */
function shippedFiles(): string[] {
  return ['bin', 'src', 'scripts'].flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|mts|mjs|js)$/.test(e.name))
      .map((e) => join(e.parentPath, e.name)),
  );
}

const version = (v: string) => v.split('.').map(Number);
const newer = (a: string, b: string) => {
  const [x, y] = [version(a), version(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
};

test('engines.node is the newest Node API the code uses', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
  const match = /^>=(\d+\.\d+(?:\.\d+)?)$/.exec(pkg.engines.node);
  assert.ok(match, `engines.node is ">=X.Y[.Z]", got ${pkg.engines.node}`);
  const declared = match[1].split('.').length === 2 ? `${match[1]}.0` : match[1];

  const texts = shippedFiles().map((file) => {
    const raw = readFileSync(file, 'utf8');
    return { raw, code: codeOnly(raw) };
  });
  const used = APIS.filter(({ pattern, inStrings }) => texts.some((t) => pattern.test(inStrings ? t.raw : t.code)));
  assert.ok(used.length > 0, 'the scan finds the APIs it knows (styleText at least)');
  const needed = used.reduce((max, u) => (newer(u.since, max) ? u.since : max), '0.0.0');
  const tooNew = used.filter((u) => newer(u.since, declared)).map((u) => `${u.api} (${u.since})`);
  assert.deepEqual(tooNew, [], `engines.node ${pkg.engines.node} is older than what the code uses`);
  assert.equal(declared, needed, `engines.node should be >=${needed}: the newest API used is that old`);
  // The process running the tests must satisfy it too, or CI proves nothing.
  assert.ok(!newer(declared, process.versions.node), `this Node (${process.versions.node}) is below engines`);
});
