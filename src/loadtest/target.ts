/** Where the load goes: the local `gantry dev` described by the config, or any URL (a deployed stage). */
import { consolePortFor, DEFAULT_DEV_PORT, type ResolvedConfig, stageBasePath } from '../config/index.ts';

export { DEFAULT_DEV_PORT };

export interface Target {
  /** Request paths are appended to this: `http://127.0.0.1:3000/api`. */
  baseUrl: string;
  /** gantry dev's console (its port + 1), when the target is local. */
  consoleUrl?: string;
}

/** `http://127.0.0.1:{port}` plus `/{stage}` unless the stage is `$default`, as `gantry dev` serves it. */
export function localTarget(config: Pick<ResolvedConfig, 'stage'>, port = DEFAULT_DEV_PORT): Target {
  return {
    baseUrl: `http://127.0.0.1:${port}${stageBasePath(config.stage.name)}`,
    consoleUrl: `http://127.0.0.1:${consolePortFor(port)}`,
  };
}

/** A target given as a URL; its console is guessed only on loopback (a deployed stage has none). */
export function urlTarget(url: string): Target {
  const parsed = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  return {
    baseUrl: url.replace(/\/+$/, ''),
    consoleUrl: loopback ? `${parsed.protocol}//${parsed.hostname}:${consolePortFor(port)}` : undefined,
  };
}
