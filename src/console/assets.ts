/**
 * A console page: `web/index.html` as is, and `web/main.ts` (with uPlot and the stylesheets it
 * imports) bundled by esbuild in memory, once, the first time the page is asked for. Nothing is
 * written to disk. `gantry federate`'s page (web/federation.html) is served the same way.
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

/** A page of the console: its HTML file and the script bundled beside it (as `/assets/NAME.js`). */
export interface ConsolePage {
  html: string;
  script: string;
  /** The bundle's name under /assets/. */
  name: string;
}

/** The dashboard `gantry dev` serves. */
const DASHBOARD: ConsolePage = { html: 'index.html', script: 'main.ts', name: 'app' };

async function build(page: ConsolePage): Promise<Map<string, Asset>> {
  const { build: esbuild } = await import('esbuild');
  const result = await esbuild({
    entryPoints: [fileURLToPath(new URL(page.script, WEB))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: '/assets',
    entryNames: page.name,
    logLevel: 'silent',
  }).catch((error: Error) => {
    throw new AssetBuildError(`console: could not bundle web/${page.script}: ${error.message}`);
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const contentType = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    assets.set(`/assets/${name}`, { body: Buffer.from(file.contents), contentType });
  }
  const html = await readFile(new URL(page.html, WEB));
  assets.set('/', { body: html, contentType: 'text/html; charset=utf-8' });
  // Browsers ask for /favicon.ico whatever the page links: both paths answer, never a 404 in the console.
  const icon = { body: await readFile(new URL('favicon.svg', WEB)), contentType: 'image/svg+xml' };
  assets.set('/favicon.svg', icon);
  assets.set('/favicon.ico', icon);
  return assets;
}

/** Bundles on first call; later calls share the same result. */
export function createAssetCache(page: ConsolePage = DASHBOARD) {
  let pending: Promise<Map<string, Asset>> | undefined;
  return {
    get(path: string): Promise<Asset | undefined> {
      pending ??= build(page).catch((error) => {
        pending = undefined;
        throw error;
      });
      return pending.then((assets) => assets.get(path));
    },
  };
}
