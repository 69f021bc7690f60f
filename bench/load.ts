/** Drives a URL with wrk (Debian's) when present, else autocannon, and returns one round's figures. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

const run = promisify(execFile);

export interface Round {
  tool: 'wrk' | 'autocannon';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers plus socket errors. */
  errors: number;
  requests: number;
}

let wrkPath: string | null | undefined;
async function findWrk(): Promise<string | null> {
  if (wrkPath !== undefined) return wrkPath;
  try {
    wrkPath = (await run('sh', ['-c', 'command -v wrk'])).stdout.trim() || null;
  } catch {
    wrkPath = null;
  }
  return wrkPath;
}

function wrkMs(text: string, label: string): number {
  const match = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
  if (!match) throw new Error(`wrk output has no ${label} latency:\n${text}`);
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

export function parseWrk(text: string): Omit<Round, 'tool'> {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  const total = /^\s*(\d+) requests in/m.exec(text);
  if (!rps || !total) throw new Error(`unexpected wrk output:\n${text}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requestsPerSecond: Number(rps[1]),
    p50Ms: wrkMs(text, '50%'),
    p99Ms: wrkMs(text, '99%'),
    errors: non2xx + socketErrors,
    requests: Number(total[1]),
  };
}

export async function drive(
  url: string,
  seconds: number,
  connections: number,
  headers: Record<string, string> = {},
): Promise<Round> {
  const wrk = await findWrk();
  if (wrk) {
    const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const { stdout } = await run(wrk, ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...headerArgs, url], {
      timeout: (seconds + 30) * 1000,
    });
    return { tool: 'wrk', ...parseWrk(stdout) };
  }
  const result = await autocannon({ url, connections, duration: seconds, headers });
  return {
    tool: 'autocannon',
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    requests: result.requests.total,
  };
}
