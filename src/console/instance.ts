/**
 * The one way other commands find a running `gantry dev`: a state file beside the config
 * (`.gantry/dev-<config file name>.json`) that `gantry dev` writes once it listens and removes when it
 * stops, naming its process and ports. `gantry logs`, `cost`, `load`, `invoke`, `token`, `region` and
 * `chaos` read it, so no port is ever repeated on their command lines.
 *
 * A file can outlive its process (kill -9, a crash, a reboot): a file whose process is gone, or whose
 * console no longer answers as this API, is stale. Readers say so, remove it and carry on as if no
 * gantry dev ran, rather than sending a user's load or token to whatever holds the port now.
 */
import { mkdirSync, readFileSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { httpOrigin, type ResolvedConfig, stageBasePath } from '../config/index.ts';

/** The ports one gantry dev (or one of its regions) listens on. */
export interface InstancePorts {
  /** The API (gateway) port. */
  api: number;
  /** The console port; absent with `--no-console`. */
  console?: number;
  /** The embedded DynamoDB-compatible store (always on 127.0.0.1). */
  store: number;
}

/** What `.gantry/dev-<config>.json` holds. Fields are only ever added, so older readers keep working. */
export interface InstanceState extends InstancePorts {
  /** 1: this shape. */
  version: 1;
  pid: number;
  /** The address the API and console bind (`--host`). */
  host: string;
  /** Absolute path of the api.config.ts this gantry dev runs. */
  configFile: string;
  apiName: string;
  apiId: string;
  /** The stage name; `$default` serves at the root. */
  stage: string;
  /** ISO 8601. */
  startedAt: string;
  /** A two-region gantry dev: each region's own ports, by region name (us-east-1, …). */
  regions?: Record<string, InstancePorts>;
}

/** A gantry dev found running for a config, with the URLs the commands need. */
export interface RunningInstance {
  state: InstanceState;
  /** The state file it was read from. */
  file: string;
  /** `http://127.0.0.1:3000/api`: the API's base URL, stage prefix included. */
  apiUrl: string;
  /** `http://127.0.0.1:3001`; undefined with `--no-console`. */
  consoleUrl?: string;
  /** `http://127.0.0.1:3002`: what AWS_ENDPOINT_URL_DYNAMODB points at. */
  storeEndpoint: string;
}

export type InstanceLookup =
  | { status: 'running'; instance: RunningInstance }
  | { status: 'none'; file: string }
  /** The file was there but its gantry dev is gone; it has been removed. */
  | { status: 'stale'; file: string; reason: string };

/** No gantry dev runs for the config: the message names the config and what to do. */
export class NoRunningInstanceError extends Error {
  override name = 'NoRunningInstanceError';
}

/** Through symlinks, so a config reached by two paths has one state file. */
function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** `.gantry/dev-api.config.ts.json` beside the config: one per config, so two configs of a folder can both run. */
export function instanceFile(configFile: string): string {
  const file = realPath(resolve(configFile));
  return join(dirname(file), '.gantry', `dev-${basename(file)}.json`);
}

/** A wildcard bind address is reached on loopback. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

function running(state: InstanceState, file: string): RunningInstance {
  const host = reachableHost(state.host);
  return {
    state,
    file,
    apiUrl: `${httpOrigin(host, state.api)}${stageBasePath(state.stage)}`,
    consoleUrl: state.console === undefined ? undefined : httpOrigin(host, state.console),
    storeEndpoint: httpOrigin('127.0.0.1', state.store),
  };
}

export interface WrittenInstance {
  file: string;
  /** Rewrites the file with these fields changed (a reload, a region's ports). */
  update(changes: Partial<InstanceState>): void;
  /** Removes the file if it still names this process. Safe to call more than once. */
  remove(): void;
}

function writeAtomically(file: string, state: InstanceState): void {
  mkdirSync(dirname(file), { recursive: true });
  // Written aside then renamed: a reader never sees half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, file);
}

function readState(file: string): InstanceState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as InstanceState;
    if (state?.version === 1 && Number.isInteger(state.pid) && Number.isInteger(state.api)) return state;
  } catch {
    // Unreadable: treated as stale below.
  }
  return { version: 1, pid: 0 } as InstanceState;
}

/**
 * Records this process as the config's running gantry dev. The file is removed by `remove()` and,
 * as a last resort, when the process exits (a second Ctrl-C exits at once).
 */
