/** Starts a real `gantry dev` (the CLI's own composition) on a free loopback port for a conformance test. */
import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig, type ResolvedConfig } from '../../src/config/index.ts';

export const CONFORMANCE_CONFIG = fileURLToPath(new URL('../fixtures/conformance/api.config.ts', import.meta.url));

export async function startConformance(
  adjust?: (config: ResolvedConfig) => void,
  file = CONFORMANCE_CONFIG,
): Promise<DevServer> {
  const config = await loadConfig(file);
  adjust?.(config);
  return startDevServer(config, { port: 0, storePort: 0, dataDir: null, watch: false });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export async function call(url: string, init?: RequestInit): Promise<Answer> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  return { status: response.status, headers: response.headers, text, bytes, json: () => JSON.parse(text) };
}

/** The event the echo function received. */
// biome-ignore lint/suspicious/noExplicitAny: events are asserted field by field; a precise type adds nothing here
export async function echoed(url: string, init?: RequestInit): Promise<Record<string, any>> {
  const answer = await call(url, init);
  if (answer.status !== 200) throw new Error(`expected 200 from ${url}, got ${answer.status}: ${answer.text}`);
  // biome-ignore lint/suspicious/noExplicitAny: as above
  return answer.json<{ event: Record<string, any> }>().event;
}

/** The authorizer conformance API (JWT and Lambda authorizers). */
export const AUTHORIZERS_CONFIG = fileURLToPath(new URL('../fixtures/authorizers/api.config.ts', import.meta.url));
