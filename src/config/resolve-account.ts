/** What the API costs and the local account's limits (regions: regions.ts). */
import { BUDGET_DEFAULTS, LOCAL_DEFAULTS } from '../aws/defaults.ts';
import type { ResolvedBudget, ResolvedConfig } from './resolved.ts';
import type { ApiConfig } from './types.ts';

export function resolveBudget(input: ApiConfig['budget']): ResolvedBudget {
  return {
    monthlyUsd: input?.monthlyUsd ?? BUDGET_DEFAULTS.monthlyUsd,
    alerts: (input?.alerts ?? BUDGET_DEFAULTS.alerts).map((a) => ({
      percent: a.percent,
      on: a.on ?? BUDGET_DEFAULTS.alertOn,
    })),
    email: input?.email,
  };
}

export function resolveLocal(input: ApiConfig['local']): ResolvedConfig['local'] {
  return {
    accountConcurrency: input?.accountConcurrency ?? LOCAL_DEFAULTS.accountConcurrency,
    idleEnvironmentSeconds: input?.idleEnvironmentSeconds ?? LOCAL_DEFAULTS.idleEnvironmentSeconds,
    ...(input?.prestartedRuntimes === undefined ? {} : { prestartedRuntimes: input.prestartedRuntimes }),
    accountThrottle: input?.accountThrottle,
    healthCheckIntervalSeconds: input?.healthCheckIntervalSeconds ?? LOCAL_DEFAULTS.healthCheckIntervalSeconds,
    replicationLagMs: input?.replicationLagMs ?? LOCAL_DEFAULTS.replicationLagMs,
  };
}
