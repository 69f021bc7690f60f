/**
 * How `gantry dev` stops: on SIGINT/SIGTERM new connections are refused at once, a reload under way is
 * let finish (or discarded), then the current server and those of earlier configs drain together,
 * and the store closes last. A second signal exits at once.
 */
import type { Store } from '../store/index.ts';
import type { ConfigReloader } from './config-reload.ts';
import type { DevServer } from './dev-server.ts';

export interface DevSession {
  /** The server of the config that started (for two regions: both regions and the global endpoint). */
  server: Pick<DevServer, 'stopAccepting' | 'close'>;
  reloader: ConfigReloader | undefined;
  /** Outlives every config's server: closed last. */
  store: Pick<Store, 'close'>;
  /** Called once, as stopping begins (gantry dev's state file goes first, so no command finds a server that is leaving). */
  onStopping?: () => void;
}

export interface DevLifetime {
  /** Resolves with the exit code once gantry dev has stopped. */
  readonly exitCode: Promise<number>;
  /** Stops everything (as a signal would, without its messages) and exits with `code`. */
  fail(code: number): void;
}

/** Waits for a signal (or fail()) and stops the session in order. */
export function untilStopped(session: DevSession): DevLifetime {
  const { reloader, store } = session;
  const current = () => reloader?.server ?? session.server;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      session.onStopping?.();
      const accepting = current().stopAccepting();
      await reloader?.close();
      await accepting;
      try {
        await Promise.all([current().close(), reloader?.drained()]);
      } finally {
        await store.close();
      }
    })();
    return stopping;
  };
  let fail: (code: number) => void = () => {};
  const exitCode = new Promise<number>((resolve) => {
    let signals = 0;
    fail = (code) => {
      stop().finally(() => resolve(code));
    };
    const shutdown = (signal: string) => {
      signals++;
      if (signals > 1) {
        console.error('gantry dev: second signal, exiting now');
        resolve(130);
        process.exit(130);
      }
      // Printed once new connections are already refused (stop() does that before its first await).
      const stopped = stop();
      console.log(`\n${signal}: finishing in-flight requests, stopping environments, flushing the store…`);
      stopped.then(
        () => {
          console.log('gantry dev stopped');
          resolve(0);
        },
        (error: Error) => {
          console.error(`gantry dev: error while stopping: ${error.message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  });
  return { exitCode, fail: (code) => fail(code) };
}
