/**
 * Hot reload of `api.config.ts` on a two-region `gantry dev`: both regions switch to the edited config
 * together, or neither does. Each region builds its functions and creates its new tables first, while
 * the current config serves; only once both are ready does each swap, without awaiting in between,
 * so no request sees one region on the new config and the other on the old one.
 *
 * What the two regions are set up with once (the regions themselves, routing, health checks,
 * replication, the stage in every URL) is not reloaded: an edit to it is refused by name and the
 * running config keeps serving, as a config that does not build is.
 */
import { ConfigError, type ResolvedConfig } from '../config/index.ts';
import type { DevServer, PreparedReload } from './dev-server.ts';

/** The fields set up once for both regions, as `gantry dev` prints them when one changed. */
export function fixedAcrossReload(current: ResolvedConfig, next: ResolvedConfig): string[] {
  const fields: [string, unknown, unknown][] = [
    ['regions', current.regions, next.regions],
    ['stage.name', current.stage.name, next.stage.name],
    ['local.replicationLagMs', current.local.replicationLagMs, next.local.replicationLagMs],
    [
      'local.healthCheckIntervalSeconds',
      current.local.healthCheckIntervalSeconds,
      next.local.healthCheckIntervalSeconds,
    ],
  ];
  return fields.filter(([, was, now]) => JSON.stringify(was) !== JSON.stringify(now)).map(([name]) => name);
}

/** Serves `next` in every region, or (a field fixed at start changed, a function that does not build) in none. */
export async function reloadRegions(
  current: ResolvedConfig,
  next: ResolvedConfig,
  servers: DevServer[],
): Promise<void> {
  const fixed = fixedAcrossReload(current, next);
  if (fixed.length) {
    throw new ConfigError(
      next.file,
      fixed.map(
        (field) =>
          `${field}: changed; a two-region gantry dev sets it up once (stores, global tables, routing, health checks): restart gantry dev to apply it`,
      ),
    );
  }
  const prepared: PreparedReload[] = [];
  try {
    for (const server of servers) prepared.push(await server.prepareReload(next));
  } catch (error) {
    for (const ready of prepared) await ready.discard();
    throw error;
  }
  for (const ready of prepared) ready.commit();
}
