/**
 * The verdict of an experiment: per phase, the hypothesis judged on that phase's own requests, and the
 * figures that explain it (request rate, error rate, p95, Lambda errors, cold starts, throttles,
 * alarms that fired). It holds when every phase reached holds; a stop condition is a failed verdict.
 */
import type { ResolvedExperiment } from '../../config/index.ts';
import type { LoadTestResult } from '../../loadtest/index.ts';
import type { Fault } from '../registry.ts';
import { FIGURES, type Phase, type PhaseWindow, phaseKey } from './plan.ts';

/** Cumulative Lambda counters per function, as `/api/status` gives them. */
export type CounterSnapshot = Record<
  string,
  { invocations: number; coldStarts: number; throttles: number; errors: number }
>;

export interface HypothesisCheck {
  /** As the user wrote it: `http_req_duration`. */
  key: string;
  expression: string;
  ok: boolean;
  /** Undefined when the phase had no request to judge. */
  actual?: number;
}

export interface PhaseResult extends PhaseWindow {
  /** False for phases a stop condition kept from running: not judged. */
  reached: boolean;
  requests: number;
  requestsPerSecond: number;
  errorRate: number;
  p95Ms?: number;
  lambdaErrors: number;
  coldStarts: number;
  throttles: number;
  alarms: string[];
  hypothesis: HypothesisCheck[];
  /** Undefined when not reached. */
  held?: boolean;
}

export interface ExperimentResult {
  name: string;
  description?: string;
  seed: number;
  startedAt: string;
  phases: PhaseResult[];
  faults: (Fault & { name: string })[];
  stopped?: { alarmName: string; atMs: number };
  rolledBackAtMs?: number;
  events: { atMs: number; text: string }[];
  verdict: 'held' | 'not held' | 'stopped';
  /** k6's contract: 0 when the hypothesis held in every phase, 99 when not (or stopped). */
  exitCode: 0 | 99;
  load: LoadTestResult;
}

function diff(a: CounterSnapshot | undefined, b: CounterSnapshot | undefined) {
  const out = { errors: 0, coldStarts: 0, throttles: 0 };
  for (const [name, after] of Object.entries(b ?? {})) {
    const before = a?.[name];
    out.errors += after.errors - (before?.errors ?? 0);
    out.coldStarts += after.coldStarts - (before?.coldStarts ?? 0);
    out.throttles += after.throttles - (before?.throttles ?? 0);
  }
  return out;
}

export function judgePhases(input: {
  experiment: ResolvedExperiment;
  windows: PhaseWindow[];
  load: LoadTestResult;
  /** Snapshots at the start, at injection, at roll back, at the end. */
  counters: CounterSnapshot[];
  fired: { alarmName: string; atMs: number }[];
  stopped?: { alarmName: string; atMs: number };
  faults: (Fault & { name: string })[];
  events: { atMs: number; text: string }[];
  seed: number;
  rolledBackAtMs?: number;
}): ExperimentResult {
  const { experiment, windows, load, counters, fired, stopped } = input;
  const phases = windows.map((w, i): PhaseResult => {
    const reached = !stopped || stopped.atMs > w.fromMs;
    const value = (metric: string, stat: string) => load.metrics[`${metric}{scenario:${w.phase}}`]?.values[stat];
    const requests = value(FIGURES.requests.metric, FIGURES.requests.stat) ?? 0;
    const seconds = Math.max(0.001, (Math.min(w.toMs, stopped?.atMs ?? w.toMs) - w.fromMs) / 1000);
    const hypothesis: HypothesisCheck[] = [];
    for (const [key, expressions] of Object.entries(experiment.hypothesis)) {
      const k = phaseKey(key, w.phase);
      for (const expression of expressions) {
        const outcome = load.thresholds.find((o) => o.threshold.key === k && o.threshold.source === expression);
        hypothesis.push({ key, expression, ok: outcome?.ok ?? false, actual: outcome?.actual });
      }
    }
    const lambda = diff(counters[i], counters[i + 1]);
    return {
      ...w,
      reached,
      requests,
      requestsPerSecond: requests / seconds,
      errorRate: value(FIGURES.errorRate.metric, FIGURES.errorRate.stat) ?? 0,
      p95Ms: requests ? value(FIGURES.p95.metric, FIGURES.p95.stat) : undefined,
      lambdaErrors: lambda.errors,
      coldStarts: lambda.coldStarts,
      throttles: lambda.throttles,
      alarms: fired.filter((f) => f.atMs >= w.fromMs && f.atMs < w.toMs).map((f) => f.alarmName),
      hypothesis,
      held: reached ? hypothesis.every((h) => h.ok) : undefined,
    };
  });
  const held = phases.every((p) => p.held !== false);
  const verdict = stopped ? 'stopped' : held ? 'held' : 'not held';
  return {
    name: experiment.name,
    description: experiment.description,
    seed: input.seed,
    startedAt: load.startedAt,
    phases,
    faults: input.faults,
    stopped,
    rolledBackAtMs: input.rolledBackAtMs,
    events: input.events,
    verdict,
    exitCode: verdict === 'held' ? 0 : 99,
    load,
  };
}

