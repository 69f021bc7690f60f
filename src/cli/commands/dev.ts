import { basename } from 'node:path';
import { loadConfig } from '../../config/index.ts';
import { instanceFields, writeInstance } from '../../console/index.ts';
import { DataDirInUseError, type Store } from '../../store/index.ts';
import type { Command } from '../command.ts';
import { type ConfigReloader, configDigest, type Reloadable, watchConfig } from '../config-reload.ts';
import { announce, announceRegions } from '../dev-banner.ts';
import { devUsage, parseDevFlags } from '../dev-flags.ts';
import { PortInUseError } from '../dev-ports.ts';
import { startRegionalDev } from '../dev-regions.ts';
import { type DevServer, type DevServerOptions, startDevServer } from '../dev-server.ts';
import { untilStopped } from '../dev-shutdown.ts';
import { defaultDataDir, startDevStore } from '../dev-store.ts';
import { paint } from '../terminal.ts';

export const command: Command = {
  name: 'dev',
  summary: 'run the API locally: gateway, Lambda runtime, store, console',
  usage: devUsage,
  async run(args) {
    const flags = parseDevFlags(args);
    const loadedDigest = configDigest(flags.configFile);
    const config = await loadConfig(flags.configFile);
    if (config.regions.secondary) {
      let dev: Awaited<ReturnType<typeof startRegionalDev>>;
      // Health checks invoke the health route's function every second in each region: its lines
      // would bury everything else (gantry logs still has them).
      const probed = config.routes.find((r) => r.method === 'GET' && r.path === config.regions.healthCheck.path);
      const probedFunction = probed?.integration.type === 'lambda' ? probed.integration.functionName : undefined;
      const regions = [config.regions.primary, config.regions.secondary];
      const width = Math.max(...regions.map((r) => r.length));
      // Every line a region prints starts with its name: both regions run the same functions.
      const serverOf = (region: string): DevServerOptions => {
        const options = flags.labelled(region.padEnd(width));
        const onLog = options.observer?.onLog;
        if (!onLog) return options;
        return {
          ...options,
          observer: {
            ...options.observer,
            onLog: (event) => {
              if (event.functionName !== probedFunction) onLog(event);
            },
          },
        };
      };
      try {
        dev = await startRegionalDev(config, {
          port: flags.options.port ?? 0,
          host: flags.options.host ?? '127.0.0.1',
          storePort: flags.storePort,
          dataDir: flags.dataDir,
          server: serverOf,
        });
      } catch (error) {
        if (!(error instanceof PortInUseError || error instanceof DataDirInUseError)) throw error;
        console.error(`gantry dev: ${error.message}`);
        return 1;
      }
      announceRegions(dev);
      const regionalFields = () => ({
        ...instanceFields({ ...dev.servers[0], port: dev.port, host: dev.host }),
        regions: Object.fromEntries(
          dev.regions.map((region, i) => [region, { api: dev.servers[i].port, store: dev.stores[i].port }]),
        ),
      });
      const instance = writeInstance(regionalFields());
      const regionalReloader = flags.watch
        ? watchInTerminal(config.file, loadedDigest, dev, 'in both regions', () => {
            announceRegions(dev);
            instance.update(regionalFields());
          })
        : undefined;
      return untilStopped({
        server: dev,
        reloader: regionalReloader,
        store: { close: async () => {} },
        onStopping: instance.remove,
      });
    }

    // The store outlives config reloads (its items with it, in memory too); it closes last.
    let store: Store | undefined;
    let server: DevServer;
    try {
      store = await startDevStore(config, {
        storePort: flags.storePort,
        dataDir: flags.dataDir === undefined ? defaultDataDir(config) : flags.dataDir,
      });
      server = await startDevServer(config, { ...flags.options, store });
    } catch (error) {
      await store?.close();
      if (!(error instanceof PortInUseError || error instanceof DataDirInUseError)) throw error;
      console.error(`gantry dev: ${error.message}`);
      return 1;
    }
    announce(server);
    // How `gantry logs`, `cost`, `load`, `invoke`, `token` find this run: removed when it stops.
    const instance = writeInstance(instanceFields(server));

    const reloader: ConfigReloader | undefined = flags.watch
      ? watchInTerminal(config.file, loadedDigest, server, '', (next) => {
          announce(next);
          instance.update(instanceFields(next));
        })
      : undefined;
    return untilStopped({ server, reloader, store, onStopping: instance.remove });
  },
};

/** Hot reload of the config, told in the terminal: applied (then `reannounce`), refused, or stopped. */
function watchInTerminal<Server extends Reloadable>(
  file: string,
  loadedDigest: string | undefined,
  server: Server,
  where: string,
  reannounce: (server: Server) => void,
): ConfigReloader {
  const name = basename(file);
  return watchConfig({
    file,
    loadedDigest,
    server,
    onReload: (next) => {
      console.log(
        paint(
          'green',
          `↻ ${name} reloaded${where ? ` ${where}` : ''}: routes, functions and tables as now written; metrics kept`,
        ),
      );
      reannounce(next);
    },
    onRejected: (message) =>
      console.log(paint('red', `✗ ${name} not applied, still serving the previous config\n${message}`)),
    onProblem: (message) => console.error(paint('red', `gantry dev: ${message}`)),
  });
}
