/**
 * Validates a raw config object and turns it into a ResolvedConfig: defaults applied, route keys
 * parsed, references between sections checked, handler modules located on disk.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { ConfigError, describeZodIssues } from './errors.ts';
import type {
  ResolvedAlarm,
  ResolvedConfig,
  ResolvedFunction,
  ResolvedIndex,
  ResolvedKey,
  ResolvedRoute,
  ResolvedTable,
} from './resolved.ts';
import { parseRouteKey } from './route-key.ts';
import { apiConfigSchema } from './schema.ts';
import type { ApiConfig, KeyAttribute, RouteConfig } from './types.ts';

export const HANDLER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;
export const DEFAULT_ACCOUNT = '123456789012';

const DEFAULT_ALARMS: Record<string, { threshold: number; periods: number; periodSeconds: number }> = {
  '5xx': { threshold: 10, periods: 2, periodSeconds: 60 },
};

/** A stable, API-Gateway-looking id: 10 lower-case letters and digits derived from the API name. */
export function apiIdFor(apiName: string): string {
  const digest = createHash('sha256').update(apiName).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 10; i++) id += alphabet[digest[i] % alphabet.length];
  return id;
}

function listKnown(names: string[]): string {
  return names.length ? names.join(', ') : 'none defined';
}

function locateModule(dir: string, handler: string): { modulePath?: string; exportName: string; tried: string[] } {
  const dot = handler.lastIndexOf('.');
  const base = resolvePath(dir, handler.slice(0, dot));
  const exportName = handler.slice(dot + 1);
  const tried = HANDLER_EXTENSIONS.map((ext) => base + ext);
  return { modulePath: tried.find((p) => existsSync(p)), exportName, tried };
}

