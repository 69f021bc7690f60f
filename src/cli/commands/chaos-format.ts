/** Terminal text of `gantry chaos list` and `gantry chaos actions`. */
import { ACTIONS, type ActionSpec } from '../../chaos/index.ts';
import type { FaultView } from '../../console/index.ts';

export function formatFaultTable(faults: FaultView[], now: number): string {
  if (faults.length === 0) return 'no faults (gantry chaos inject starts one)';
  const rows = faults.map((f) => [
    f.id,
    f.state === 'active'
      ? `active, ${Math.max(0, Math.ceil((f.endsAt - now) / 1000))}s left`
      : `ended (${f.endReason})`,
    f.action,
    f.region ? `${f.target} (${f.region})` : f.target,
    Object.entries(f.parameters)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    // An outage hits everything: no share, no seed.
    f.targetKind === 'region' ? '-' : `${f.hits}/${f.seen}`,
    f.targetKind === 'region' ? '-' : String(f.seed),
  ]);
  const head = ['ID', 'STATE', 'ACTION', 'TARGET', 'PARAMETERS', 'HIT', 'SEED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function chaosActionsText(): string {
  const out: string[] = [];
  for (const spec of Object.values(ACTIONS) as ActionSpec[]) {
    out.push(`${spec.id}  (targets a ${spec.targetKind}${spec.fis ? '; AWS FIS action' : '; gantry only'})`);
    out.push(`    ${spec.description}`);
    for (const [name, p] of Object.entries(spec.parameters)) {
      const range = p.kind === 'integer' ? `${p.min} to ${p.max}` : p.kind === 'enum' ? p.values.join(' | ') : p.kind;
      const fallback = p.default === undefined ? 'required' : `default ${p.default}`;
      out.push(`    ${name}: ${range}, ${fallback}: ${p.doc}`);
    }
    if (spec.noPercentage) out.push(`    no percentage: ${spec.noPercentage}`);
  }
  return out.join('\n');
}
