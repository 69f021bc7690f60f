/**
 * Builds the gantry stacks into a CDK app: the primary region, the secondary when configured, and
 * the us-east-1 edge stack when CloudFront is asked for. Feature flags, tags and the validators
 * apply to all of them.
 */
import { type App, Tags } from 'aws-cdk-lib';
import type { ResolvedConfig } from '../config/index.ts';
import { EdgeStack } from './edge-stack.ts';
import { applyFeatureFlags } from './feature-flags.ts';
import { enableGuard } from './guard.ts';
import { HealthAlarmsStack, HealthCheckAlarms, type WatchedHealthCheck } from './health-alarms.ts';
import { enableNag } from './nag.ts';
import { type DeploymentPlan, type InfraOptions, planDeployment } from './plan.ts';
import { RegionalStack } from './regional-stack.ts';

export interface GantryStacks {
  plan: DeploymentPlan;
  primary: RegionalStack;
  secondary?: RegionalStack;
  edge?: EdgeStack;
  /** The us-east-1 stack of the health-check alarms, when there is no edge stack to hold them. */
  health?: HealthAlarmsStack;
  /** Whether the cfn-guard Control Tower rules run (false when skipped or not installed). */
  guard: boolean;
}

export function buildStacks(app: App, config: ResolvedConfig, options: InfraOptions = {}): GantryStacks {
  const plan = planDeployment(config, options);
  // Before any stack: the CDK reads a flag from the context when a construct is created.
  applyFeatureFlags(app);
  const primary = new RegionalStack(app, { plan, role: 'primary' });
  const secondary = plan.secondary
    ? new RegionalStack(app, {
        plan,
        role: 'secondary',
        cognito: primary.userPools?.trust(plan.primary),
        originSecretArn: primary.originSecret?.secret.secretArn,
      })
    : undefined;
  // The global table's replica is created by the primary stack: deploy it first.
  if (secondary) secondary.addStackDependency(primary);
  const edge = plan.edge ? new EdgeStack(app, plan, primary.originSecret!.secret.secretArn) : undefined;
  if (edge) {
    edge.addStackDependency(primary);
    if (secondary) edge.addStackDependency(secondary);
  }
  const health = watchHealthChecks(app, plan, [primary, secondary], edge);

  const tags: Record<string, string> = { ...config.tags, 'gantry:api': config.name };
  if (plan.stage) tags['gantry:stage'] = plan.stage;
  for (const stack of [primary, secondary, edge, health]) {
    if (!stack) continue;
    for (const [key, value] of Object.entries(tags)) {
      // Each resource of the template, and (explicitly, see feature-flags.ts) the stack itself.
      Tags.of(stack).add(key, value);
      stack.tags.setTag(key, value);
    }
  }
  const nag = options.nag ?? true;
  if (nag) enableNag(app);
  const guard = (options.guard ?? nag) && enableGuard(app);
  return { plan, primary, secondary, edge, health, guard };
}

/** Alarms on the failover pair's health checks, in us-east-1 (see health-alarms.ts for where and why). */
function watchHealthChecks(
  app: App,
  plan: DeploymentPlan,
  regions: (RegionalStack | undefined)[],
  edge: EdgeStack | undefined,
): HealthAlarmsStack | undefined {
  const checks: WatchedHealthCheck[] = [];
  for (const stack of regions) {
    const healthCheck = stack?.domain?.healthCheck;
    if (healthCheck) checks.push({ region: stack.region, role: stack.role, healthCheckId: healthCheck.healthCheckId });
  }
  if (!checks.length) return undefined;
  const ownStack = edge ? undefined : new HealthAlarmsStack(app, plan);
  const host = edge ?? ownStack!;
  for (const stack of regions) if (stack) host.addStackDependency(stack);
  new HealthCheckAlarms(host, 'HealthCheckAlarms', { plan, checks });
  return ownStack;
}
