/**
 * Node's built-in modules the function's bundle imports, loaded by the sandbox before its function is
 * named (sandbox.ts): they are Node's own code, shared by every function, as much part of the runtime
 * as the modules Lambda's runtime client loads before any init. Only modules whose loading has no
 * effect a handler could see: no experimental ones (they warn when loaded), none that start anything.
 * The same for the lazily defined globals the bundle names (LAZY_GLOBALS): reading one loads its
 * modules, which a handler sees only as a first use that is no slower than the next.
 */
import { createRequire } from 'node:module';
import { LAZY_GLOBALS } from '../protocol.ts';

const PRELOADABLE = new Set([
  'assert',
  'async_hooks',
  'buffer',
  'crypto',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'querystring',
  'stream',
  'stream/promises',
  'string_decoder',
  'timers',
  'tls',
  'url',
  'util',
  'zlib',
]);

/** A built-in module's name without its `node:` scheme, as a bundle may import it either way. */
export function bareBuiltin(name: string): string {
  return name.startsWith('node:') ? name.slice(5) : name;
}

export function preloadBuiltins(names: readonly string[]): void {
  const require = createRequire(import.meta.url);
  for (const name of names) {
    const bare = bareBuiltin(name);
    if (PRELOADABLE.has(bare)) require(`node:${bare}`);
    else if (LAZY_GLOBALS.includes(name)) void (globalThis as Record<string, unknown>)[name];
  }
}
