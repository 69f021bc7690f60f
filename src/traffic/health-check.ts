/**
 * HTTP health checks as Route 53 runs them, from one local checker: each endpoint is probed, the
 * next probe waits `intervalMs` after the previous answer (Route 53's checkers do the same), a
 * probe passes on an expected status (2xx/3xx) within the timeout, and health flips only after
 * `failureThreshold` consecutive results the other way. A new check starts healthy.
 *
 * Results and flips are events (`onProbe`, `onChange`) so tests and the failover drill count probes
 * rather than time them.
 */
import { Agent, request } from 'undici';
import type { EndpointHealth, HealthChange, HealthCheckSettings, ProbeResult, TrafficEndpoint } from './types.ts';

/** Route 53 searches the first 5,120 bytes of the body for an HTTP_STR_MATCH string. */
const SEARCH_WINDOW_BYTES = 5120;
/** Weight of the newest round trip in the smoothed latency used by latency routing. */
const LATENCY_SMOOTHING = 0.3;
/** Route 53's checkers introduce themselves so; a health route can recognise them. */
const USER_AGENT = 'Amazon Route 53 Health Check Service; ref:gantry';

interface EndpointState extends EndpointHealth {
  endpoint: TrafficEndpoint;
  /** Consecutive results disagreeing with `healthy`. */
  streak: number;
  sequence: number;
  last?: ProbeResult;
  timer?: NodeJS.Timeout;
}

export interface HealthCheckStatus extends EndpointHealth {
  endpoint: string;
  /**
   * Probes completed (answered or failed). Not those started: one in flight when an endpoint goes
   * down completes after it, and counts among the probes that detected the outage.
   */
  probes: number;
  last?: ProbeResult;
}

export class HealthChecker {
  readonly #settings: HealthCheckSettings;
  readonly #states = new Map<string, EndpointState>();
  readonly #probeListeners = new Set<(result: ProbeResult) => void>();
  readonly #changeListeners = new Set<(change: HealthChange) => void>();
  // Probes get their own connections: a saturated data path must not starve them (nor they it).
  readonly #agent = new Agent({ connections: 2, keepAliveTimeout: 4_000 });
  #running = false;

  constructor(endpoints: readonly TrafficEndpoint[], settings: HealthCheckSettings) {
    this.#settings = settings;
    for (const endpoint of endpoints) {
      if (endpoint.healthCheck === false) continue;
      this.#states.set(endpoint.id, { endpoint, healthy: true, streak: 0, sequence: 0 });
    }
  }

  get settings(): HealthCheckSettings {
    return this.#settings;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const state of this.#states.values()) void this.#probe(state);
  }

  async stop(): Promise<void> {
    this.#running = false;
    for (const state of this.#states.values()) clearTimeout(state.timer);
    await this.#agent.close().catch(() => undefined);
  }

  /** Health as last determined; endpoints without a check are always healthy. */
  health(id: string): EndpointHealth {
    return this.#states.get(id) ?? { healthy: true };
  }

  status(): HealthCheckStatus[] {
    return [...this.#states.values()].map((s) => ({
      endpoint: s.endpoint.id,
      healthy: s.healthy,
      latencyMs: s.latencyMs,
      probes: s.last?.sequence ?? 0,
      last: s.last,
    }));
  }

  onProbe(listener: (result: ProbeResult) => void): () => void {
    this.#probeListeners.add(listener);
    return () => this.#probeListeners.delete(listener);
  }

  onChange(listener: (change: HealthChange) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  async #probe(state: EndpointState): Promise<void> {
    if (!this.#running) return;
    const result = await this.#run(state);
    if (!this.#running) return;
    this.#record(state, result);
    state.timer = setTimeout(() => void this.#probe(state), this.#settings.intervalMs);
    state.timer.unref();
  }

  async #run(state: EndpointState): Promise<ProbeResult> {
    const { timeoutMs, path } = this.#settings;
    const started = performance.now();
    const sequence = ++state.sequence;
    const finish = (ok: boolean, status: number | undefined, reason?: string): ProbeResult => ({
      endpoint: state.endpoint.id,
      at: Date.now(),
      ok,
      status,
      reason,
      latencyMs: performance.now() - started,
      sequence,
    });
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await request(state.endpoint.url + path, {
        method: 'GET',
        headers: { 'user-agent': USER_AGENT },
        dispatcher: this.#agent,
        signal,
      });
      const body = await readWindow(response.body);
      const status = response.statusCode;
      if (!passes(status, this.#settings.expectedStatus)) return finish(false, status, `status ${status}`);
      const search = this.#settings.searchString;
      if (search !== undefined && !body.includes(search)) {
        return finish(false, status, `"${search}" not in the first ${SEARCH_WINDOW_BYTES} bytes`);
      }
      return finish(true, status);
    } catch (error) {
      return finish(false, undefined, describe(error, signal.aborted, timeoutMs));
    }
  }

  #record(state: EndpointState, result: ProbeResult): void {
    state.last = result;
    if (result.ok) {
      state.latencyMs =
        state.latencyMs === undefined
          ? result.latencyMs
          : state.latencyMs + LATENCY_SMOOTHING * (result.latencyMs - state.latencyMs);
    }
    state.streak = result.ok === state.healthy ? 0 : state.streak + 1;
    for (const listener of this.#probeListeners) listener(result);
    if (state.streak < this.#settings.failureThreshold) return;
    state.healthy = result.ok;
    state.streak = 0;
    const change: HealthChange = {
      endpoint: state.endpoint.id,
      at: result.at,
      healthy: result.ok,
      sequence: result.sequence,
    };
    for (const listener of this.#changeListeners) listener(change);
  }
}

function passes(status: number, ranges: [number, number][] | undefined): boolean {
  if (ranges === undefined) return status >= 200 && status < 400;
  return ranges.some(([low, high]) => status >= low && status <= high);
}

async function readWindow(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < SEARCH_WINDOW_BYTES) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, SEARCH_WINDOW_BYTES).toString('utf8');
}

function describe(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  const code = (error as { code?: string; cause?: { code?: string } }).code;
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  const which = cause ?? code;
  if (which === 'ECONNREFUSED') return 'connection refused';
  if (which === 'ECONNRESET' || which === 'UND_ERR_SOCKET') return 'connection reset';
  return (error as Error).message ?? String(error);
}
