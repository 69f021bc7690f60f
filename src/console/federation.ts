/**
 * `gantry federate`'s console: a page (web/federation.html) that polls `GET /api/federation` every
 * second for each endpoint's health, the policy, what is served, each endpoint's share of the
 * requests and its last probe. The console defines the view; the command fills it from src/traffic's
 * router, so this folder needs nothing of traffic. Read-only, like the dashboard.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpOrigin } from '../config/index.ts';
import type { FederationView } from './api-types.ts';
import { createAssetCache } from './assets.ts';
import { sendJson } from './http.ts';

export interface FederationConsole {
  listen(port: number, host?: string): Promise<{ port: number; host: string; url: string }>;
  close(): Promise<void>;
}

const PAGE = { html: 'federation.html', script: 'federation.ts', name: 'federation' };

export function createFederationConsole(view: () => FederationView): FederationConsole {
  const assets = createAssetCache(PAGE);
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { message: `${req.method} is not supported; the console is read-only` });
    const path = new URL(req.url ?? '/', 'http://console').pathname;
    if (path === '/api/federation') return sendJson(res, 200, view());
    const asset = await assets.get(path === '/index.html' ? '/' : path);
    if (!asset) return sendJson(res, 404, { message: `no console page at ${path}; the API is /api/federation` });
    res.writeHead(200, { 'content-type': asset.contentType, 'content-length': asset.body.length });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }
  const server = createServer((req, res) => {
    route(req, res).catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { message: error.message });
      else res.destroy();
    });
  });
  return {
    async listen(port, host = '127.0.0.1') {
      server.listen(port, host);
      await once(server, 'listening');
      const address = server.address() as AddressInfo;
      return { port: address.port, host, url: httpOrigin(host, address.port) };
    },
    async close() {
      if (!server.listening) return;
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
