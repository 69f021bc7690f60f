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
