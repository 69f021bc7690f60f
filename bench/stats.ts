/**
 * The middle value of a bench's rounds; for an even count the upper of the two middle ones, so a
 * figure is always one that was measured.
 */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}