const PHASE_LABEL: Record<Phase, string> = {
  'steady-state': 'steady state',
  injection: 'injection',
  recovery: 'recovery',
};

function ms(v: number | undefined): string {
  return v === undefined ? '–' : v < 10 ? `${v.toFixed(2)}ms` : `${Math.round(v)}ms`;
}

function actual(h: HypothesisCheck): string {
  if (h.actual === undefined) return 'no requests';
  return h.key.startsWith('http_req_failed')
    ? `${(h.actual * 100).toFixed(2)}%`
    : Number(h.actual.toFixed(2)).toString();
}

/** The verdict as the terminal shows it: one row per phase, the hypothesis under each, faults, the verdict line. */
export function formatVerdict(r: ExperimentResult): string {
  const lines = [`experiment ${r.name}${r.description ? `: ${r.description}` : ''} (seed ${r.seed})`, ''];
  const head = ['phase', 'window', 'req/s', 'errors', 'p95', 'λ errors', 'cold', 'throttles', 'alarms', 'hypothesis'];
  const rows = r.phases.map((p) => [
    PHASE_LABEL[p.phase],
    `${(p.fromMs / 1000).toFixed(0)}–${(p.toMs / 1000).toFixed(0)}s`,
    p.requestsPerSecond.toFixed(1),
    `${(p.errorRate * 100).toFixed(2)}%`,
    ms(p.p95Ms),
    String(p.lambdaErrors),
    String(p.coldStarts),
    String(p.throttles),
    p.alarms.join(',') || '–',
    p.held === undefined ? 'not run' : p.held ? '✓ held' : '✗ not held',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) =>
    `  ${row.map((c, i) => (i < 2 || i >= 8 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`.trimEnd();
  lines.push(fmt(head), ...rows.map(fmt), '');
  for (const p of r.phases) {
    if (!p.reached) continue;
    const checks = p.hypothesis.map((h) => `${h.ok ? '✓' : '✗'} ${h.key} ${h.expression} (${actual(h)})`);
    lines.push(`  ${PHASE_LABEL[p.phase]}: ${checks.join('   ')}`);
  }
  lines.push('');
  for (const f of r.faults) {
    lines.push(
      `  fault ${f.name}: ${f.action} on ${f.target}${f.region ? ` in ${f.region}` : ''}, ${f.hits} of ${f.seen} hit (${f.id}, seed ${f.seed}, ${f.endReason ?? f.state})`,
    );
  }
  if (r.stopped)
    lines.push(
      `  stopped at ${(r.stopped.atMs / 1000).toFixed(1)}s by stop condition ${r.stopped.alarmName}; its faults removed`,
    );
  lines.push('');
  const failed = r.phases.filter((p) => p.held === false).map((p) => PHASE_LABEL[p.phase]);
  lines.push(
    r.verdict === 'held'
      ? 'verdict: the hypothesis held in every phase (exit 0)'
      : r.verdict === 'stopped'
        ? `verdict: stopped by ${r.stopped!.alarmName} (exit 99)`
        : `verdict: the hypothesis did not hold in ${failed.join(', ')} (exit 99)`,
  );
  return lines.join('\n');
}
