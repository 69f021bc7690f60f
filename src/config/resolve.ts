/**
 * Validates a raw config object and turns it into a ResolvedConfig: the schema first, then each
 * section resolved by its own module (defaults applied, route keys parsed, references between
 * sections checked, handler modules located on disk). Every problem is collected before throwing.
 */
import { basename, dirname } from 'node:path';
import type { z } from 'zod';
import { DEFAULT_ACCOUNT } from '../aws/defaults.ts';
import { apiIdFor } from './api-id.ts';
import { resolveExperiments } from './chaos.ts';
import { ConfigError, describeZodIssues } from './errors.ts';
import { resolveFederation } from './federation.ts';
import { resolveRegions, servedRegions } from './regions.ts';
import { resolveBudget, resolveLocal } from './resolve-account.ts';
import { resolveAlarms } from './resolve-alarms.ts';
import { resolveAuthorizers } from './resolve-authorizers.ts';
import { checkConcurrency } from './resolve-concurrency.ts';
import { resolveFunctions } from './resolve-functions.ts';
import { resolveRoutes } from './resolve-routes.ts';
import { resolveCors, resolveStage } from './resolve-stage.ts';
import { checkTableAccess, resolveTables } from './resolve-tables.ts';
import type { ResolvedConfig } from './resolved.ts';
import { apiConfigSchema } from './schema.ts';
import type { ApiConfig } from './types.ts';

/**
 * The schema's verdict on `raw`. When it fails, every section that is valid on its own is still
 * parsed, so its deeper problems (a handler file missing, a route naming an unknown function) are
 * reported in the same run as the schema's: one round of fixes, not two.
 */
function parseSections(raw: unknown, label: string, problems: string[]): { input: ApiConfig; invalid: Set<string> } {
  const parsed = apiConfigSchema.safeParse(raw);
  if (parsed.success) return { input: parsed.data, invalid: new Set() };
  problems.push(
    ...describeZodIssues(parsed.error, 'not one of the accepted forms (see the config reference in README.md)'),
  );
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(label, problems);
  const sections: Record<string, unknown> = {};
  const invalid = new Set<string>();
  for (const [key, schema] of Object.entries(apiConfigSchema.shape)) {
    const one = (schema as z.ZodType).safeParse((raw as Record<string, unknown>)[key]);
    if (one.success) sections[key] = one.data;
    else invalid.add(key);
  }
  return { input: sections as unknown as ApiConfig, invalid };
}

/**
 * Validates `raw` (the config module's default export) read from `file`.
 * Throws ConfigError listing every problem found, each naming the field, the value and what was expected.
 */
export function resolveConfig(raw: unknown, file: string): ResolvedConfig {
  const label = basename(file);
  const problems: string[] = [];
  const { input, invalid } = parseSections(raw, label, problems);
  const dir = dirname(file);
  // A section whose schema failed is not resolved (its problems are listed already), nor are those
  // that refer to it: routes naming functions of an invalid `functions` would only add false alarms.
  const ok = (...sections: string[]) => sections.every((section) => !invalid.has(section));

  const functions = ok('functions') ? resolveFunctions(input.functions, dir, problems) : {};
  const authorizers = ok('functions', 'authorizers') ? resolveAuthorizers(input.authorizers, functions, problems) : {};
  const routes = ok('functions', 'authorizers', 'routes')
    ? resolveRoutes(input.routes, functions, authorizers, problems)
    : [];
  const stage = resolveStage(ok('stage') ? input.stage : undefined);
  const cors = ok('cors') ? resolveCors(input.cors, problems) : undefined;
  const tables = ok('tables') ? resolveTables(input.tables, problems) : {};
  if (ok('functions', 'tables')) checkTableAccess(functions, tables, problems);
  const alarms = ok('functions', 'alarms') ? resolveAlarms(input.alarms, functions, problems) : {};

  const regions = resolveRegions(
    ok('regions') ? input.regions : undefined,
    problems,
    ok('local') ? input.local : undefined,
  );
  const federation = ok('federation') ? resolveFederation(input.federation, problems) : undefined;
  const experiments = ok('chaos', 'alarms', 'regions')
    ? resolveExperiments(
        input.chaos,
        {
          alarmNames: Object.keys(alarms),
          regions: servedRegions(regions),
        },
        problems,
      )
    : {};
  const local = resolveLocal(ok('local') ? input.local : undefined);
  if (ok('functions', 'local')) checkConcurrency(functions, local.accountConcurrency, problems);
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
    federation,
    experiments,
    domain: input.domain,
    tags: input.tags ?? {},
    local,
  };
}
