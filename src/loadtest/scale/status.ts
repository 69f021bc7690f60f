/**
 * Samples `gantry dev`'s console (`GET /api/status`) during a run: the gateway's own figures on
 * concurrency, cold starts and throttles, which a client cannot see from outside.
 */
import { request } from 'undici';
import { z } from 'zod';
import { LoadTestError } from '../errors.ts';

const functionSchema = z.object({
  name: z.string(),
  memoryMb: z.number(),
  timeoutSeconds: z.number(),
  reservedConcurrency: z.number().nullable(),
  // Absent from consoles older than provisioned concurrency: none.
  provisionedConcurrency: z.number().default(0),
  provisionedInvocations: z.number().default(0),
  spilloverInvocations: z.number().default(0),
  environments: z.object({ alive: z.number(), busy: z.number(), idle: z.number() }),
  invocations: z.number(),
  coldStarts: z.number(),
  throttles: z.number(),
  errors: z.number(),
});

const statusSchema = z.object({ functions: z.array(functionSchema) });

export type FunctionStatus = z.infer<typeof functionSchema>;

export interface StatusSample {
  /** Epoch milliseconds when the answer arrived. */
  at: number;
  functions: FunctionStatus[];
}

const epochNow = (): number => performance.timeOrigin + performance.now();

export function parseStatus(body: unknown): FunctionStatus[] | string {
  const parsed = statusSchema.safeParse(body);
  if (parsed.success) return parsed.data.functions;
  const issue = parsed.error.issues[0];
  return `${issue.path.join('.') || 'body'}: ${issue.message}`;
}

export async function fetchStatus(consoleUrl: string, timeoutMs = 2000): Promise<FunctionStatus[]> {
  const url = `${consoleUrl.replace(/\/+$/, '')}/api/status`;
  let body: unknown;
  try {
    const res = await request(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new LoadTestError(`${url} answered ${res.statusCode}; expected gantry dev's console status (200)`);
    }
    body = await res.body.json();
  } catch (error) {
    if (error instanceof LoadTestError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new LoadTestError(
      `cannot read ${url} (${code}): --scale-report needs gantry dev's console; start gantry dev or pass --console-url`,
    );
  }
  const functions = parseStatus(body);
  if (typeof functions === 'string') throw new LoadTestError(`${url} is not gantry dev's console status: ${functions}`);
  return functions;
}

/** Polls the console every `intervalMs` until stopped; a failed poll is counted, not fatal. */
export class StatusSampler {
  readonly samples: StatusSample[] = [];
  failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly consoleUrl: string,
    private readonly intervalMs = 250,
  ) {}

  /** Takes the baseline sample (throws LoadTestError when the console is unreachable) and starts polling. */
  async start(): Promise<void> {
    const functions = await fetchStatus(this.consoleUrl);
    this.samples.push({ at: epochNow(), functions });
    const poll = () => {
      if (this.stopped) return;
      this.inFlight = fetchStatus(this.consoleUrl)
        .then((fns) => {
          this.samples.push({ at: epochNow(), functions: fns });
        })
        .catch(() => {
          this.failures++;
        })
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(poll, this.intervalMs);
        });
    };
    this.timer = setTimeout(poll, this.intervalMs);
  }

  /** Stops polling after one last sample, so the counters cover the whole run. */
  async stop(): Promise<StatusSample[]> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
    try {
      this.samples.push({ at: epochNow(), functions: await fetchStatus(this.consoleUrl) });
    } catch {
      this.failures++;
    }
    return this.samples;
  }
}
