/**
 * `chaos.experiments`: their schema and their resolution (durations in milliseconds, stop conditions
 * checked against the config's alarms). Which actions exist and what they target is src/chaos's
 * knowledge: it checks those, with the same field names, when an experiment runs or is synthesized.
 */
import { z } from 'zod';
import type { ResolvedExperiment } from './resolved.ts';
import type { ChaosConfig } from './types.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const K6_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
const ISO = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/;

/** An experiment duration: k6's `30s`, `1m30s`, `500ms`, or FIS's ISO 8601 `PT1M`. Milliseconds, or undefined. */
export function parseExperimentDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const text = value.trim();
  if (text === '' || text === 'PT') return undefined;
  const iso = ISO.exec(text);
  if (iso) {
    const [, h = '0', m = '0', s = '0'] = iso;
    return Math.round((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000);
  }
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  K6_PART.lastIndex = 0;
  while (K6_PART.lastIndex < text.length) {
    const start = K6_PART.lastIndex;
    const match = K6_PART.exec(text);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return Math.round(total);
}

const duration = z
  .string()
  .refine((v) => parseExperimentDuration(v) !== undefined, 'expected a duration like "30s", "1m30s" or "PT1M"');

const actionSchema = z.strictObject({
  action: z.string().min(1, 'expected an action id such as "aws:lambda:invocation-add-delay"'),
  target: z.string().min(1, 'expected a function name, a route key or a table name'),
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  percent: z
    .number()
    .int('expected a whole number')
    .min(1, 'expected 1 to 100')
    .max(100, 'expected 1 to 100')
    .optional(),
  startAfter: duration.optional(),
  duration,
});

const experimentSchema = z.strictObject({
  description: z.string().optional(),
  hypothesis: z
    .record(z.string(), z.array(z.string()).min(1, 'expected at least one threshold expression'))
    .refine(
      (h) => Object.keys(h).length > 0,
      "expected at least one threshold, like { http_req_failed: ['rate<0.05'] }",
    ),
  load: z.strictObject({
    rate: z.number().positive('expected iterations per second above 0').optional(),
    vus: z
      .number()
      .int('expected a whole number')
      .min(1, 'expected 1 or more')
      .max(1000, 'expected at most 1000')
      .optional(),
    steps: z.array(z.record(z.string(), z.unknown())).min(1, 'expected at least one step'),
    token: z.strictObject({ authorizer: z.string().optional(), scopes: z.array(z.string()).optional() }).optional(),
  }),
  actions: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an action name of letters, digits, "-" and "_"'),
      actionSchema,
    )
    .refine((a) => Object.keys(a).length > 0, 'expected at least one action'),
  steadyState: duration.optional(),
  recovery: duration.optional(),
  stopConditions: z.array(z.string().min(1)).max(5, 'expected at most 5 (FIS allows 5 stop conditions)').optional(),
});

export const chaosSchema = z.strictObject({
  experiments: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an experiment name of letters, digits, "-" and "_"'),
      experimentSchema,
    )
    .optional(),
});

export const EXPERIMENT_DEFAULTS = { steadyState: '10s', recovery: '10s', vus: 5 } as const;

/**
 * gantry's region outage (src/chaos names it too): the one action whose target is a region, which
 * only a two-region config has. Checked here, at load, like the stop conditions against the alarms.
 */
export const REGION_OUTAGE_ACTION = 'gantry:region:outage';

/** What an experiment's actions and stop conditions may name. */
export interface ExperimentContext {
  alarmNames: string[];
  /** The regions gantry dev serves: one, or the primary and the secondary. */
  regions: string[];
}

function checkRegionOutage(
  field: string,
  target: string,
  percent: number | undefined,
  regions: string[],
  problems: string[],
) {
  if (regions.length < 2) {
    problems.push(
      `${field}.action: ${REGION_OUTAGE_ACTION} takes a region of a two-region gantry dev; this config serves one (${regions[0]}): set regions.secondary`,
    );
  } else if (!regions.includes(target)) {
    problems.push(`${field}.target: "${target}" is not a region of this config (${regions.join(', ')})`);
  }
  if (percent !== undefined) {
    problems.push(
      `${field}.percent: ${REGION_OUTAGE_ACTION} has no percentage (the whole region is down); leave it out`,
    );
  }
}

export function resolveExperiments(
  input: ChaosConfig | undefined,
  context: ExperimentContext,
  problems: string[],
): Record<string, ResolvedExperiment> {
  const { alarmNames, regions } = context;
  const out: Record<string, ResolvedExperiment> = {};
  for (const [name, e] of Object.entries(input?.experiments ?? {})) {
    const field = `chaos.experiments.${name}`;
    for (const [actionName, a] of Object.entries(e.actions)) {
      if (a.action === REGION_OUTAGE_ACTION) {
        checkRegionOutage(`${field}.actions.${actionName}`, a.target, a.percent, regions, problems);
      }
    }
    (e.stopConditions ?? []).forEach((alarm, i) => {
      if (!alarmNames.includes(alarm)) {
        problems.push(
          `${field}.stopConditions[${i}]: "${alarm}" is not an alarm of this config (alarms: ${alarmNames.join(', ') || 'none'})`,
        );
      }
    });
    out[name] = {
      name,
      description: e.description,
      hypothesis: e.hypothesis,
      load: { rate: e.load.rate, vus: e.load.vus ?? EXPERIMENT_DEFAULTS.vus, steps: e.load.steps, token: e.load.token },
      actions: Object.entries(e.actions).map(([actionName, a]) => ({
        name: actionName,
        action: a.action,
        target: a.target,
        parameters: a.parameters ?? {},
        percent: a.percent,
        startAfterMs: parseExperimentDuration(a.startAfter ?? '0s')!,
        durationMs: parseExperimentDuration(a.duration)!,
      })),
      steadyStateMs: parseExperimentDuration(e.steadyState ?? EXPERIMENT_DEFAULTS.steadyState)!,
      recoveryMs: parseExperimentDuration(e.recovery ?? EXPERIMENT_DEFAULTS.recovery)!,
      stopConditions: e.stopConditions ?? [],
    };
  }
  return out;
}
