/**
 * Which parts of the config's chaos experiments AWS FIS can run: FIS's Lambda actions on the
 * config's functions become template actions; everything else (gantry's own gateway, store and
 * concurrency faults) cannot be exported and is listed, so synth never drops a fault silently.
 */
import {
  checkParameter,
  FIS_LAMBDA_ACTIONS,
  FIS_MAX_STOP_CONDITIONS,
  type FisLambdaAction,
  isFisLambdaAction,
} from '../aws/fis.ts';
import {
  REGION_OUTAGE_ACTION,
  type ResolvedConfig,
  type ResolvedExperiment,
  type ResolvedExperimentAction,
} from '../config/index.ts';
import { InfraError } from './errors.ts';

export interface FisAction {
  name: string;
  actionId: FisLambdaAction;
  functionName: string;
  /** As FIS templates take them: strings, `duration` in ISO 8601. */
  parameters: Record<string, string>;
  startAfterMs: number;
}

export interface FisExperimentPlan {
  experiment: ResolvedExperiment;
  actions: FisAction[];
  /** Actions FIS has no equivalent for, with why. */
  unmapped: { name: string; action: string; reason: string }[];
}

/**
 * Why a region outage stays local. FIS's nearest actions, `aws:network:route-table-disrupt-cross-region-connectivity`
 * and `aws:network:transit-gateway-disrupt-cross-region-connectivity` (and Resilience Hub's "Multi-Region:
 * isolation" scenario, which bundles them with replication pauses), cut a VPC's subnets off from
 * another region: API Gateway and Lambda functions outside a VPC never notice, so exporting one would
 * claim an outage the experiment never causes.
 */
const REGION_OUTAGE_REASON =
  'AWS FIS cannot take a serverless region down: its cross-Region actions (aws:network:route-table-disrupt-cross-region-connectivity) isolate VPC subnets, which API Gateway and Lambda outside a VPC do not use; rehearse it with gantry dev, or in AWS by failing the Route 53 health check';

/** `90000` → `PT1M30S`. */
export function isoDuration(ms: number): string {
  const total = Math.max(1, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

function mapAction(
  config: ResolvedConfig,
  field: string,
  a: ResolvedExperimentAction,
  problems: string[],
): FisAction | undefined {
  if (!isFisLambdaAction(a.action)) return undefined;
  if (!config.functions[a.target]) {
    problems.push(
      `${field}.target: "${a.target}" is not a function of this config (${Object.keys(config.functions).join(', ')})`,
    );
    return undefined;
  }
  const specs = FIS_LAMBDA_ACTIONS[a.action] as Record<string, Parameters<typeof checkParameter>[1]>;
  const given: Record<string, unknown> = { ...a.parameters };
  if (a.percent !== undefined) given.invocationPercentage = a.percent;
  const parameters: Record<string, string> = { duration: isoDuration(a.durationMs) };
  for (const name of Object.keys(given)) {
    if (!specs[name]) problems.push(`${field}.parameters.${name}: ${a.action} has no such parameter`);
  }
  for (const [name, spec] of Object.entries(specs)) {
    const raw = given[name] ?? spec.default;
    if (raw === undefined) {
      problems.push(`${field}.parameters.${name}: required by ${a.action} (${spec.doc})`);
      continue;
    }
    const checked = checkParameter(name, spec, raw);
    if (checked.ok) parameters[name] = String(checked.value);
    else problems.push(`${field}.parameters.${checked.problem}`);
  }
  return { name: a.name, actionId: a.action, functionName: a.target, parameters, startAfterMs: a.startAfterMs };
}

/** One plan per experiment; throws InfraError naming each field FIS would refuse. */
export function planFisExperiments(config: ResolvedConfig): FisExperimentPlan[] {
  const problems: string[] = [];
  const plans = Object.values(config.experiments).map((experiment) => {
    const field = `chaos.experiments.${experiment.name}`;
    if (experiment.stopConditions.length > FIS_MAX_STOP_CONDITIONS) {
      problems.push(`${field}.stopConditions: FIS takes at most ${FIS_MAX_STOP_CONDITIONS}`);
    }
    const actions: FisAction[] = [];
    const unmapped: FisExperimentPlan['unmapped'] = [];
    for (const a of experiment.actions) {
      const mapped = mapAction(config, `${field}.actions.${a.name}`, a, problems);
      if (mapped) actions.push(mapped);
      else if (!isFisLambdaAction(a.action)) {
        unmapped.push({
          name: a.name,
          action: a.action,
          reason:
            a.action === REGION_OUTAGE_ACTION
              ? REGION_OUTAGE_REASON
              : 'AWS FIS has no such action (it runs under gantry dev only)',
        });
      }
    }
    return { experiment, actions, unmapped };
  });
  if (problems.length) throw new InfraError(problems.join('\n'));
  return plans;
}

/** What synth prints: each experiment exported or not, and every action left out. */
export function describeFisCoverage(plans: FisExperimentPlan[]): string[] {
  const lines: string[] = [];
  for (const p of plans) {
    const name = p.experiment.name;
    if (p.actions.length === 0) {
      lines.push(`chaos experiment ${name}: not exported (no action AWS FIS supports)`);
    } else {
      lines.push(
        `chaos experiment ${name}: AWS::FIS::ExperimentTemplate with ${p.actions.map((a) => a.actionId).join(', ')}`,
      );
    }
    for (const u of p.unmapped) lines.push(`  not exported: ${u.name} (${u.action}): ${u.reason}`);
  }
  return lines;
}
