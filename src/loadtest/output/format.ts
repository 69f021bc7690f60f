/** Numbers the way k6 prints them: durations in µs/ms/s, data in kB/MB, rates per second. */

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms === 0) return '0';
  if (ms < 1) return `${trim(ms * 1000)}µs`;
  if (ms < 1000) return `${trim(ms)}ms`;
  if (ms < 60_000) return `${trim(ms / 1000)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${trim((ms - minutes * 60_000) / 1000)}s`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  // A rate of bytes is fractional: whole bytes, as k6 prints them (not `717.0231968512111 B/s`).
  return `${unit === 0 ? trim(value, value < 10 ? 1 : 0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatRate(perSecond: number): string {
  return `${trim(perSecond, perSecond >= 100 ? 1 : 2)}/s`;
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)}%`;
}

/** Up to `digits` decimals, trailing zeros dropped. */
export function trim(value: number, digits = 2): string {
  return String(Number(value.toFixed(digits)));
}

/** `name.......: ` padded to k6's column. */
export function dotted(name: string, width = 40): string {
  return `${name}${'.'.repeat(Math.max(3, width - name.length))}: `;
}
