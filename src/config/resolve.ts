/**
 * Validates a raw config object and turns it into a ResolvedConfig: the schema first, then each
 * section resolved by its own module (defaults applied, route keys parsed, references between
 * sections checked, handler modules located on disk). Every problem is collected before throwing.
 */
import { basename, dirname } from 'node:path';
import { DEFAULT_ACCOUNT } from '../aws/defaults.ts';
import { apiIdFor } from './api-id.ts';
import { ConfigError, describeZodIssues } from './errors.ts';
import { resolveRegions } from './regions.ts';
import { resolveBudget, resolveLocal } from './resolve-account.ts';
import { resolveAlarms } from './resolve-alarms.ts';
import { resolveAuthorizers } from './resolve-authorizers.ts';
import { resolveFunctions } from './resolve-functions.ts';
import { resolveRoutes } from './resolve-routes.ts';
import { resolveCors, resolveStage } from './resolve-stage.ts';
import { resolveTables } from './resolve-tables.ts';
import type { ResolvedConfig } from './resolved.ts';
import { apiConfigSchema } from './schema.ts';
import type { ApiConfig } from './types.ts';

/**
 * Validates `raw` (the config module's default export) read from `file`.
 * Throws ConfigError listing every problem found, each naming the field, the value and what was expected.
 */
export function resolveConfig(raw: unknown, file: string): ResolvedConfig {
  const label = basename(file);
  const parsed = apiConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(
      label,
      describeZodIssues(parsed.error, 'not one of the accepted forms (see the config reference in README.md)'),
    );
  const input = parsed.data as ApiConfig;
  const dir = dirname(file);
  const problems: string[] = [];

  const functions = resolveFunctions(input.functions, dir, problems);
  const authorizers = resolveAuthorizers(input.authorizers, functions, problems);
  const routes = resolveRoutes(input.routes, functions, Object.keys(authorizers), problems);
  const stage = resolveStage(input.stage);
  const cors = resolveCors(input.cors, problems);
  const tables = resolveTables(input.tables, problems);
  const alarms = resolveAlarms(input.alarms, functions, problems);

  const regions = resolveRegions(input.regions, problems);
  if (problems.length) throw new ConfigError(label, problems);

  return {
    file,
    dir,
    name: input.name,
    description: input.description,
    apiId: apiIdFor(input.name),
    account: input.account ?? DEFAULT_ACCOUNT,
    stage,
    cors,
    authorizers,
    functions,
    routes,
    tables,
    alarms,
    budget: resolveBudget(input.budget),
    regions,
    domain: input.domain,
    tags: input.tags ?? {},
    local: resolveLocal(input.local),
  };
}
