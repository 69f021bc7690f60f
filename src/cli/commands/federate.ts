import { consolePortFor, httpOrigin, loadConfig } from '../../config/index.ts';
import { createFederationConsole } from '../../console/index.ts';
import { createGlobalEndpoint, EndpointRouter, federationRouterOptions } from '../../traffic/index.ts';
import { intFlag, parseFlags, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { federationConsoleView, formatFederationView } from '../federation-view.ts';

export const DEFAULT_FEDERATE_PORT = 3100;

const usage = `Usage: gantry federate [--port ${DEFAULT_FEDERATE_PORT}] [flags]

Runs the config's \`federation\` locally: one entry point that forwards each request to one of the
endpoints (your API on several clouds, or several \`gantry dev\`), steered by failover, weight or
latency, with HTTP health checks (interval, timeout, failure threshold). When no endpoint is healthy
every endpoint is served (Route 53, Traffic Manager), or the \`fallback\` one. A live view in the
terminal, and a console page in the browser (updated every second), show each endpoint's health, the
policy, which endpoint is serving, each endpoint's share of the requests and its last probe.

Flags:
  --config PATH      api.config.ts (default ./api.config.ts)
  --port N           the entry point's port (default ${DEFAULT_FEDERATE_PORT}; 0 = any free port)
  --host ADDR        the entry point's address (default 127.0.0.1)
  --console-port N   the console page's port (default port + 1; 0 = any free port); JSON at /api/federation
  --no-console       no console page
  --interval-ms N    probe every N ms instead of federation.healthCheck.intervalSeconds
  --no-live          print health changes as lines instead of redrawing the view (default when not a TTY)

Example:
  gantry dev --port 4600 & gantry dev --port 4610 &   (two stand-ins for two clouds)
  gantry federate --port 4690          (console page on http://127.0.0.1:4691/)
Docs: docs/federation.md`;

export const command: Command = {
  name: 'federate',
  summary: 'one entry point across the API’s deployments on several clouds: failover, weighted or latency',
  usage,
  async run(args) {
    const { values } = parseFlags(
      args,
      {
        config: { type: 'string', default: 'api.config.ts' },
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'console-port': { type: 'string' },
        'no-console': { type: 'boolean', default: false },
        'interval-ms': { type: 'string' },
        'no-live': { type: 'boolean', default: false },
      },
      usage,
    );
    const config = await loadConfig(values.config);
    if (!config.federation)
      throw new UsageError(
        'the config has no `federation` section (endpoints to route between); see docs/federation.md',
      );
    const port = intFlag(values.port, 'port', DEFAULT_FEDERATE_PORT);
    const consolePort = values['no-console']
      ? false
      : intFlag(values['console-port'], 'console-port', port === 0 ? 0 : consolePortFor(port));
    const intervalMs =
      values['interval-ms'] === undefined ? undefined : intFlag(values['interval-ms'], 'interval-ms', 0, 10, 3_600_000);
    const router = new EndpointRouter(federationRouterOptions(config.federation, { intervalMs }));
    const entry = createGlobalEndpoint({ router, unreachable: { status: 502 } });
    const address = await entry.listen(port, values.host);
    const url = httpOrigin(address.host, address.port);
    const live = process.stdout.isTTY === true && !values['no-live'];
    const events: string[] = [];
    const note = (line: string) => {
      const stamped = `${new Date().toISOString().slice(11, 19)} ${line}`;
      events.push(stamped);
      if (events.length > 100) events.shift(); // the views show the last few; a long run must not grow
      if (!live) console.log(stamped);
    };
    router.checker?.onChange((c) =>
      note(`${c.endpoint} is now ${c.healthy ? 'healthy' : 'UNHEALTHY'} (probe ${c.sequence})`),
    );
    router.onServingChange((c) =>
      note(`serving ${c.serving.join(', ')}${c.lastResort ? ' (no endpoint healthy: last resort)' : ''}`),
    );
    const page =
      consolePort === false ? undefined : createFederationConsole(() => federationConsoleView(router, url, events));
    const pageUrl = await page?.listen(consolePort as number, values.host).then(
      (a) => a.url,
      async (error: Error) => {
        await entry.close();
        throw new UsageError(
          `console port ${consolePort}: ${error.message} (choose another with --console-port, or --no-console)`,
        );
      },
    );
    router.start();
    const footer = pageUrl ? `\n\n  console ${pageUrl}/` : '';
    const draw = () =>
      process.stdout.write(`\x1b[H\x1b[2J${formatFederationView(router.snapshot(), url, events)}${footer}\n`);
    const timer = live ? setInterval(draw, 500) : undefined;
    if (!live)
      console.log(
        `gantry federate: ${url} → ${config.federation.endpoints.map((e) => `${e.id} ${e.url}`).join(', ')} (steering ${config.federation.steering})${pageUrl ? `; console ${pageUrl}/` : ''}`,
      );
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    clearInterval(timer);
    if (live) draw();
    await page?.close();
    await router.stop();
    await entry.close();
    return 0;
  },
};
