/**
 * `gantry federate`'s live view: one line per endpoint (health, smoothed probe round trip, requests
 * answered, share of them) under the policy and what it serves now, for the terminal and for the
 * console page. Pure: the command redraws them.
 */
import type { FederationView } from '../console/index.ts';
import type { EndpointRouter, RouterSnapshot } from '../traffic/index.ts';
import { paint } from './terminal.ts';

export function formatFederationView(snapshot: RouterSnapshot, entry: string, events: readonly string[]): string {
  const total = snapshot.endpoints.reduce((sum, e) => sum + e.answered, 0);
  const width = Math.max(8, ...snapshot.endpoints.map((e) => e.id.length));
  const rows = snapshot.endpoints.map((e) => {
    const state = e.healthy ? paint('green', 'healthy  ') : paint('red', 'UNHEALTHY');
    const serving = snapshot.serving.includes(e.id) ? paint('bold', '◀ serving') : '';
    const latency = e.latencyMs === undefined ? '      -' : `${e.latencyMs.toFixed(1).padStart(6)} ms`;
    const share = total ? `${((100 * e.answered) / total).toFixed(1).padStart(5)} %` : '    - ';
    return `  ${e.id.padEnd(width)}  ${state}  ${latency}  ${String(e.answered).padStart(7)} req  ${share}  probes ${String(e.probes ?? 0).padStart(4)}  ${e.url}  ${serving}`;
  });
  const lastResort = snapshot.lastResort
    ? paint(['bold', 'yellow'], '  no endpoint is healthy: serving the last resort (every endpoint, or the fallback)')
    : '';
  return [
    `gantry federate  ${entry}  steering ${snapshot.policy}`,
    '',
    ...rows,
    ...(lastResort ? ['', lastResort] : []),
    '',
    ...events.slice(-8).map((e) => paint('dim', `  ${e}`)),
  ].join('\n');
}

/** The console's view of the same router (web/federation.html polls it). */
export function federationConsoleView(
  router: EndpointRouter,
  entry: string,
  events: readonly string[],
): FederationView {
  const snapshot = router.snapshot();
  const total = snapshot.endpoints.reduce((sum, e) => sum + e.answered, 0);
  const last = new Map((router.checker?.status() ?? []).map((s) => [s.endpoint, s.last]));
  const settings = router.checker?.settings;
  return {
    url: entry,
    policy: snapshot.policy,
    serving: snapshot.serving,
    lastResort: snapshot.lastResort,
    healthCheck: settings && {
      path: settings.path,
      intervalMs: settings.intervalMs,
      timeoutMs: settings.timeoutMs,
      failureThreshold: settings.failureThreshold,
    },
    endpoints: snapshot.endpoints.map((e) => {
      const probe = last.get(e.id);
      return {
        id: e.id,
        url: e.url,
        healthy: e.healthy,
        latencyMs: e.latencyMs,
        answered: e.answered,
        share: total ? e.answered / total : 0,
        serving: snapshot.serving.includes(e.id),
        probes: e.probes,
        lastProbe: probe && {
          ok: probe.ok,
          status: probe.status,
          reason: probe.reason,
          latencyMs: probe.latencyMs,
          at: probe.at,
        },
      };
    }),
    events: [...events],
  };
}
