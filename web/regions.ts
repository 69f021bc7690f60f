/**
 * A two-region gantry dev: both regions side by side (status, health, what the global endpoint
 * serves, traffic, replication), read from `/api/regions` every second. Only started for two regions
 * (the overview's `twoRegions`), so a single-region console asks for nothing it cannot have.
 */
import type { RegionsView } from '../src/console/api-types.ts';
import { count, h, ms, pct } from './dom.ts';

function card(view: RegionsView, r: RegionsView['regions'][number]): HTMLElement {
  const serving = view.routing.serving.includes(r.region);
  const state = r.status === 'down' ? 'down' : r.healthy ? 'healthy' : 'unhealthy';
  return h(
    'div',
    { class: 'region', 'data-state': state, 'data-serving': String(serving) },
    h(
      'h3',
      {},
      r.region,
      ' ',
      h(
        'small',
        {},
        r.role ??
          (r.weight !== undefined ? `weight ${r.weight}` : r.latencyMs !== undefined ? `${r.latencyMs} ms away` : ''),
      ),
    ),
    h(
      'p',
      { class: 'region-state' },
      r.status === 'down' ? 'DOWN' : r.healthy ? 'healthy' : 'unhealthy',
      serving ? ' · serving' : '',
    ),
    h(
      'dl',
      {},
      h('dt', {}, 'requests/s'),
      h('dd', {}, count(r.signals?.requestsPerSecond ?? 0)),
      h('dt', {}, 'p99'),
      h('dd', {}, ms(r.signals?.latencyP99)),
      h('dt', {}, '5xx'),
      h('dd', {}, pct(r.signals?.serverErrorRate)),
      h('dt', {}, 'replication lag'),
      h('dd', {}, `${count(r.replicationLagMs)} ms (${r.pendingIn} pending)`),
      h('dt', {}, 'not yet elsewhere'),
      h('dd', {}, String(r.pendingOut)),
      h('dt', {}, 'last probe'),
      h('dd', {}, r.healthCheck?.lastReason ?? (r.healthCheck?.lastStatus ? `HTTP ${r.healthCheck.lastStatus}` : '–')),
    ),
    h('p', { class: 'region-url' }, r.url),
  );
}

export function watchRegions(): void {
  const panel = document.getElementById('regions')!;
  const list = document.getElementById('region-list')!;
  const routing = document.getElementById('region-routing')!;
  const poll = async () => {
    try {
      const response = await fetch('/api/regions');
      if (response.ok) {
        const view = (await response.json()) as RegionsView;
        panel.hidden = false;
        routing.textContent = `${view.routing.policy} · global ${view.url ?? ''} → ${view.routing.serving.join(', ')}${view.routing.lastResort ? ' (no region healthy)' : ''}`;
        list.replaceChildren(...view.regions.map((r) => card(view, r)));
      }
    } catch {
      // gantry dev restarting: the next tick tries again
    }
    setTimeout(poll, 1000);
  };
  void poll();
}
