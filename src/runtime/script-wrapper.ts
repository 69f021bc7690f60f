/**
 * How a bundle's script form is compiled, the same text in the code-cache producer and in every
 * environment (V8 accepts a cache only for the exact source it was made from). The wrapper's first
 * line is its own, so line numbers in stack traces are the file's (`lineOffset: -1`).
 */
/** The name of `import.meta` in the script form: the loader passes the bundle's own (worker/load-bundle.ts). */
export const IMPORT_META_PARAMETER = '__gantryImportMeta';
const SCRIPT_PARAMETERS = ['exports', 'require', 'module', IMPORT_META_PARAMETER] as const;
export const SCRIPT_PREFIX = `(function (${SCRIPT_PARAMETERS.join(', ')}) {\n`;
export const SCRIPT_SUFFIX = '\n})';

/**
 * A bundle with top-level await runs in an async function instead, and hands over its module
 * namespace through this parameter once its body, awaits included, has run (bundler.ts).
 */
export const EXPORTS_PARAMETER = '__gantryExports';
const ASYNC_SCRIPT_PREFIX = `(async function (${[...SCRIPT_PARAMETERS, EXPORTS_PARAMETER].join(', ')}) {\n`;

/** The wrapper's first line for a script form, async when the bundle awaits at its top level. */
export function scriptPrefix(async: boolean | undefined): string {
  return async ? ASYNC_SCRIPT_PREFIX : SCRIPT_PREFIX;
}
