/**
 * Whether a fault can run on this config: a known action, a target of the kind it takes, its
 * parameters within FIS's ranges, a duration. Used by inject() (CLI, console), by experiments (with
 * their field paths in front) and by synth. Every problem is collected, each naming its field.
 */
import { type ResolvedConfig, servedRegions } from '../config/index.ts';
import {
  ACTIONS,
  type ActionId,
  type ActionSpec,
  checkParameters,
  isActionId,
  type ParameterValues,
} from './actions.ts';
import { durationProblem, parseFaultDuration } from './duration.ts';
import type { FaultRequest } from './fault.ts';

/** What is checked of a request: where it comes from and which region it goes to are not. */
export type FaultInput = Omit<FaultRequest, 'source' | 'region'>;

export interface CheckedFault {
  action: ActionId;
  target: string;
  parameters: ParameterValues;
  durationMs: number;
}

export const DEFAULT_FAULT_DURATION = '60s';

export function targetsOf(config: ResolvedConfig, kind: ActionSpec['targetKind']): string[] {
  if (kind === 'function') return Object.keys(config.functions);
  if (kind === 'table') return Object.keys(config.tables);
  if (kind === 'region') return config.regions.secondary ? servedRegions(config.regions) : [];
  return config.routes.map((r) => r.routeKey);
}

export function checkFault(
  config: ResolvedConfig,
  request: FaultInput,
): { ok: true; value: CheckedFault } | { ok: false; problems: string[] } {
  const actionName = String(request.action ?? '');
  if (!isActionId(actionName)) {
    return {
      ok: false,
      problems: [
        `action: unknown action ${JSON.stringify(request.action)} (known: ${Object.keys(ACTIONS).join(', ')})`,
      ],
    };
  }
  const problems: string[] = [];
  const action = actionName;
  const spec: ActionSpec = ACTIONS[action];
  const target = String(request.target ?? '');
  const known = targetsOf(config, spec.targetKind);
  if (spec.targetKind === 'region' && known.length === 0) {
    problems.push(
      `target: ${spec.id} takes a region of a two-region gantry dev; this config serves one (${config.regions.primary}): set regions.secondary`,
    );
  } else if (!known.includes(target)) {
    const what = spec.targetKind === 'route' ? 'route key' : `${spec.targetKind} name`;
    problems.push(
      `target: ${spec.id} targets a ${what}; ${JSON.stringify(target)} is not one of this config's (${known.join(', ') || 'none'})`,
    );
  }
  const given: Record<string, unknown> = { ...(request.parameters ?? {}) };
  if (request.percent !== undefined) {
    if (!spec.percentParameter) problems.push(`percent: ${action} has no percentage (${spec.noPercentage})`);
    else given[spec.percentParameter] = request.percent;
  }
  const parameters = checkParameters(action, given);
  if (!parameters.ok) problems.push(parameters.problem);
  const duration = request.duration ?? DEFAULT_FAULT_DURATION;
  const durationIssue = durationProblem('duration', duration);
  if (durationIssue) problems.push(durationIssue);
  if (request.seed !== undefined && (!Number.isInteger(request.seed) || request.seed < 0)) {
    problems.push(`seed: expected a whole number of 0 or more, got ${JSON.stringify(request.seed)}`);
  }
  if (problems.length || !parameters.ok) return { ok: false, problems };
  return {
    ok: true,
    value: { action, target, parameters: parameters.value, durationMs: parseFaultDuration(duration)! },
  };
}
