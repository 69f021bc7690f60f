/**
 * Hot reload of `api.config.ts` under `gantry dev`. An edited config is loaded and validated, and its
 * functions bundled, while the current config keeps serving; then the running server swaps what
 * changed (routes, functions, tables, alarms, budget) and keeps what it has seen: metrics, alarm
 * states, logs, token buckets, the cost meter, open connections and the store's items. A config that
 * does not validate or build is reported and the previous one keeps serving.
 *
 * Only the config file itself is re-imported: modules it imports stay as first loaded (Node keeps one
 * instance of each), so editing those needs a restart.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError, loadConfig, type ResolvedConfig } from '../config/index.ts';
import { RuntimeStartError, SourceWatcher } from '../runtime/index.ts';

/** What serves the config: one region's dev server, or both regions of a two-region gantry dev. */
export interface Reloadable {
  reload(config: ResolvedConfig): Promise<void>;
}

export interface ConfigReloaderOptions<Server extends Reloadable> {
  /** Absolute path of the config file the server runs. */
  file: string;
  /** configDigest(file) taken before the running config was loaded: an edit saved during startup is not missed. */
  loadedDigest: string | undefined;
  server: Server;
  /** The new config is served. */
  onReload(server: Server): void;
  /** The edit was not applied (invalid config, a handler that does not build); the previous config serves. */
  onRejected(message: string): void;
  /** Something else the user should know: watching stopped. */
  onProblem(message: string): void;
}

export interface ConfigReloader {
  /** Stops watching; resolves once a reload under way has finished (or been discarded). */
  close(): Promise<void>;
}

/** Editors save in bursts (write, rename, chmod): one reload per burst. */
const SETTLE_MS = 100;

/** What a reload compares: the file's bytes, so a save without a change (or a touch) does nothing. */
export function configDigest(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined; // mid-save (renamed away): the next event brings it back
  }
}

export function watchConfig<Server extends Reloadable>(options: ConfigReloaderOptions<Server>): ConfigReloader {
  const { file, server } = options;
  let applied = options.loadedDigest;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const reload = async (): Promise<void> => {
    const seen = configDigest(file);
    if (closed || seen === undefined || seen === applied) return;
    try {
      const config = await loadConfig(file);
      if (closed) return;
      await server.reload(config);
    } catch (error) {
      // `applied` stays: the same bytes are tried again on the next save (a handler file fixed meanwhile).
      if (error instanceof ConfigError || error instanceof RuntimeStartError) options.onRejected(error.message);
      else options.onRejected(`${basename(file)}: could not be applied: ${(error as Error).message}`);
      return;
    }
    applied = seen;
    options.onReload(server);
  };

  const schedule = (): void => {
    running = running.then(reload).catch((error: Error) => {
      options.onProblem(`${basename(file)}: reload failed: ${error.message}`);
    });
  };

  // The handlers' watcher, watching one file: debounced, and surviving editors' atomic saves.
  const watcher = new SourceWatcher(schedule, SETTLE_MS, (_folder, error) =>
    options.onProblem(`stopped watching ${file} (${error.message}): restart gantry dev to apply config edits`),
  );
  watcher.update('config', [file]);

  return {
    async close() {
      closed = true;
      watcher.close();
      await running;
    },
  };
}
