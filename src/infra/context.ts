/** Context keys the CLI sets (`cdk -c KEY=VALUE`) and the app entry reads. */
export const CONTEXT_KEYS = {
  /** Absolute path of `api.config.ts`. */
  config: 'gantry:config',
  /** Deployment stage (`--stage`). */
  stage: 'gantry:stage',
  /** Primary region override (`--region`). */
  region: 'gantry:region',
  /** `false` skips the cdk-nag checks. */
  nag: 'gantry:nag',
} as const;
