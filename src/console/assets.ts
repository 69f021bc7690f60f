/**
 * The dashboard page: `web/index.html` as is, and `web/main.ts` (with uPlot and the stylesheets it
 * imports) bundled by esbuild in memory, once, the first time the page is asked for. Nothing is
 * written to disk.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  contentType: string;
}

const WEB = new URL('../../web/', import.meta.url);

export class AssetBuildError extends Error {
  override name = 'AssetBuildError';
}

async function build(): Promise<Map<string, Asset>> {
  const { build: esbuild } = await import('esbuild');
  const result = await esbuild({
    entryPoints: [fileURLToPath(new URL('main.ts', WEB))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: '/assets',
    entryNames: 'app',
    logLevel: 'silent',
  }).catch((error: Error) => {
    throw new AssetBuildError(`console: could not bundle web/main.ts: ${error.message}`);
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const contentType = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    assets.set(`/assets/${name}`, { body: Buffer.from(file.contents), contentType });
  }
  const html = await readFile(new URL('index.html', WEB));
  assets.set('/', { body: html, contentType: 'text/html; charset=utf-8' });
  // Browsers ask for /favicon.ico whatever the page links: both paths answer, never a 404 in the console.
  const icon = { body: await readFile(new URL('favicon.svg', WEB)), contentType: 'image/svg+xml' };
  assets.set('/favicon.svg', icon);
  assets.set('/favicon.ico', icon);
  return assets;
}

/** Bundles on first call; later calls share the same result. */
export function createAssetCache() {
  let pending: Promise<Map<string, Asset>> | undefined;
  return {
    get(path: string): Promise<Asset | undefined> {
      pending ??= build().catch((error) => {
        pending = undefined;
        throw error;
      });
      return pending.then((assets) => assets.get(path));
    },
  };
}
