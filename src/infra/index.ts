/** The CDK app built from the config. The CLI reaches it through cdk-app.ts; tests and tools through this. */
export { buildStacks, type GantryStacks } from './build.ts';
export { CONTEXT_KEYS } from './context.ts';
export { EdgeStack } from './edge-stack.ts';
export { InfraError } from './errors.ts';
export { type DeploymentPlan, type InfraOptions, planDeployment } from './plan.ts';
export { RegionalStack, type RegionRole } from './regional-stack.ts';
