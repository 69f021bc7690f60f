import type { z } from 'zod';

/** Renders a field path the way a user would write it: `routes["GET /x"].function`, `functions.orders.memoryMb`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** An invalid config: every problem found, each naming the field, the value and what was expected. */
export class ConfigError extends Error {
  readonly code = 'GANTRY_CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.map((p) => `${file}: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * zod's issues as lines a user can act on: the field path as written, then what was expected;
 * unknown (misspelt) fields named. `unionHint` replaces zod's bare "Invalid input" for a value that
 * matches none of a union's forms.
 */
export function describeZodIssues(error: z.ZodError, unionHint = 'not one of the accepted forms'): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path as (string | number)[]);
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    } else if (issue.code === 'invalid_union' && message === 'Invalid input') {
      message = unionHint;
    } else if (issue.code === 'invalid_key') {
      // zod says "Invalid key in record"; the key's own rule says what a name must look like.
      const key = issue.path.at(-1);
      message = `the name ${JSON.stringify(key)} is not valid: ${issue.issues.map((inner) => inner.message).join('; ')}`;
    }
    return where ? `${where}: ${message}` : message;
  });
}

/** The names a reference could have used, for "unknown X (known: …)" messages. */
export function listKnown(names: string[]): string {
  return names.length ? names.join(', ') : 'none defined';
}
