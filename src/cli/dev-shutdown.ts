/**
 * How `gantry dev` stops: on SIGINT/SIGTERM new connections are refused at once, a reload under way is
 * let finish (or discarded), then the server drains (runtimes of earlier configs included), and the
 * store closes last. A second signal exits at once, with 130 as shells expect after Ctrl-C.
 *
 * Not close-with-grace: it owns process.exit (exit 1 on a second signal, a fixed deadline, and
 * `beforeExit`/`uncaughtException` hooks on the whole process), while gantry dev's drain is bounded by
 * the routes' own integration timeouts and `run()` hands its exit code back to the CLI.
 */
import type { Store } from '../store/index.ts';
import type { ConfigReloader } from './config-reload.ts';
import type { DevServer } from './dev-server.ts';

export interface DevSession {
  /** The server (for two regions: both regions and the global endpoint); a config reload swaps what it serves in place. */
  server: Pick<DevServer, 'stopAccepting' | 'close'>;
  reloader: ConfigReloader | undefined;
  /** Outlives every config's server: closed last. */
  store: Pick<Store, 'close'>;
  /** Called once, as stopping begins (gantry dev's state file goes first, so no command finds a server that is leaving). */
  onStopping?: () => void;
}

/** Waits for a signal, stops the session in order, and resolves with the exit code. */
export function untilStopped(session: DevSession): Promise<number> {
  const { server, reloader, store } = session;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      session.onStopping?.();
      const accepting = server.stopAccepting();
      await reloader?.close();
      await accepting;
      try {
        await server.close();
      } finally {
        await store.close();
      }
    })();
    return stopping;
  };
  return new Promise<number>((resolve) => {
    let signals = 0;
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
}
