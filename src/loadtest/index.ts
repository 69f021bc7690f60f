/** `gantry load`: k6-style load tests against `gantry dev` or a deployed stage. */
export { LoadTestError, ScenarioError } from './errors.ts';
export type { LoadTestResult } from './result.ts';
export type { RunOptions } from './run.ts';
export { loadScenarioFile } from './scenario/load.ts';
export { resolveScenario } from './scenario/resolve.ts';
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
export * from './drill/index.ts';
export { toK6Script } from './k6/script.ts';
export { renderHtmlReport } from './output/html.ts';
export { renderSummary } from './output/summary.ts';
export { renderScaleReport } from './scale/render.ts';
export { computeScaleReport } from './scale/report.ts';
export { parseDuration } from './scenario/duration.ts';
export { runSession } from './session.ts';
export { localTarget, type Target, urlTarget } from './target.ts';
