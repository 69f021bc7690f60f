/**
 * A virtual user: runs one iteration of a scenario's steps at a time, over its own connections. Steps are
 * compiled once per scenario so an iteration only expands templates, sends and counts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, Dispatcher } from 'undici';
import type { PlannedCheck, PlannedRequest, PlannedScenario } from '../plan.ts';
import { type ByteCounter, createClient, type HttpResult, send } from './http.ts';
import type { WorkerRecorder } from './recorder.ts';

const TEMPLATE = /\{\{\s*(vu|iter)\s*\}\}/g;
const HAS_TEMPLATE = /\{\{\s*(vu|iter)\s*\}\}/;

interface CompiledRequest {
  kind: 'request';
  plan: PlannedRequest;
  origin: string;
  /** Built once; a templated step gets a copy with its path and body expanded per request. */
  request: Dispatcher.DispatchOptions;
  templated: boolean;
  wantBody: boolean;
  checks: ((result: HttpResult) => boolean)[];
}

type CompiledStep = CompiledRequest | { kind: 'sleep'; minMs: number; maxMs: number };

export interface CompiledScenario {
  plan: PlannedScenario;
  steps: CompiledStep[];
}

export function compileScenario(plan: PlannedScenario): CompiledScenario {
  const steps = plan.steps.map((step): CompiledStep => {
    if (step.kind === 'sleep') return step;
    const origin = /^https?:\/\/[^/?#]+/i.exec(step.url)?.[0] ?? step.url;
    const path = step.url.slice(origin.length) || '/';
    return {
      kind: 'request',
      plan: step,
      origin: new URL(origin).origin,
      request: {
        path,
        method: step.method as Dispatcher.HttpMethod,
        headers: step.headers,
        body: step.body,
        headersTimeout: step.timeoutMs,
        bodyTimeout: step.timeoutMs,
      },
      templated: HAS_TEMPLATE.test(step.url) || (step.body !== undefined && HAS_TEMPLATE.test(step.body)),
      wantBody: step.checks.some((c) => c.bodyIncludes !== undefined || c.bodyMatches !== undefined),
      checks: step.checks.map(compileCheck),
    };
  });
  return { plan, steps };
}

function compileCheck(check: PlannedCheck): (result: HttpResult) => boolean {
  const pattern = check.bodyMatches === undefined ? undefined : new RegExp(check.bodyMatches);
  return (r) =>
    (check.status === undefined || check.status.includes(r.status)) &&
    (check.bodyIncludes === undefined || (r.body ?? '').includes(check.bodyIncludes)) &&
    (pattern === undefined || pattern.test(r.body ?? '')) &&
    (check.maxDurationMs === undefined || r.durationMs < check.maxDurationMs);
}

function expand(template: string, vu: number, iter: number): string {
  return template.replace(TEMPLATE, (_m, name: string) => String(name === 'vu' ? vu : iter));
}

function isExpected(plan: PlannedRequest, status: number): boolean {
  if (status === 0) return false;
  for (const [min, max] of plan.expectedStatuses) if (status >= min && status <= max) return true;
  return false;
}

export class VirtualUser {
  private clients = new Map<string, Client>();
  private iterations = 0;
  /** Bumped by interrupt(): an iteration that sees another epoch stops and records nothing more. */
  private epoch = 0;
  private readonly abort = { controller: new AbortController() };

  constructor(
    /** k6's `__VU`: 1-based, unique across workers. */
    readonly id: number,
    private readonly scenario: CompiledScenario,
    private readonly recorder: WorkerRecorder,
    private readonly bytes: ByteCounter,
    private readonly insecure: boolean,
  ) {}

  /** Runs one iteration; returns whether it completed (false: interrupted). Records it either way. */
  async iterate(): Promise<boolean> {
    const epoch = this.epoch;
    const iter = this.iterations++;
    const scenario = this.scenario.plan;
    const started = performance.now();
    for (const step of this.scenario.steps) {
      if (step.kind === 'sleep') {
        const ms = step.minMs + Math.random() * (step.maxMs - step.minMs);
        try {
          await sleep(ms, undefined, { signal: this.abort.controller.signal });
        } catch {
          // Interrupted while sleeping: handled below like any interruption.
        }
      } else {
        const request = step.templated
          ? {
              ...step.request,
              path: expand(step.request.path, this.id, iter),
              body: step.plan.body === undefined ? undefined : expand(step.plan.body, this.id, iter),
            }
          : step.request;
        const result = await send(this.client(step.origin), request, step.wantBody);
        if (epoch !== this.epoch) break;
        this.recorder.request(
          scenario.index,
          step.plan,
          result.status,
          result.durationMs,
          !isExpected(step.plan, result.status),
          result.error,
        );
        for (let c = 0; c < step.checks.length; c++)
          this.recorder.check(scenario.index, step.plan, c, step.checks[c](result));
      }
      if (epoch !== this.epoch) break;
    }
    const completed = epoch === this.epoch;
    this.recorder.iteration(
      scenario.index,
      completed ? 'completed' : 'interrupted',
      performance.now() - started,
      scenario.name,
    );
    return completed;
  }

  /** Cuts the running iteration short: its in-flight request is abandoned, its sleep ends. */
  interrupt(): void {
    this.epoch++;
    this.abort.controller.abort();
    this.abort.controller = new AbortController();
    for (const client of this.clients.values()) client.destroy().catch(() => {});
    this.clients.clear();
  }

  /** Closes the VU's connections once it is done. */
  close(): Promise<void> {
    const closing = [...this.clients.values()].map((c) => c.close().catch(() => {}));
    this.clients.clear();
    return Promise.all(closing).then(() => {});
  }

  private client(origin: string): Client {
    let client = this.clients.get(origin);
    if (!client) {
      client = createClient(origin, this.bytes, this.insecure);
      this.clients.set(origin, client);
    }
    return client;
  }
}
