/**
 * Source-mapped stack traces for a bundle compiled through `vm` (load-bundle.ts). Node maps the frames
 * of files its own loaders compiled (`process.setSourceMapsEnabled`) but not of `vm` modules, so
 * frames in the bundle are mapped here, in the format Node's own mapping writes
 * (`at handler (/project/src/orders.ts:14:9)`). The map is read and parsed at the first error only:
 * most environments never format a stack.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

let bundleFile = '';
let mapFile = '';
let map: SourceMap | null | undefined;

export function mapStackTraces(bundle: string, sourceMap: string): void {
  bundleFile = bundle;
  mapFile = sourceMap;
  // Node consults Error.prepareStackTrace first; a handler that sets its own replaces this, as it
  // replaces Node's mapping.
  Error.prepareStackTrace = prepareStackTrace;
}

function sourceMap(): SourceMap | null {
  if (map !== undefined) return map;
  try {
    const payload = JSON.parse(readFileSync(mapFile, 'utf8'));
    const base = pathToFileURL(mapFile);
    payload.sources = (payload.sources as string[]).map((s) => new URL(s, base).href);
    map = new SourceMap(payload);
  } catch {
    map = null;
  }
  return map;
}

function prepareStackTrace(error: Error, trace: NodeJS.CallSite[]): string {
  let head: string;
  try {
    head = Error.prototype.toString.call(error);
  } catch {
    head = '<error>';
  }
  if (trace.length === 0) return head;
  let out = head;
  for (const site of trace) out += `\n    at ${frame(site)}`;
  return out;
}

const bundleUrl = () => pathToFileURL(bundleFile).href;

function frame(site: NodeJS.CallSite): string {
  const file = site.getFileName();
  if (!file || (file !== bundleFile && file !== bundleUrl())) return String(site);
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  const sm = line !== null && column !== null ? sourceMap() : null;
  if (!sm || line === null || column === null) return String(site);
  const entry = sm.findEntry(line - 1, column - 1) as {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
  };
  if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) {
    return String(site);
  }
  const source = entry.originalSource.startsWith('file://')
    ? fileURLToPath(entry.originalSource)
    : entry.originalSource;
  const where = `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const typeName = site.getTypeName();
  const name = site.getFunctionName() ?? site.getMethodName();
  const prefix = typeName !== null && typeName !== 'global' ? `${typeName}.` : '';
  const async = site.isAsync?.() ? 'async ' : '';
  return `${async}${prefix}${name || '<anonymous>'} (${where})`;
}
