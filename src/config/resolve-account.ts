/** What the API costs and where it runs: budget, regions, and the local account's limits. */
import { BUDGET_DEFAULTS, DEFAULT_REGION, LOCAL_DEFAULTS } from '../aws/defaults.ts';
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

export function resolveRegions(input: ApiConfig['regions']): ResolvedConfig['regions'] {
  return { primary: input?.primary ?? DEFAULT_REGION, secondary: input?.secondary };
}

export function resolveLocal(input: ApiConfig['local']): ResolvedConfig['local'] {
  return {
    accountConcurrency: input?.accountConcurrency ?? LOCAL_DEFAULTS.accountConcurrency,
    idleEnvironmentSeconds: input?.idleEnvironmentSeconds ?? LOCAL_DEFAULTS.idleEnvironmentSeconds,
    accountThrottle: input?.accountThrottle,
  };
}
