/**
 * Loads a scenario file: a TypeScript/JavaScript module (`export default { options, steps }` or
 * `export const options` + `export default { steps }`), or JSON of the same shape.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScenarioError } from '../errors.ts';
import type { RunPlan } from '../plan.ts';
import { type ResolveOptions, resolveScenario } from './resolve.ts';

const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** Reads `path` (relative to `cwd`) and validates it; throws ScenarioError naming every problem. */
export async function loadScenarioFile(path: string, options: ResolveOptions, cwd = process.cwd()): Promise<RunPlan> {
  const file = resolve(cwd, path);
  const label = basename(file);
  return resolveScenario(await readScenarioExports(file), label, options);
}

/** The raw `{ options, steps }` of a scenario file, before validation. */
export async function readScenarioExports(file: string): Promise<unknown> {
  const label = basename(file);
  if (file.endsWith('.json')) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ScenarioError(label, [`cannot be read: ${(error as NodeJS.ErrnoException).code ?? error} (${file})`]);
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ScenarioError(label, [`is not valid JSON: ${(error as Error).message}`]);
    }
  }
  if (!MODULE_EXTENSIONS.some((ext) => file.endsWith(ext))) {
    throw new ScenarioError(label, [`expected a .ts, .mts, .js, .mjs or .json scenario file`]);
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (error) {
    // "Cannot find module" about the file itself means a wrong path; about one of its imports, a broken file.
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && !existsSync(file);
    const why = missing ? `file not found: ${file}` : (error as Error).message;
    throw new ScenarioError(label, [`could not be loaded: ${why}`]);
  }
  return mergeExports(mod, label);
}

function mergeExports(mod: Record<string, unknown>, label: string): unknown {
  const main = mod.default;
  if (main !== undefined && (typeof main !== 'object' || main === null || Array.isArray(main))) {
    throw new ScenarioError(label, ['expected the default export to be an object: export default { options, steps }']);
  }
  const merged: Record<string, unknown> = { ...(main as Record<string, unknown> | undefined) };
  if (mod.options !== undefined) merged.options = mod.options;
  if (mod.steps !== undefined && merged.steps === undefined) merged.steps = mod.steps;
  if (Object.keys(merged).length === 0) {
    throw new ScenarioError(label, [
      'expected export default { options, steps } (or export const options + export default { steps })',
    ]);
  }
  return merged;
}
