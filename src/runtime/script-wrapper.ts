/**
 * How a bundle's script form is compiled, the same text in the code-cache producer and in every
 * environment (V8 accepts a cache only for the exact source it was made from). The wrapper's first
 * line is its own, so line numbers in stack traces are the file's (`lineOffset: -1`).
 */
export const SCRIPT_PARAMETERS = ['exports', 'require', 'module', '__gantryImportMeta'] as const;
export const SCRIPT_PREFIX = `(function (${SCRIPT_PARAMETERS.join(', ')}) {\n`;
export const SCRIPT_SUFFIX = '\n})';
