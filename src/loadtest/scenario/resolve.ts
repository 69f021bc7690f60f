/**
 * Turns a scenario file's exports into a RunPlan: k6's shortcuts (`vus` + `duration`, `stages`) become
 * the scenarios k6 would make of them, defaults are applied, durations become milliseconds.
 */
import { describeZodIssues } from '../../config/errors.ts';
import { ScenarioError } from '../errors.ts';
import type { ExecutorPlan, PlannedCheck, PlannedScenario, PlannedStep, RunPlan } from '../plan.ts';
import { executorDurationMs } from '../plan.ts';
import { parseThresholds } from '../thresholds/parse.ts';
import { parseDuration } from './duration.ts';
import { loadScenarioSchema } from './schema.ts';
import type { CheckSpec, LoadOptions, LoadScenario, RequestStep, ScenarioOptions, Stage, Step } from './types.ts';

export const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
export const DEFAULT_USER_AGENT = 'gantry-load/0.1';
const DEFAULT_GRACE_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 60_000;
const TREND_STAT = /^(avg|min|med|max|count|p\(\d+(\.\d+)?\))$/;

export interface ResolveOptions {
  /** Where `path`s point: `http://127.0.0.1:3000/api` (no trailing slash needed). */
  baseUrl: string;
  /** k6's `--vus` / `--duration` flags: when given, they replace the file's executors. */
  vus?: number;
  duration?: string;
}

/** Validates `raw` (a scenario module's exports, or parsed JSON) read from `file`. Throws ScenarioError. */
export function resolveScenario(raw: unknown, file: string, options: ResolveOptions): RunPlan {
  const parsed = loadScenarioSchema.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(file, describeZodIssues(parsed.error));
  const scenario = parsed.data as LoadScenario;
  const opts: LoadOptions = { ...scenario.options };
  const problems: string[] = [];

  if (options.vus !== undefined || options.duration !== undefined) {
    // Every scenario of the file runs N VUs for D, each with its own steps and tags: taking only the
    // first (as this did) silently dropped the others' requests from the test.
    const constant = (declared?: ScenarioOptions): ScenarioOptions => ({
      executor: 'constant-vus',
      vus: options.vus ?? (declared?.executor === 'constant-vus' ? declared.vus : undefined) ?? opts.vus ?? 1,
      duration:
        options.duration ??
        (declared && 'duration' in declared ? declared.duration : undefined) ??
        opts.duration ??
        '10s',
      steps: declared?.steps,
      tags: declared?.tags,
    });
    const declared = Object.entries(opts.scenarios ?? {});
    opts.scenarios = declared.length
      ? Object.fromEntries(declared.map(([name, s]) => [name, constant(s)]))
      : { default: constant() };
    delete opts.vus;
    delete opts.duration;
    delete opts.stages;
  }

  const declared = declaredScenarios(opts, problems);
  const base = options.baseUrl.replace(/\/+$/, '');
  const scenarios: PlannedScenario[] = [];
  Object.entries(declared).forEach(([name, declaredScenario], index) => {
    const where = opts.scenarios ? `options.scenarios.${name}` : 'options';
    const steps = declaredScenario.steps ?? scenario.steps;
    const stepsWhere = declaredScenario.steps ? `${where}.steps` : 'steps';
    if (!steps?.some((s) => !('sleep' in s))) {
      problems.push(`${stepsWhere}: expected at least one request step, e.g. { "path": "/health" }`);
      return;
    }
    const executor = executorPlan(declaredScenario, where, problems);
    if (!executor) return;
    scenarios.push({
      name,
      index,
      executor,
      startTimeMs: ms(declaredScenario.startTime, 0),
      gracefulStopMs: ms(declaredScenario.gracefulStop, DEFAULT_GRACE_MS),
      steps: planSteps(
        steps,
        stepsWhere,
        { name, base, userAgent: opts.userAgent ?? DEFAULT_USER_AGENT, tags: declaredScenario.tags ?? {} },
        problems,
      ),
      tags: declaredScenario.tags ?? {},
      ownSteps: declaredScenario.steps !== undefined,
    });
  });

  const { thresholds, problems: thresholdProblems } = parseThresholds(opts.thresholds ?? {});
  problems.push(...thresholdProblems);
  const trendStats = opts.summaryTrendStats ?? DEFAULT_TREND_STATS;
  trendStats.forEach((stat, i) => {
    if (!TREND_STAT.test(stat))
      problems.push(`options.summaryTrendStats[${i}]: expected avg, min, med, max, count or p(N), got "${stat}"`);
  });
  if (problems.length) throw new ScenarioError(file, problems);
  return {
    scenarios,
    thresholds,
    summaryTrendStats: trendStats,
    userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
    durationMs: Math.max(...scenarios.map((s) => s.startTimeMs + executorDurationMs(s.executor))),
  };
}

