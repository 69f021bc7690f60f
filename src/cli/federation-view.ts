/**
 * `gantry federate`'s live view: one line per endpoint (health, smoothed probe round trip, requests
 * answered, share of them) under the policy and what it serves now. Pure: the command redraws it.
 */
import type { RouterSnapshot } from '../traffic/index.ts';
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
