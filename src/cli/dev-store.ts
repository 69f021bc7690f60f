/** Where `gantry dev`'s embedded store runs and keeps its data. */
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.ts';
import { type Store, StoreThread } from '../store/index.ts';
import { listening } from './dev-ports.ts';

export interface DevStoreOptions {
  /** As DevServerOptions.storePort: 0 picks a free port. */
  storePort?: number;
  /** As DevServerOptions.dataDir: `null` keeps the items in memory. */
  dataDir?: string | null;
  thread?: StoreThread;
}

export function defaultDataDir(config: ResolvedConfig): string {
  return join(config.dir, '.gantry', 'data');
}

/**
 * The embedded store for `config`, served from its own worker thread so its work never delays the
 * gateway's: from `thread` when given (a two-region gantry dev runs both regions' stores in one),
 * else from a thread of its own that ends with it. A port in use becomes a PortInUseError naming
 * --store-port.
 */
export async function startDevStore(config: ResolvedConfig, options: DevStoreOptions = {}): Promise<Store> {
  const storePort = options.storePort ?? 0;
  const thread = options.thread ?? new StoreThread();
  const own = options.thread === undefined;
  try {
    return await listening('store', '--store-port', '127.0.0.1', storePort, () =>
      thread.startStore(
        {
          tables: Object.values(config.tables),
          dataDir: options.dataDir === null ? undefined : (options.dataDir ?? defaultDataDir(config)),
          host: '127.0.0.1',
          port: storePort,
        },
        own ? () => thread.terminate() : undefined,
      ),
    );
  } catch (error) {
    if (own) await thread.terminate();
    throw error;
  }
}
