/** The stage (its name, variables and default throttle) and the API's CORS configuration. */
import { DEFAULT_STAGE_NAME } from '../aws/defaults.ts';
import type { ResolvedConfig, ResolvedStage } from './resolved.ts';
import type { ApiConfig } from './types.ts';

export function resolveStage(input: ApiConfig['stage']): ResolvedStage {
  const stage = typeof input === 'string' ? { name: input } : (input ?? {});
  return { name: stage.name ?? DEFAULT_STAGE_NAME, variables: stage.variables ?? {}, throttle: stage.throttle };
}

export function resolveCors(input: ApiConfig['cors'], problems: string[]): ResolvedConfig['cors'] {
  if (!input) return undefined;
  if (input.allowCredentials && input.allowOrigins.some((o) => o.includes('*'))) {
    problems.push('cors.allowCredentials: cannot be true with a wildcard origin ("*", "https://*"); list the origins');
  }
  return {
    allowOrigins: input.allowOrigins,
    allowMethods: input.allowMethods ?? [],
    allowHeaders: input.allowHeaders ?? [],
    exposeHeaders: input.exposeHeaders ?? [],
    maxAge: input.maxAge,
    allowCredentials: input.allowCredentials ?? false,
  };
}
