/** Lambda emulation figures: cold start, warm invocation overhead, memory per execution environment. */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/index.ts';
import { createRuntime } from '../src/runtime/index.ts';

export interface RuntimeFigures {
  coldStartInitMs: number;
  coldStartFirstInvokeMs: number;
  warmInvokeP50Us: number;
  warmInvokeP99Us: number;
  rssPerEnvironmentMb: number;
  rssWith100EnvironmentsMb: number;
  rssBaselineMb: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const rssMb = () => process.memoryUsage().rss / 1048576;

export async function measureRuntime(): Promise<RuntimeFigures> {
  const config = await loadConfig(fileURLToPath(new URL('fixture/api.config.ts', import.meta.url)));
  const runtime = createRuntime(config, {});
  await runtime.start();
  try {
    const event = '{}';
    let t = performance.now();
    const first = await runtime.invoke('hello', event);
    const coldStartFirstInvokeMs = performance.now() - t;
    const coldStartInitMs = first.report?.initDurationMs ?? Number.NaN;

    for (let i = 0; i < 500; i++) await runtime.invoke('hello', event);
    const samples: number[] = [];
    for (let i = 0; i < 3000; i++) {
      t = performance.now();
      await runtime.invoke('hello', event);
      samples.push((performance.now() - t) * 1000);
    }
    samples.sort((a, b) => a - b);

    // Memory: RSS of this process with the waiting function's environments all alive and busy.
    global.gc?.();
    const rssBaselineMb = rssMb();
    await Promise.all(Array.from({ length: 100 }, () => runtime.invoke('wait', '{"ms":1500}')));
    const rssWith100EnvironmentsMb = rssMb();
    return {
      coldStartInitMs,
      coldStartFirstInvokeMs,
      warmInvokeP50Us: percentile(samples, 0.5),
      warmInvokeP99Us: percentile(samples, 0.99),
      rssBaselineMb,
      rssWith100EnvironmentsMb,
      rssPerEnvironmentMb: (rssWith100EnvironmentsMb - rssBaselineMb) / 100,
    };
  } finally {
    await runtime.stop();
  }
}
