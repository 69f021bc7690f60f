/**
 * `--out json=FILE`: every sample as one JSON line, in k6's format (`{"type":"Point","metric":…,"data":
 * {"time","value","tags"}}`), preceded by one `Metric` line per metric, so k6 tooling can read it.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { METRICS } from '../metrics/catalog.ts';
import type { RunPlan } from '../plan.ts';

export class JsonOutput {
  private constructor(private readonly stream: WriteStream) {}

  static async open(file: string, plan: RunPlan): Promise<JsonOutput> {
    await mkdir(dirname(file), { recursive: true });
    const stream = createWriteStream(file);
    await once(stream, 'open');
    const out = new JsonOutput(stream);
    for (const [name, info] of Object.entries(METRICS)) {
      const thresholds = plan.thresholds.filter((t) => t.key === name).map((t) => t.source);
      const contains = 'unit' in info ? (info.unit === 'ms' ? 'time' : 'data') : 'default';
      out.write(
        `${JSON.stringify({ type: 'Metric', data: { name, type: info.type, contains, thresholds }, metric: name })}\n`,
      );
    }
    return out;
  }

  write(lines: string): void {
    this.stream.write(lines);
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