function resolveKey(key: string | KeyAttribute): ResolvedKey {
  return typeof key === 'string' ? { name: key, type: 'S' } : { name: key.name, type: key.type ?? 'S' };
}

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
  const functionNames = Object.keys(input.functions);
  const authorizerNames = Object.keys(input.authorizers ?? {});

  const functions: Record<string, ResolvedFunction> = {};
  for (const [fnName, fn] of Object.entries(input.functions)) {
    const located = locateModule(dir, fn.handler);
    if (!located.modulePath) {
      problems.push(
        `functions.${fnName}.handler: no module for "${fn.handler}" (looked for ${located.tried.map((p) => basename(p)).join(', ')} in ${dirname(located.tried[0])})`,
      );
    }
    functions[fnName] = {
      name: fnName,
      handler: fn.handler,
      modulePath: located.modulePath ?? located.tried[0],
      exportName: located.exportName,
      memoryMb: fn.memoryMb ?? 128,
      timeoutSeconds: fn.timeoutSeconds ?? 3,
      reservedConcurrency: fn.reservedConcurrency,
      environment: fn.environment ?? {},
      architecture: fn.architecture ?? 'arm64',
      description: fn.description,
    };
  }

  for (const [authName, auth] of Object.entries(input.authorizers ?? {})) {
    if (auth.type === 'lambda' && !functions[auth.function]) {
      problems.push(
        `authorizers.${authName}.function: unknown function "${auth.function}" (known: ${listKnown(functionNames)})`,
      );
    }
  }

  const routes: ResolvedRoute[] = [];
  const seenRoutes = new Set<string>();
  for (const [routeKey, value] of Object.entries(input.routes) as [string, RouteConfig][]) {
    const where = `routes[${JSON.stringify(routeKey)}]`;
    const key = parseRouteKey(routeKey);
    if ('error' in key) {
      problems.push(`${where}: invalid route key: ${key.error}`);
      continue;
    }
    const normalized = key.kind === 'default' ? '$default' : `${key.method} ${key.path}`;
    if (seenRoutes.has(normalized)) problems.push(`${where}: duplicate route key`);
    seenRoutes.add(normalized);
    const route = typeof value === 'string' ? { function: value } : value;
    if ('function' in route && !functions[route.function]) {
      problems.push(
        `${where}${typeof value === 'string' ? '' : '.function'}: unknown function "${route.function}" (known: ${listKnown(functionNames)})`,
      );
    }
    if (route.authorizer !== undefined && !authorizerNames.includes(route.authorizer)) {
      problems.push(
        `${where}.authorizer: unknown authorizer "${route.authorizer}" (known: ${listKnown(authorizerNames)})`,
      );
    }
    routes.push({
      routeKey: normalized,
      method: key.kind === 'route' ? key.method : undefined,
      path: key.kind === 'route' ? key.path : undefined,
      integration:
        'function' in route
          ? { type: 'lambda', functionName: route.function, payloadFormatVersion: route.payloadFormatVersion ?? '2.0' }
          : { type: 'http', url: route.http, method: route.method },
      authorizer: route.authorizer,
      scopes: route.scopes ?? [],
      throttle: route.throttle,
      timeoutInMillis: route.timeoutInMillis ?? 30000,
    });
  }
  if (Object.keys(input.routes).length === 0) problems.push('routes: expected at least one route');

  const stageInput = typeof input.stage === 'string' ? { name: input.stage } : (input.stage ?? {});
  if (input.cors?.allowCredentials && input.cors.allowOrigins.some((o) => o.includes('*'))) {
    problems.push('cors.allowCredentials: cannot be true with a wildcard origin ("*", "https://*"); list the origins');
  }

  const tables: Record<string, ResolvedTable> = {};
  for (const [tableName, table] of Object.entries(input.tables ?? {})) {
    const partitionKey = resolveKey(table.partitionKey);
    const sortKey = table.sortKey === undefined ? undefined : resolveKey(table.sortKey);
    // DynamoDB declares each key attribute once, with one type, for the table and all its indexes.
    const declared = new Map<string, [type: string, where: string]>();
    const declare = (key: ResolvedKey | undefined, where: string) => {
      if (!key) return;
      const earlier = declared.get(key.name);
      if (earlier && earlier[0] !== key.type)
        problems.push(
          `tables.${tableName}.${where}: attribute "${key.name}" is type ${key.type} here but ${earlier[0]} in ${earlier[1]}; an attribute has one type`,
        );
      else if (!earlier) declared.set(key.name, [key.type, `tables.${tableName}.${where}`]);
    };
    declare(partitionKey, 'partitionKey');
    declare(sortKey, 'sortKey');
    const indexes: ResolvedIndex[] = [];
    for (const [indexName, index] of Object.entries(table.indexes ?? {})) {
      const resolved: ResolvedIndex = {
        indexName,
        partitionKey: resolveKey(index.partitionKey),
        sortKey: index.sortKey === undefined ? undefined : resolveKey(index.sortKey),
        projection:
          index.projection === undefined || index.projection === 'all'
            ? { type: 'ALL' }
            : index.projection === 'keys'
              ? { type: 'KEYS_ONLY' }
              : { type: 'INCLUDE', nonKeyAttributes: index.projection },
      };
      declare(resolved.partitionKey, `indexes.${indexName}.partitionKey`);
      declare(resolved.sortKey, `indexes.${indexName}.sortKey`);
      indexes.push(resolved);
    }
    tables[tableName] = { tableName, partitionKey, sortKey, indexes, retain: table.retain ?? true };
  }

  const alarms: Record<string, ResolvedAlarm> = {};
  for (const [alarmName, alarm] of Object.entries(input.alarms ?? DEFAULT_ALARMS)) {
    const periods = 'periods' in alarm && alarm.periods !== undefined ? alarm.periods : 1;
    const full = alarm as NonNullable<ApiConfig['alarms']>[string];
    if (full.function !== undefined && !functions[full.function]) {
      problems.push(
        `alarms.${alarmName}.function: unknown function "${full.function}" (known: ${listKnown(functionNames)})`,
      );
    }
    const datapointsToAlarm = full.datapointsToAlarm ?? periods;
    if (datapointsToAlarm > periods) {
      problems.push(`alarms.${alarmName}.datapointsToAlarm: ${datapointsToAlarm} is more than periods (${periods})`);
    }
    alarms[alarmName] = {
      name: alarmName,
      metric: full.metric ?? alarmName,
      namespace: full.namespace ?? (full.function ? 'AWS/Lambda' : 'AWS/ApiGateway'),
      statistic: full.statistic ?? 'Sum',
      threshold: full.threshold,
      comparison: full.comparison ?? 'GreaterThanThreshold',
      periods,
      datapointsToAlarm,
      periodSeconds: full.periodSeconds ?? 60,
      treatMissingData: full.treatMissingData ?? 'missing',
      function: full.function,
      description: full.description,
    };
  }

  if (problems.length) throw new ConfigError(label, problems);

  return {
    file,
    dir,
    name: input.name,
    description: input.description,
    apiId: apiIdFor(input.name),
    account: input.account ?? DEFAULT_ACCOUNT,
    stage: {
      name: stageInput.name ?? '$default',
      variables: stageInput.variables ?? {},
      throttle: stageInput.throttle,
    },
    cors: input.cors && {
      allowOrigins: input.cors.allowOrigins,
      allowMethods: input.cors.allowMethods ?? [],
      allowHeaders: input.cors.allowHeaders ?? [],
      exposeHeaders: input.cors.exposeHeaders ?? [],
      maxAge: input.cors.maxAge,
      allowCredentials: input.cors.allowCredentials ?? false,
    },
    authorizers: input.authorizers ?? {},
    functions,
    routes,
    tables,
    alarms,
    budget: {
      monthlyUsd: input.budget?.monthlyUsd ?? 20,
      alerts: (input.budget?.alerts ?? [{ percent: 50, on: 'actual' }]).map((a) => ({
        percent: a.percent,
        on: a.on ?? 'actual',
      })),
      email: input.budget?.email,
    },
    regions: { primary: input.regions?.primary ?? 'us-east-1', secondary: input.regions?.secondary },
    domain: input.domain,
    tags: input.tags ?? {},
    local: {
      accountConcurrency: input.local?.accountConcurrency ?? 1000,
      idleEnvironmentSeconds: input.local?.idleEnvironmentSeconds ?? 300,
      accountThrottle: input.local?.accountThrottle,
    },
  };
}
