/**
 * Defaults live once (src/aws/defaults.ts, src/aws/limits.ts): the `@default`s documented on the config
 * types (what editors show a user) must say the same values. A default changed in one place only fails
 * here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ALARM_DEFAULTS,
  BUDGET_DEFAULTS,
  DEFAULT_REGION,
  DEFAULT_STAGE_NAME,
  FUNCTION_DEFAULTS,
  LOCAL_DEFAULTS,
  ROUTE_DEFAULTS,
  TABLE_DEFAULTS,
} from '../../src/aws/defaults.ts';
import { ACCOUNT_THROTTLE } from '../../src/aws/limits.ts';

// The config's types, split by topic across these files.
const types = ['types.ts', 'regions-types.ts']
  .map((file) => readFileSync(fileURLToPath(new URL(`../../src/config/${file}`, import.meta.url)), 'utf8'))
  .join('\n');

/** The `@default` text of every field of `interfaceName`, by field name. */
function documented(interfaceName: string): Map<string, string> {
  const start = types.indexOf(`export interface ${interfaceName} `);
  assert.ok(start !== -1, `the config's types declare ${interfaceName}`);
  const body = types.slice(start, types.indexOf('\n}', start));
  const out = new Map<string, string>();
  for (const m of body.matchAll(/@default ([^\n]*?)\s*(?:\*\/)?\n(?:\s*\*[^\n]*\n)*?\s*(?:\*\/\s*\n\s*)?(\w+)\?:/g)) {
    out.set(m[2], m[1].trim());
  }
  return out;
}

const literal = (value: unknown) => (typeof value === 'string' ? `'${value}'` : String(value));

function assertDocumented(interfaceName: string, fields: Record<string, unknown>): void {
  const docs = documented(interfaceName);
  for (const [field, value] of Object.entries(fields)) {
    const text = docs.get(field);
    assert.ok(text !== undefined, `${interfaceName}.${field} documents its @default`);
    assert.ok(
      text === literal(value) || text.startsWith(`${literal(value)} `),
      `${interfaceName}.${field}: @default ${text}, but the default applied is ${literal(value)}`,
    );
  }
}

test('function, route, table, alarm, budget and local defaults are documented as applied', () => {
  assertDocumented('FunctionConfig', {
    memoryMb: FUNCTION_DEFAULTS.memoryMb,
    timeoutSeconds: FUNCTION_DEFAULTS.timeoutSeconds,
    architecture: FUNCTION_DEFAULTS.architecture,
  });
  assertDocumented('LambdaRouteConfig', {
    payloadFormatVersion: ROUTE_DEFAULTS.payloadFormatVersion,
    timeoutInMillis: ROUTE_DEFAULTS.timeoutInMillis,
  });
  assertDocumented('KeyAttribute', { type: TABLE_DEFAULTS.keyType });
  assertDocumented('TableConfig', { retain: TABLE_DEFAULTS.retain });
  assertDocumented('AlarmConfig', {
    statistic: ALARM_DEFAULTS.statistic,
    comparison: ALARM_DEFAULTS.comparison,
    periodSeconds: ALARM_DEFAULTS.periodSeconds,
    treatMissingData: ALARM_DEFAULTS.treatMissingData,
    namespace: ALARM_DEFAULTS.namespace,
  });
  assertDocumented('BudgetConfig', { monthlyUsd: BUDGET_DEFAULTS.monthlyUsd });
  assertDocumented('LocalConfig', {
    accountConcurrency: LOCAL_DEFAULTS.accountConcurrency,
    idleEnvironmentSeconds: LOCAL_DEFAULTS.idleEnvironmentSeconds,
  });
  const local = documented('LocalConfig');
  assert.match(
    local.get('accountThrottle') ?? '',
    new RegExp(`^\\{ rateLimit: ${ACCOUNT_THROTTLE.rateLimit}, burstLimit: ${ACCOUNT_THROTTLE.burstLimit} \\}`),
  );
  assert.equal(documented('RegionsConfig').get('primary'), literal(DEFAULT_REGION));
  assert.equal(documented('StageConfig').get('name'), literal(DEFAULT_STAGE_NAME));
});
