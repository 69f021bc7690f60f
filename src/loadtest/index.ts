/** `gantry load`: k6-style load tests against `gantry dev` or a deployed stage. */
export { LoadTestError, ScenarioError } from './errors.ts';
export type { TimelinePoint } from './metrics/aggregate.ts';
export type { RunPlan } from './plan.ts';
export type { LoadTestResult, MetricSummary } from './result.ts';
export { defaultWorkerCount, type Progress, type RunOptions, runPlan } from './run.ts';
export { loadScenarioFile, readScenarioExports } from './scenario/load.ts';
export { type ResolveOptions, resolveScenario } from './scenario/resolve.ts';
export type * from './scenario/types.ts';

import type { LoadTestResult } from './result.ts';
import { type RunOptions, runPlan } from './run.ts';
import { resolveScenario } from './scenario/resolve.ts';
import type { LoadScenario } from './scenario/types.ts';

/** Validates `scenario` (throws ScenarioError naming every problem) and runs it against `baseUrl`. */
export function runLoadTest(
  scenario: LoadScenario,
  options: RunOptions & { baseUrl: string },
): Promise<LoadTestResult> {
  return runPlan(resolveScenario(scenario, 'scenario', { baseUrl: options.baseUrl }), options);
}
export { toK6Script } from './k6/script.ts';
export { renderHtmlReport } from './output/html.ts';
export { formatProgress } from './output/progress.ts';
export { renderSummary } from './output/summary.ts';
export { renderScaleReport } from './scale/render.ts';
export { computeScaleReport, type ScaleReport } from './scale/report.ts';
export type { FunctionStatus, StatusSample } from './scale/status.ts';
export { probeTarget, runSession, type SessionOptions, type SessionResult } from './session.ts';
export { DEFAULT_DEV_PORT, localTarget, type Target, urlTarget } from './target.ts';
