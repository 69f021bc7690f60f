/** `gantry region` and the failover drill, reading and driving a running gantry dev's regions. */
import { ConsoleUnreachableError, fetchConsoleJson } from './client.ts';
import type { RegionEvent, RegionsConsistency, RegionsView } from './regions.ts';

export function fetchRegions(baseUrl: string): Promise<RegionsView> {
  return fetchConsoleJson<RegionsView>(baseUrl, '/api/regions');
}

export async function setRegionStatus(baseUrl: string, region: string, status: 'up' | 'down'): Promise<RegionsView> {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/regions/${encodeURIComponent(region)}/${status}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ConsoleUnreachableError(
      `cannot reach gantry dev's console at ${url} (${cause}); start \`gantry dev\` or pass --console-port`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as (RegionsView & { message?: string }) | undefined;
  if (!response.ok) throw new Error(body?.message ?? `${url} answered ${response.status}`);
  return body as RegionsView;
}

export function fetchRegionEvents(baseUrl: string): Promise<RegionEvent[]> {
  return fetchConsoleJson<RegionEvent[]>(baseUrl, '/api/regions/events');
}

export function fetchRegionsConsistency(baseUrl: string, since: number): Promise<RegionsConsistency> {
  return fetchConsoleJson<RegionsConsistency>(
    baseUrl,
    `/api/regions/consistency?since=${since}`,
    AbortSignal.timeout(60_000),
  );
}
