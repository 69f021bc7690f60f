/**
 * Makes a bundle's source map name its sources relative to the project rather than to the folder the
 * bundle was written in. The CDK bundles each function inside the cloud assembly directory (`--out`),
 * so esbuild's paths (`../../../src/handler.ts`) changed with that directory, and with them the asset
 * hash: identical code redeployed. In Lambda the map sits in /var/task, so stack traces then read
 * `/var/task/src/handler.ts:12`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export function relocateSourceMap(mapFile: string, projectDir: string): void {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  const from = dirname(resolve(mapFile));
  map.sources = map.sources.map((source) =>
    relative(projectDir, isAbsolute(source) ? source : resolve(from, source))
      .split(sep)
      .join('/'),
  );
  writeFileSync(mapFile, JSON.stringify(map));
}
