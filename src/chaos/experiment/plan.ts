/**
 * An experiment as a load test: one k6 scenario per measured phase (steady state, injection,
 * recovery), back to back with the same steps, so the load runs throughout and every figure and
 * hypothesis threshold can be read per phase through the `scenario` tag (`http_req_failed{scenario:injection}`).
 */
import type { ResolvedConfig, ResolvedExperiment } from '../../config/index.ts';
import type { LoadScenario, ScenarioOptions } from '../../loadtest/index.ts';
import { parseThresholds } from '../../loadtest/thresholds/parse.ts';
import { checkFault } from '../check.ts';
import { ChaosError } from '../errors.ts';

export const PHASES = ['steady-state', 'injection', 'recovery'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseWindow {
  phase: Phase;
  /** From the start of the load, ms. */
  fromMs: number;
  toMs: number;
}

/** The steady state, then as long as the faults last (from the first start to the last end), then recovery. */
export function phaseWindows(e: ResolvedExperiment): PhaseWindow[] {
  const faultMs = Math.max(...e.actions.map((a) => a.startAfterMs + a.durationMs));
  const s = e.steadyStateMs;
  return [
    { phase: 'steady-state', fromMs: 0, toMs: s },
    { phase: 'injection', fromMs: s, toMs: s + faultMs },
    { phase: 'recovery', fromMs: s + faultMs, toMs: s + faultMs + e.recoveryMs },
  ];
}

/** `http_req_duration{name:list}` + phase → `http_req_duration{name:list,scenario:injection}`. */
export function phaseKey(key: string, phase: Phase): string {
  const brace = key.indexOf('{');
  if (brace === -1) return `${key.trim()}{scenario:${phase}}`;
  const inner = key.slice(brace + 1, key.lastIndexOf('}')).trim();
  return `${key.slice(0, brace).trim()}{${inner ? `${inner},` : ''}scenario:${phase}}`;
}

/** The per-phase figures every verdict shows, read from the run's sub-metrics. */
export const FIGURES = {
  requests: { metric: 'http_reqs', expression: 'count>=0', stat: 'count' },
  errorRate: { metric: 'http_req_failed', expression: 'rate>=0', stat: 'rate' },
  p95: { metric: 'http_req_duration', expression: 'p(95)>=0', stat: 'p(95)' },
} as const;

/**
 * Checks everything an experiment needs before anything starts: its actions (with FIS's ranges), its
 * hypothesis (k6 threshold syntax), its phases. Throws ChaosError naming each field.
 */
export function checkExperiment(config: ResolvedConfig, e: ResolvedExperiment): void {
  const field = `chaos.experiments.${e.name}`;
  const problems: string[] = [];
  for (const a of e.actions) {
    const checked = checkFault(config, {
      action: a.action,
      target: a.target,
      parameters: a.parameters,
      percent: a.percent,
      duration: Math.max(1, a.durationMs) / 1000,
    });
    if (!checked.ok) for (const p of checked.problems) problems.push(`${field}.actions.${a.name}.${p}`);
    if (a.durationMs <= 0) problems.push(`${field}.actions.${a.name}.duration: expected a duration above 0`);
  }
  if (e.steadyStateMs <= 0) problems.push(`${field}.steadyState: expected a duration above 0, like "10s"`);
  if (e.recoveryMs <= 0) problems.push(`${field}.recovery: expected a duration above 0, like "10s"`);
  for (const key of Object.keys(e.hypothesis)) {
    if (/[{,]\s*scenario\s*:/.test(key)) {
      problems.push(
        `${field}.hypothesis["${key}"]: the scenario tag is the experiment's own (one per phase); leave it out`,
      );
    }
  }
  const { problems: thresholdProblems } = parseThresholds(e.hypothesis);
  for (const p of thresholdProblems) problems.push(p.replace(/^options\.thresholds/, `${field}.hypothesis`));
  if (problems.length) throw new ChaosError(problems.join('\n'));
}

/** The load test of an experiment: its steps in one scenario per phase, hypothesis and figures per phase. */
export function experimentScenario(
  e: ResolvedExperiment,
  windows: PhaseWindow[],
  authorization?: string,
): LoadScenario {
  const scenarios: Record<string, ScenarioOptions> = {};
  const thresholds: Record<string, string[]> = {};
  for (const w of windows) {
    const base = { startTime: `${w.fromMs}ms`, gracefulStop: '10s', tags: { phase: w.phase } };
    const duration = `${w.toMs - w.fromMs}ms`;
    scenarios[w.phase] =
      e.load.rate === undefined
        ? { ...base, executor: 'constant-vus', vus: e.load.vus, duration }
        : {
            ...base,
            executor: 'constant-arrival-rate',
            rate: e.load.rate,
            timeUnit: '1s',
            duration,
            preAllocatedVUs: e.load.vus,
            maxVUs: Math.max(e.load.vus, Math.ceil(e.load.rate) * 4),
          };
    for (const [key, expressions] of Object.entries(e.hypothesis)) {
      const k = phaseKey(key, w.phase);
      thresholds[k] = [...(thresholds[k] ?? []), ...expressions];
    }
    for (const figure of Object.values(FIGURES)) {
      const k = `${figure.metric}{scenario:${w.phase}}`;
      if (!thresholds[k]?.includes(figure.expression)) thresholds[k] = [...(thresholds[k] ?? []), figure.expression];
    }
  }
  return {
    options: { scenarios, thresholds, summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'] },
    steps: (authorization === undefined
      ? e.load.steps
      : e.load.steps.map((step) =>
          'sleep' in step
            ? step
            : { ...step, headers: { authorization, ...(step.headers as Record<string, string> | undefined) } },
        )) as LoadScenario['steps'],
  };
}
