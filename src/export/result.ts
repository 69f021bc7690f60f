/**
 * What every exporter returns: the artifact's files (paths relative to the output) and the config
 * features the target cannot express, each with what the export did instead. Nothing is dropped
 * silently: the CLI prints the list and writes it beside the artifact.
 */

export interface Unmapped {
  /** The config feature, as a config path a user can find: `stage.throttle.burstLimit`, `routes["GET /x"].throttle`. */
  feature: string;
  /** Why the target has no equivalent. */
  reason: string;
  /** What the artifact does instead (or "omitted"). */
  instead: string;
}

export interface ExportResult {
  /** Relative path → content. */
  files: Record<string, string | Uint8Array>;
  unmapped: Unmapped[];
}

/** The list as Markdown, the form written beside the artifact (`UNMAPPED.md`). */
export function formatUnmapped(target: string, apiName: string, unmapped: readonly Unmapped[]): string {
  const lines = [`# ${apiName} → ${target}: what has no equivalent`, ''];
  if (unmapped.length === 0) lines.push('Every feature of the config was mapped.');
  for (const u of unmapped) lines.push(`- \`${u.feature}\`: ${u.reason}. Instead: ${u.instead}.`);
  return `${lines.join('\n')}\n`;
}

/** One line per item, for the console. */
export function summarizeUnmapped(target: string, unmapped: readonly Unmapped[]): string {
  if (unmapped.length === 0) return `${target}: every feature of the config was mapped`;
  return [
    `${target}: ${unmapped.length} feature${unmapped.length === 1 ? '' : 's'} without an equivalent:`,
    ...unmapped.map((u) => `  - ${u.feature}: ${u.reason}; instead: ${u.instead}`),
  ].join('\n');
}