function declaredScenarios(opts: LoadOptions, problems: string[]): Record<string, ScenarioOptions> {
  if (opts.scenarios) {
    const shortcuts = (['vus', 'duration', 'stages'] as const).filter((k) => opts[k] !== undefined);
    if (shortcuts.length) {
      problems.push(
        `options: ${shortcuts.join(', ')} cannot be combined with scenarios (k6 would ignore them); move them into a scenario`,
      );
    }
    if (Object.keys(opts.scenarios).length === 0) problems.push('options.scenarios: expected at least one scenario');
    return opts.scenarios;
  }
  if (opts.stages) {
    if (opts.duration !== undefined)
      problems.push('options.duration: cannot be combined with stages (the stages set the length)');
    return { default: { executor: 'ramping-vus', startVUs: opts.vus ?? 1, stages: opts.stages } };
  }
  if (opts.duration !== undefined)
    return { default: { executor: 'constant-vus', vus: opts.vus ?? 1, duration: opts.duration } };
  problems.push('options: expected vus + duration, stages, or scenarios (e.g. { "vus": 10, "duration": "30s" })');
  return {};
}

function executorPlan(s: ScenarioOptions, where: string, problems: string[]): ExecutorPlan | undefined {
  switch (s.executor) {
    case 'constant-vus':
      if ((s.vus ?? 1) < 1) problems.push(`${where}.vus: expected at least 1`);
      return { type: 'constant-vus', vus: s.vus ?? 1, durationMs: ms(s.duration, 0) };
    case 'ramping-vus':
      return {
        type: 'ramping-vus',
        startVUs: s.startVUs ?? 1,
        stages: stages(s.stages),
        gracefulRampDownMs: ms(s.gracefulRampDown, DEFAULT_GRACE_MS),
      };
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const maxVUs = s.maxVUs ?? s.preAllocatedVUs;
      if (maxVUs < s.preAllocatedVUs) {
        problems.push(`${where}.maxVUs: expected at least preAllocatedVUs (${s.preAllocatedVUs}), got ${maxVUs}`);
      }
      if (maxVUs < 1) problems.push(`${where}.preAllocatedVUs: expected at least 1 VU (preAllocatedVUs or maxVUs)`);
      const pool = { timeUnitMs: ms(s.timeUnit, 1000), preAllocatedVUs: s.preAllocatedVUs, maxVUs };
      return s.executor === 'constant-arrival-rate'
        ? { type: 'constant-arrival-rate', rate: s.rate, durationMs: ms(s.duration, 0), ...pool }
        : { type: 'ramping-arrival-rate', startRate: s.startRate ?? 0, stages: stages(s.stages), ...pool };
    }
  }
}

interface StepContext {
  name: string;
  base: string;
  userAgent: string;
  tags: Record<string, string>;
}

function planSteps(steps: Step[], where: string, ctx: StepContext, problems: string[]): PlannedStep[] {
  let index = 0;
  return steps.map((step, i): PlannedStep => {
    if ('sleep' in step) {
      const [min, max] = Array.isArray(step.sleep) ? step.sleep : [step.sleep, step.sleep];
      return { kind: 'sleep', minMs: min * 1000, maxMs: max * 1000 };
    }
    return planRequest(step, index++, `${where}[${i}]`, ctx, problems);
  });
}

function planRequest(
  step: RequestStep,
  index: number,
  where: string,
  ctx: StepContext,
  problems: string[],
): PlannedStep {
  if ((step.path === undefined) === (step.url === undefined))
    problems.push(`${where}: expected exactly one of path or url`);
  const method = step.method ?? 'GET';
  const url = step.url ?? ctx.base + (step.path ?? '/');
  const headers: Record<string, string> = { 'user-agent': ctx.userAgent, ...step.headers };
  let body: string | undefined;
  if (step.body !== undefined) {
    body = typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
    const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
    if (typeof step.body !== 'string' && !hasType) headers['content-type'] = 'application/json';
  }
  const expected = (step.expectedStatuses ?? [{ min: 200, max: 399 }]).map((e): [number, number] =>
    typeof e === 'number' ? [e, e] : [e.min, e.max],
  );
  return {
    kind: 'request',
    index,
    method,
    url,
    path: step.path,
    headers,
    body,
    tags: { scenario: ctx.name, name: step.name ?? url, method, url, ...ctx.tags, ...step.tags },
    stepTags: { ...(step.name === undefined ? {} : { name: step.name }), ...step.tags },
    checks: Object.entries(step.checks ?? {}).map(([name, spec]) => planCheck(name, spec)),
    expectedStatuses: expected,
    timeoutMs: ms(step.timeout, DEFAULT_TIMEOUT_MS),
  };
}

function planCheck(name: string, spec: CheckSpec): PlannedCheck {
  return {
    name,
    status: spec.status === undefined ? undefined : [spec.status].flat(),
    bodyIncludes: spec.bodyIncludes,
    bodyMatches: spec.bodyMatches,
    maxDurationMs: spec.maxDuration,
  };
}

function stages(list: Stage[]) {
  return list.map((s) => ({ durationMs: ms(s.duration, 0), target: s.target }));
}

function ms(value: string | number | undefined, fallback: number): number {
  return value === undefined ? fallback : (parseDuration(value) ?? fallback);
}
