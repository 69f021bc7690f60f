/**
 * Loads `api.config.ts` (or .mts/.js/.mjs). TypeScript configs need tsx's loader in the process:
 * bin/gantry.mjs and the test runner register it.
 */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './errors.ts';
import { resolveConfig } from './resolve.ts';
import type { ResolvedConfig } from './resolved.ts';

export const DEFAULT_CONFIG_FILE = 'api.config.ts';

const requireCache = createRequire(import.meta.url).cache;

export async function loadConfig(path = DEFAULT_CONFIG_FILE, cwd = process.cwd()): Promise<ResolvedConfig> {
  const file = resolve(cwd, path);
  const label = basename(file);
  if (!existsSync(file)) throw new ConfigError(label, [`file not found: ${file} (pass --config PATH)`]);
  let mod: { default?: unknown };
  try {
    // A query string makes every load a fresh module instance, so a reload sees an edited file. In a
    // package without "type": "module" the file is CommonJS, which Node caches by path, query or not.
    delete requireCache[realpathSync(file)];
    mod = await import(`${pathToFileURL(file).href}?t=${Date.now()}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(label, [`could not be loaded: ${message}`]);
  }
  if (mod.default === undefined) {
    throw new ConfigError(label, ['expected a default export: export default defineApi({ ... })']);
  }
  return resolveConfig(mod.default, file);
}
