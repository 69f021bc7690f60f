import { parseArgs } from 'node:util';

export type FlagSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }
>;

/** Parses flags with node:util, turning its errors into one line a user can act on. */
export function parseFlags<T extends FlagSpec>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A whole number within bounds, or a UsageError naming the flag. */
export function intFlag(value: string | undefined, flag: string, fallback: number, min = 0, max = 65535): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag}: expected a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
