/** What `gantry dev` prints when a config starts serving: routes, URLs, the store, and what it does not apply. */
import { DEPLOYED_LAMBDA_RUNTIME, httpOrigin } from '../config/index.ts';
import type { RegionalDev } from './dev-regions.ts';
import type { DevServer } from './dev-server.ts';
import { paint, warningBlock } from './terminal.ts';

/** `nodejs24.x`, or `nodejs22.x (orders), nodejs24.x (health)` when functions differ. */
function deployedRuntimes(functions: DevServer['config']['functions']): string {
  const byRuntime = new Map<string, string[]>();
  for (const fn of Object.values(functions)) byRuntime.set(fn.runtime, [...(byRuntime.get(fn.runtime) ?? []), fn.name]);
  if (byRuntime.size <= 1) return [...byRuntime.keys()][0] ?? DEPLOYED_LAMBDA_RUNTIME;
  return [...byRuntime].map(([runtime, names]) => `${runtime} (${names.join(', ')})`).join(', ');
}

function routeLinesOf(server: DevServer, base: string): string[] {
  const { config } = server;
  const width = Math.max(...config.routes.map((r) => r.routeKey.length));
  return config.routes.map((route) => {
    const target =
      route.integration.type === 'lambda'
        ? `λ ${route.integration.functionName}${route.integration.payloadFormatVersion === '1.0' ? ' (payload 1.0)' : ''}`
        : `→ ${route.integration.url}`;
    const path = route.path ? `${base}${route.path}` : `${base}/*`;
    return `  ${paint('bold', route.routeKey.padEnd(width))}  ${target.padEnd(24)} ${paint('dim', path)}`;
  });
}

/** Where other local services find the keys that verify `gantry token`'s tokens. */
function issuerLinesOf(server: DevServer): string[] {
  return server.issuers.map(
    (i) => `  issuer    ${paint('underline', i.discoveryUrl)}  ${paint('dim', `(${i.authorizer}: iss ${i.issuer})`)}`,
  );
}

/** Two regions: the global endpoint first (what clients call), then each region's own endpoint and store. */
export function announceRegions(dev: RegionalDev): void {
  const [primary] = dev.servers;
  const { config } = dev;
  const { routing, healthCheck } = config.regions;
  const policy =
    routing.policy === 'weighted'
      ? `weighted ${dev.regions.map((r) => `${r} ${routing.weights[r]}`).join(' / ')}`
      : routing.policy === 'latency'
        ? `latency, clients ${dev.regions.map((r) => `${routing.latencyMs[r]} ms from ${r}`).join(' / ')} (local.regionLatencyMs)`
        : `failover, primary ${dev.regions[0]}`;
  const tables = primary.tables.map((t) => `${t.tableName} (${t.action})`).join(', ') || 'none';
  const lines = [
    '',
    `${paint(['bold', 'green'], 'gantry dev')} ${paint('bold', config.name)}  api id ${config.apiId}, stage ${config.stage.name}, two regions`,
    '',
    ...routeLinesOf(primary, dev.url),
    '',
    `  API       ${paint('underline', dev.url)}   global endpoint: Route 53 ${policy}`,
    ...dev.regions.map(
      (region, i) =>
        `  ${region.padEnd(9)} ${paint('underline', dev.servers[i].url)}   store ${dev.stores[i].endpoint}`,
    ),
    `  health    GET ${healthCheck.path} every ${config.local.healthCheckIntervalSeconds} s here (${healthCheck.intervalSeconds} s in AWS), ${healthCheck.failureThreshold} failures flip a region (probe invocations not printed)`,
    `  tables    ${tables}: global tables, replicated after ${config.local.replicationLagMs} ms`,
    ...(primary.consoleUrl ? [`  console   ${paint('underline', primary.consoleUrl)}`] : []),
    ...issuerLinesOf(primary),
    `  runtime   handlers run on Node ${process.version} here; gantry deploy uses ${deployedRuntimes(config.functions)}`,
    `  outage    gantry region down ${dev.regions[0]}   ·   gantry drill failover`,
    '',
  ];
  console.log(lines.join('\n'));
  console.log(`${warningBlock('Configured, but not applied by gantry dev', primary.warnings)}\n`);
}

function banner(server: DevServer, consoleUrl: string | undefined): string {
  const { config } = server;
  const origin = httpOrigin(server.host, server.port);
  const tables = server.tables.map((t) => `${t.tableName} (${t.action})`).join(', ') || 'none';
  return [
    '',
    `${paint(['bold', 'green'], 'gantry dev')} ${paint('bold', config.name)}  api id ${config.apiId}, stage ${config.stage.name}`,
    '',
    ...routeLinesOf(server, server.url),
    '',
    `  API       ${paint('underline', server.url)}   (${origin})`,
    ...(consoleUrl ? [`  console   ${paint('underline', consoleUrl)}`] : []),
    ...issuerLinesOf(server),
    `  store     ${server.store.endpoint}  tables: ${tables}`,
    `  runtime   handlers run on Node ${process.version} here; gantry deploy uses ${deployedRuntimes(config.functions)}`,
    '',
  ].join('\n');
}

/** The banner, and loudly what the config asks for that gantry dev does not apply. */
export function announce(server: DevServer): void {
  console.log(banner(server, server.consoleUrl));
  if (server.warnings.length)
    console.log(`${warningBlock('Configured, but not applied by gantry dev', server.warnings)}\n`);
}
