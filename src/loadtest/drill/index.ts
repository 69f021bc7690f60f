/** `gantry drill failover`: the drill, its summary and its HTML report. */

export { renderDrillHtml } from './report-html.ts';
export { DrillError, runFailoverDrill } from './run.ts';
export { renderDrillSummary } from './summary.ts';
export type * from './types.ts';
