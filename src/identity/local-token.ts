/**
 * `gantry token` as a function, for load scenarios and scripts: `await localToken({ config, scopes })`
 * returns what the command prints (same key under `.gantry/`, same claims).
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/index.ts';
import { loadIssuerKey } from './keys.ts';
import { type MintOptions, mintToken } from './mint.ts';

export interface LocalTokenOptions extends MintOptions {
  /** The api.config.ts whose authorizer the token is for (a path or a file: URL). */
  config: string | URL;
}

export async function localToken(options: LocalTokenOptions): Promise<string> {
  const { config: file, ...mint } = options;
  const config = await loadConfig(typeof file === 'string' ? file : fileURLToPath(file));
  return mintToken(config, await loadIssuerKey(config.dir), mint);
}
