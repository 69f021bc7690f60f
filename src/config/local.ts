/**
 * Where `gantry dev` serves, as the other commands must find it: the API on one port, its console on
 * the next, its embedded store on the one after, and the stage under its own path prefix. One place,
 * so `gantry dev`, `gantry load`, `gantry logs` and `gantry cost` cannot disagree.
 */
export const DEFAULT_DEV_PORT = 3000;

export function consolePortFor(devPort: number): number {
  return devPort + 1;
}

export function storePortFor(devPort: number): number {
  return devPort + 2;
}

export const DEFAULT_CONSOLE_PORT = consolePortFor(DEFAULT_DEV_PORT);

/** `http://host:port`, with an IPv6 address in brackets as URLs need it (`--host ::1`). */
export function httpOrigin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** `''` for the `$default` stage (served at the root), `/{name}` for a named stage. */
export function stageBasePath(stageName: string): string {
  return stageName === '$default' ? '' : `/${stageName}`;
}

/**
 * Two regions: the global endpoint keeps `--port` (what the custom domain serves in AWS), the console
 * and the primary's store keep theirs, and each region's own API and the secondary's store take the
 * next ports: 3003 and 3004 for the regional APIs, 3005 for the secondary's store.
 */
export function regionalPortsFor(devPort: number): { apis: [number, number]; secondaryStore: number } {
  if (devPort === 0) return { apis: [0, 0], secondaryStore: 0 };
  return { apis: [devPort + 3, devPort + 4], secondaryStore: devPort + 5 };
}
