/**
 * The console's chaos endpoints: the one writable part of its API, so `gantry chaos` (and anyone with
 * curl) injects, lists and stops faults of a running `gantry dev`. The console knows nothing of faults
 * beyond this interface; the CLI's wiring hands it gantry dev's fault registry.
 *
 *   GET    /api/chaos/faults        every fault (active first)
 *   POST   /api/chaos/faults        inject: {action, target, duration?, parameters?, percent?, seed?} → 201
 *                                    (content-type: application/json, else 415)
 *   DELETE /api/chaos/faults/{id}   stop one → 200, 404 when no active fault has that id
 *   DELETE /api/chaos/faults        stop all → 200 {stopped: [...]}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultView } from './api-types.ts';
import { sendJson } from './http.ts';

export interface FaultControl {
  list(): FaultView[];
  /** A problem is the user's (400), named field by field. */
  tryInject(request: Record<string, unknown>): { ok: true; fault: FaultView } | { ok: false; problem: string };
  stop(id: string): FaultView | undefined;
  stopAll(): FaultView[];
  /** Resolves once what the last call started has taken effect (a region outage taken or given back). */
  settled?(): Promise<void>;
}

const PREFIX = '/api/chaos/faults';
/** A fault request is a few hundred bytes; anything near this is not one. */
const MAX_BODY_BYTES = 64 * 1024;

export function isChaosPath(pathname: string): boolean {
  return pathname === PREFIX || pathname.startsWith(`${PREFIX}/`);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`the body is over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new Error('expected a JSON object: {"action": …, "target": …}'));
      }
    });
  });
}

export async function handleChaos(
  control: FaultControl | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  if (!control) return sendJson(res, 404, { message: 'this gantry dev runs no fault registry' });
  const id = pathname.length > PREFIX.length ? decodeURIComponent(pathname.slice(PREFIX.length + 1)) : undefined;
  const method = req.method ?? 'GET';
  if ((method === 'GET' || method === 'HEAD') && id === undefined) return sendJson(res, 200, control.list());
  if (method === 'DELETE') {
    if (id === undefined) {
      const stopped = control.stopAll();
      await control.settled?.();
      return sendJson(res, 200, { stopped });
    }
    const fault = control.stop(id);
    if (fault) {
      await control.settled?.();
      return sendJson(res, 200, fault);
    }
    const known = control.list().find((f) => f.id === id);
    return sendJson(res, 404, {
      message: known
        ? `fault ${id} already ended (${known.endReason})`
        : `no fault ${id} (gantry chaos list shows them)`,
    });
  }
  if (method === 'POST' && id === undefined) {
    // A page on another origin can POST a form to 127.0.0.1 but cannot set a JSON content type
    // without a CORS preflight, which the console never grants: a fault (a region outage) is not
    // something a web page may start.
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      req.resume();
      return sendJson(res, 415, { message: `POST ${PREFIX}: send content-type: application/json` });
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      return sendJson(res, 400, { message: (error as Error).message });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return sendJson(res, 400, { message: 'expected a JSON object: {"action": …, "target": …}' });
    }
    const result = control.tryInject(body as Record<string, unknown>);
    if (!result.ok) return sendJson(res, 400, { message: result.problem });
    await control.settled?.();
    return sendJson(res, 201, result.fault);
  }
  return sendJson(res, 405, {
    message: `${method} ${pathname} is not supported (GET, POST ${PREFIX}; DELETE ${PREFIX}[/{id}])`,
  });
}
