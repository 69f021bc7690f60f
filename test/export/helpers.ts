/** The configs every export test runs on, and the validators, run offline from node_modules/.bin. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type ResolvedConfig } from '../../src/config/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const CONFIGS = {
  example: join(root, 'examples/orders/api.config.ts'),
  full: join(root, 'test/infra/fixtures/full/api.config.ts'),
  everyFeature: join(root, 'test/export/fixtures/every-feature/api.config.ts'),
} as const;

export type ConfigName = keyof typeof CONFIGS;

export async function loadAll(): Promise<Record<ConfigName, ResolvedConfig>> {
  const entries = await Promise.all(
    Object.entries(CONFIGS).map(async ([name, file]) => [name, await loadConfig(file)] as const),
  );
  return Object.fromEntries(entries) as Record<ConfigName, ResolvedConfig>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gantry-${prefix}-`));
}

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** Whether this machine lets us run a tool in a network namespace with no network (`unshare -n`). */
export const OFFLINE = spawnSync('unshare', ['-n', 'true']).status === 0;

/**
 * Runs a tool of node_modules/.bin (or of the PATH) and returns its exit code and output; without
 * network when the machine allows it, so "the validators run offline" is proven, not assumed.
 */
export function runTool(
  tool: string,
  args: string[],
  cwd: string,
): { status: number | null; stdout: string; stderr: string } {
  const local = join(root, 'node_modules/.bin', tool);
  const bin = existsSync(local) ? local : tool; // else from the PATH (xmllint)
  const [file, argv] = OFFLINE ? ['unshare', ['-n', bin, ...args]] : [bin, args];
  const result = spawnSync(file, argv, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