export function writeInstance(
  fields: Omit<InstanceState, 'version' | 'pid' | 'startedAt' | 'configFile'> & { configFile: string },
): WrittenInstance {
  const file = instanceFile(fields.configFile);
  let state: InstanceState = {
    version: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    ...fields,
    configFile: resolve(fields.configFile),
  };
  writeAtomically(file, state);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    // Another gantry dev of the same config may have taken the file over since: leave its file alone.
    if (readState(file)?.pid !== process.pid) return;
    try {
      unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', remove);
  return {
    file,
    update(changes) {
      if (removed) return;
      state = { ...state, ...changes, version: 1, pid: process.pid };
      writeAtomically(file, state);
    },
    remove,
  };
}

/** What a dev server knows of itself, as the state file records it. */
export function instanceFields(server: {
  config: Pick<ResolvedConfig, 'file' | 'name' | 'apiId' | 'stage'>;
  host: string;
  port: number;
  consolePort?: number;
  store: { port: number };
}): Parameters<typeof writeInstance>[0] {
  return {
    configFile: server.config.file,
    apiName: server.config.name,
    apiId: server.config.apiId,
    stage: server.config.stage.name,
    host: server.host,
    api: server.port,
    console: server.consolePort,
    store: server.store.port,
  };
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const PROBE_TIMEOUT_MS = 1500;

/** Whether the console answers as this API (a reused port would answer as another, or not at all). */
async function consoleAnswersAs(consoleUrl: string, apiId: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${consoleUrl}/api/status`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = (await response.json()) as { api?: { apiId?: string; name?: string } };
    if (body.api?.apiId === apiId) return undefined;
    return `its console ${consoleUrl} now serves ${body.api?.name ? `the API "${body.api.name}"` : 'something else'}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return `its console ${consoleUrl} does not answer (${cause?.code ?? (error as Error).name})`;
  }
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port, timeout: PROBE_TIMEOUT_MS });
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function staleReason(state: InstanceState): Promise<string | undefined> {
  if (!state.pid) return 'the file is not a gantry dev state file';
  if (!processAlive(state.pid)) return `its process ${state.pid} no longer runs`;
  const instance = running(state, '');
  if (instance.consoleUrl) return consoleAnswersAs(instance.consoleUrl, state.apiId);
  const host = reachableHost(state.host);
  if (!(await portAnswers(host, state.api))) return `nothing answers on its API port ${host}:${state.api}`;
  return undefined;
}

/** The running gantry dev of `configFile`, none, or a stale file (which this removes). */
export async function lookupInstance(configFile: string): Promise<InstanceLookup> {
  const file = instanceFile(configFile);
  const state = readState(file);
  if (!state) return { status: 'none', file };
  const reason = await staleReason(state);
  if (reason === undefined) return { status: 'running', instance: running(state, file) };
  try {
    // Only if it is still the file just judged: a gantry dev starting meanwhile keeps its own.
    if (readState(file)?.pid === state.pid) unlinkSync(file);
  } catch {
    // Removed meanwhile.
  }
  return { status: 'stale', file, reason };
}

/**
 * The running gantry dev of `configFile`, or a NoRunningInstanceError saying how to start one and,
 * in `alternative`, what the command accepts instead (e.g. "pass --console-port N").
 */
export async function findInstance(configFile: string, alternative?: string): Promise<RunningInstance> {
  const found = await lookupInstance(configFile);
  if (found.status === 'running') return found.instance;
  const config = resolve(configFile);
  const why =
    found.status === 'stale'
      ? `no gantry dev runs for ${config} (its state file ${found.file} was stale: ${found.reason}; removed)`
      : `no gantry dev runs for ${config}`;
  const start = `start it with \`gantry dev --config ${configFile}\``;
  throw new NoRunningInstanceError(`${why}: ${start}${alternative ? `, or ${alternative}` : ''}`);
}

/** The console of the running gantry dev of `configFile`; errors as findInstance, or when it runs without one. */
export async function findConsole(configFile: string, alternative?: string): Promise<string> {
  const instance = await findInstance(configFile, alternative);
  if (instance.consoleUrl) return instance.consoleUrl;
  throw new NoRunningInstanceError(
    `the gantry dev of ${resolve(configFile)} (pid ${instance.state.pid}) runs with --no-console, which keeps no logs, metrics or cost: restart it without --no-console`,
  );
}
