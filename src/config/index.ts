export { DEFAULT_ACCOUNT } from '../aws/defaults.ts';
export { parseExperimentDuration, REGION_OUTAGE_ACTION } from './chaos.ts';
export { ConfigError } from './errors.ts';
export {
  BUNDLE_MODULE,
  BUNDLE_OPTIONS,
  DEPLOY_ONLY_ENVIRONMENT,
  ESM_REQUIRE_BANNER,
  type FunctionSpec,
  functionSpec,
  LOCAL_ONLY_ENVIRONMENT,
  withTableNames,
} from './function-spec.ts';
export {
  DEPLOYED_LAMBDA_RUNTIME,
  hasCallbackHandlers,
  runtimeWarnings,
} from './lambda-runtime.ts';
export { DEFAULT_CONFIG_FILE, loadConfig } from './load.ts';
export {
  consolePortFor,
  DEFAULT_CONSOLE_PORT,
  DEFAULT_DEV_PORT,
  httpOrigin,
  regionalPortsFor,
  stageBasePath,
  storePortFor,
} from './local.ts';
export { usesLocalIssuer } from './local-issuer.ts';
export { servedRegions } from './regions.ts';
export { resolveConfig } from './resolve.ts';
export type * from './resolved.ts';
export { HTTP_METHODS, parseRouteKey } from './route-key.ts';
export type * from './types.ts';

import type { ApiConfig } from './types.ts';

/** Identity function: gives `api.config.ts` its types and editor completion, nothing else. */
export function defineApi(config: ApiConfig): ApiConfig {
  return config;
}
export {
  type DashboardMetric,
  type DashboardWidget,
  dashboardWidgets,
  GOLDEN_SIGNALS_DASHBOARD,
} from './dashboard.ts';
