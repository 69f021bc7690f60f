/**
 * Fault durations as users write them: k6's `60s`, `1m30s`, `500ms` (gantry's load vocabulary) or
 * FIS's ISO 8601 `PT1M`, `PT90S` (what an FIS template holds). Bounded by FIS's 12-hour experiment limit.
 */
import { parseExperimentDuration } from '../config/index.ts';

export const MAX_FAULT_DURATION_MS = 12 * 3_600_000;

/** Milliseconds, or undefined when `value` is neither form (one parser for config and CLI: config's). */
export function parseFaultDuration(value: string | number): number | undefined {
  return parseExperimentDuration(value);
}

/** What a duration field says when it is wrong. */
export function durationProblem(field: string, value: unknown): string | undefined {
  const ms = typeof value === 'string' || typeof value === 'number' ? parseFaultDuration(value) : undefined;
  if (ms === undefined || ms <= 0 || ms > MAX_FAULT_DURATION_MS) {
    return `${field}: expected a duration above 0 and at most 12h, like "60s", "2m" or "PT1M", got ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** `90000` → `PT1M30S`, as FIS templates write durations. */
export function isoDuration(ms: number): string {
  const total = Math.max(1, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}
