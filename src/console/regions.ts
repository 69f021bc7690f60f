/**
 * The console's view of a two-region `gantry dev`: `GET /api/regions` (routing, each region's state
 * and golden signals) and `POST /api/regions/{region}/down|up` (a region outage on demand, for
 * `gantry region`, the failover drill and chaos experiments). The console defines the interface;
 * `gantry dev`'s wiring implements it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegionsView } from './api-types.ts';
import { sendJson } from './http.ts';

/** Something that happened to the regions, for the drill's timeline. */
export interface RegionEvent {
  /** Epoch ms. */
  at: number;
  type: 'down' | 'up' | 'unhealthy' | 'healthy' | 'serving';
  region?: string;
  /**
   * `serving`: the regions answered now (comma-separated); health: the probe that flipped it;
   * down/up: the probes completed by then (`probe 12`).
   */
  detail?: string;
}

/** Whether the regions hold the same items (global tables), for every item written since `since`. */
export interface RegionsConsistency {
  since: number;
  checked: number;
  writtenIn: Record<string, number>;
  divergent: { table: string; key: Record<string, unknown>; detail: string }[];
  divergentCount: number;
  /** Writes still waiting to be replicated (the check is final only at 0). */
  pending: number;
}

export type { RegionsView } from './api-types.ts';

/** What the console needs of a running `gantry dev`'s regions. */
export interface RegionsControl {
  /** Async: replication's state lives in the store's thread. */
  view(): Promise<RegionsView>;
  events(): RegionEvent[];
  consistency(since: number): Promise<RegionsConsistency>;
  /** Takes `region` down or brings it back; rejects with a RegionError. */
  setStatus(region: string, status: 'up' | 'down'): Promise<void>;
}

/** A region command the running gantry dev refuses: status and message for the client. */
export class RegionError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const ACTION = /^\/api\/regions\/([a-z0-9-]+)\/(down|up)$/;

/** Answers `/api/regions…`; false when the path is not one of them. */
export async function routeRegions(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  control: RegionsControl | undefined,
) {
  if (path !== '/api/regions' && !path.startsWith('/api/regions/')) return false;
  if (!control) {
    sendJson(res, 404, { message: 'this gantry dev serves no regions' });
    return true;
  }
  if (path === '/api/regions/events') {
    sendJson(res, 200, control.events());
    return true;
  }
  if (path === '/api/regions/consistency') {
    const since = Number(new URL(req.url ?? '/', 'http://console').searchParams.get('since') ?? 0);
    if (!Number.isFinite(since)) {
      sendJson(res, 400, { message: 'since: expected epoch milliseconds' });
      return true;
    }
    sendJson(res, 200, await control.consistency(since));
    return true;
  }
  if (path === '/api/regions') {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      sendJson(res, 405, { message: `${req.method} /api/regions: use GET` });
    else sendJson(res, 200, await control.view());
    return true;
  }
  const match = ACTION.exec(path);
  if (!match) {
    sendJson(res, 404, { message: `no console endpoint at ${path}; expected /api/regions/{region}/down or /up` });
    return true;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, { message: `${req.method} ${path}: use POST` });
    return true;
  }
  // A page on another origin can POST a form to 127.0.0.1 but cannot set a JSON content type
  // without a CORS preflight, which the console never grants.
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    sendJson(res, 415, { message: `${path}: send content-type: application/json` });
    return true;
  }
  req.resume();
  try {
    await control.setStatus(match[1], match[2] as 'up' | 'down');
    sendJson(res, 200, await control.view());
  } catch (error) {
    sendJson(res, error instanceof RegionError ? error.status : 500, { message: (error as Error).message });
  }
  return true;
}
