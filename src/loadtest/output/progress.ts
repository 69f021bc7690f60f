/** The live line: where the run is and how the target is coping, once per interval. */
import type { Progress } from '../run.ts';
import { formatDuration } from '../scenario/duration.ts';
import { formatMs, formatPercent, trim } from './format.ts';

export function formatProgress(p: Progress): string {
  const errors = p.requests ? p.failed / p.requests : 0;
  const dropped = p.dropped ? `  dropped ${p.dropped}` : '';
  return [
    `running ${formatDuration(p.elapsedMs)}/${formatDuration(p.plannedMs)}`,
    `VUs ${p.vus}`,
    `req/s ${trim(p.rps, 1)}`,
    `p95 ${formatMs(p.p95Ms)}`,
    `errors ${formatPercent(errors)} (${p.failed})`,
    `iterations ${p.iterations}${dropped}`,
  ].join('  ');
}

/**
 * Writes progress to a terminal (one line rewritten in place) or to a log (a line every `everyMs`, so CI
 * logs stay short). `done()` ends the in-place line before the summary is printed.
 */
export function progressPrinter(stream: NodeJS.WriteStream, everyMs = 5000) {
  let lastPrinted = Number.NEGATIVE_INFINITY;
  let open = false;
  return {
    update(p: Progress): void {
      const line = formatProgress(p);
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line}`);
        open = true;
      } else if (p.elapsedMs - lastPrinted >= everyMs) {
        stream.write(`${line}\n`);
        lastPrinted = p.elapsedMs;
      }
    },
    done(): void {
      if (open) stream.write('\n');
      open = false;
    },
  };
}
