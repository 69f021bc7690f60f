/**
 * Chaos faults on the page: the active ones (and the recently ended) in their own panel, and every
 * fault's window drawn as a band over the charts, so a latency step or an error burst lines up with
 * the fault that caused it.
 */
import type { FaultView } from '../src/console/api-types.ts';
import { h } from './dom.ts';

/** Bands in the charts' time unit (seconds), read by the charts' draw hook. */
export const faultWindows: { from: number; to: number; active: boolean; label: string }[] = [];

function shortParams(fault: FaultView): string {
  return Object.entries(fault.parameters)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

export function renderFaults(faults: FaultView[], now: number): void {
  faultWindows.length = 0;
  for (const f of faults) {
    faultWindows.push({
      from: f.startedAt / 1000,
      to: (f.endedAt ?? Math.min(now, f.endsAt)) / 1000,
      active: f.state === 'active',
      label: f.action.split(':').pop() ?? f.action,
    });
  }
  const panel = document.getElementById('faults')!;
  const list = document.getElementById('fault-list')!;
  const active = faults.filter((f) => f.state === 'active');
  panel.dataset.active = String(active.length);
  if (faults.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, 'No faults. gantry chaos inject starts one.'));
    return;
  }
  list.replaceChildren(
    ...faults
      .slice(0, 8)
      .map((f) =>
        h(
          'li',
          { class: 'fault', 'data-fault': f.id, 'data-state': f.state },
          h(
            'span',
            { class: 'fault-state' },
            f.state === 'active'
              ? `${Math.max(0, Math.ceil((f.endsAt - now) / 1000))}s left`
              : (f.endReason ?? 'ended'),
          ),
          h('b', {}, f.action),
          ` on ${f.targetKind} `,
          h('code', {}, f.target),
          f.region ? ` in ${f.region}` : '',
          f.targetKind === 'region'
            ? ` · connections refused, replication held${f.source ? ` · ${f.source}` : ''}`
            : ` · ${shortParams(f)} · hit ${f.hits} of ${f.seen}${f.source ? ` · ${f.source}` : ''}`,
        ),
      ),
  );
}
