/**
 * Hot reload of `api.config.ts` under `gantry dev`. An edited config is loaded and validated, and its
 * functions bundled, while the current server keeps serving; only then does the current server drain
 * and the new one take over the same ports and the same store (so in-memory items survive). A config
 * that does not validate or build is reported and the previous one keeps serving.
 *
 * Only the config file itself is re-imported: modules it imports stay as first loaded (Node keeps one
 * instance of each), so editing those needs a restart.
 */
import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConfigError, loadConfig } from '../config/index.ts';
import { RuntimeStartError } from '../runtime/index.ts';
import { type DevServer, type DevServerOptions, type PreparedDevServer, prepareDevServer } from './dev-server.ts';

export interface ConfigReloaderOptions {
  /** Absolute path of the config file the server runs. */
  file: string;
  /** configDigest(file) taken before the running config was loaded: an edit saved during startup is not missed. */
  loadedDigest: string | undefined;
  server: DevServer;
  /** The options the server started with; ports are taken from the running server. */
  options: DevServerOptions;
  /** The new server answers. */
  onReload(server: DevServer): void;
  /** The edit was not applied (invalid config, a handler that does not build); the previous config serves. */
  onRejected(message: string): void;
  /** Something else the user should know: watching stopped, an old server did not stop cleanly. */
  onProblem(message: string): void;
  /** The old server stopped but the new one could not listen: nothing serves any more. */
  onFailed(error: Error): void;
}

export interface ConfigReloader {
  /** The server answering now. */
  readonly server: DevServer;
  /** Stops watching; resolves once a reload under way has finished (or been discarded). */
  close(): Promise<void>;
  /** Resolves once the servers of earlier configs have drained their in-flight requests. */
  drained(): Promise<void>;
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

export function watchConfig(options: ConfigReloaderOptions): ConfigReloader {
  const { file } = options;
  let server = options.server;
  let applied = options.loadedDigest;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const draining = new Set<Promise<void>>();
  const drain = (old: DevServer) => {
    const done: Promise<void> = old.close().then(
      () => {
        draining.delete(done);
      },
      (error: Error) => {
        draining.delete(done);
        options.onProblem(`the previous config's server did not stop cleanly: ${error.message}`);
      },
    );
    draining.add(done);
  };

  const reload = async (): Promise<void> => {
    const seen = configDigest(file);
    if (closed || seen === undefined || seen === applied) return;
    let prepared: PreparedDevServer;
    try {
      const config = await loadConfig(file);
      prepared = await prepareDevServer(config, {
        ...options.options,
        host: server.host,
        port: server.port,
        consolePort: options.options.consolePort === false ? false : (server.consolePort ?? false),
        store: server.store,
      });
    } catch (error) {
      // `applied` stays: the same bytes are tried again on the next save (a handler file fixed meanwhile).
      if (error instanceof ConfigError || error instanceof RuntimeStartError) options.onRejected(error.message);
      else options.onRejected(`${basename(file)}: could not be applied: ${(error as Error).message}`);
      return;
    }
    if (closed) {
      await prepared.discard();
      return;
    }
    // The old server lets go of its ports, the new one takes them, then the old one drains in the
    // background: a long request in flight does not hold the new config back.
    const old = server;
    await old.stopAccepting();
    try {
      server = await prepared.listen();
    } catch (error) {
      await old.close();
      options.onFailed(error as Error);
      return;
    }
    applied = seen;
    drain(old);
    options.onReload(server);
  };

  const schedule = (): void => {
    running = running.then(reload).catch((error: Error) => {
      options.onProblem(`${basename(file)}: reload failed: ${error.message}`);
    });
  };

  // The directory, not the file: an editor's atomic save replaces the file, and a watch on the old
  // inode would go quiet after the first save.
  const watcher: FSWatcher = watch(dirname(file), (_event, name) => {
    if (name !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(schedule, SETTLE_MS);
  });
  watcher.on('error', (error) => {
    watcher.close();
    options.onProblem(`stopped watching ${file} (${error.message}): restart gantry dev to apply config edits`);
  });

  return {
    get server() {
      return server;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
      await running;
    },
    async drained() {
      await Promise.all(draining);
    },
  };
}
