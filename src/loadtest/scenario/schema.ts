/**
 * The scenario file's shape as a zod schema. Objects are strict: a misspelt k6 option (`duratoin`) is an
 * error, never a silently shorter test. Rules across fields (executor needs, thresholds) live in resolve.ts.
 */
import { z } from 'zod';
import { parseDuration } from './duration.ts';

export const EXECUTORS = ['constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate'] as const;
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const duration = z.union([z.string(), z.number()]).refine((v) => parseDuration(v) !== undefined, {
  message: 'expected a duration like "30s", "1m30s", "500ms" or a number of seconds',
});
const count = z.number().int('expected a whole number').min(0, 'expected 0 or more');
const positive = z.number().positive('expected a number above 0');
const tags = z.record(z.string(), z.string());
const status = z.number().int().min(100, 'expected an HTTP status (100-599)').max(599, 'expected an HTTP status');

const checkSchema = z.strictObject({
  status: z.union([status, z.array(status).min(1, 'expected at least one status')]).optional(),
  bodyIncludes: z.string().optional(),
  bodyMatches: z
    .string()
    .refine((source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    }, 'expected a valid regular expression')
    .optional(),
  maxDuration: positive.optional(),
});

const requestSchema = z.strictObject({
  method: z.enum(METHODS, { message: `expected one of ${METHODS.join(', ')}` }).optional(),
  path: z.string().startsWith('/', 'expected a path starting with "/"').optional(),
  url: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, 'expected an absolute http:// or https:// URL')
    .optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  tags: tags.optional(),
  name: z.string().min(1).optional(),
  checks: z.record(z.string().min(1, 'expected a check name'), checkSchema).optional(),
  expectedStatuses: z
    .array(z.union([status, z.strictObject({ min: status, max: status })]))
    .min(1, 'expected at least one status')
    .optional(),
  timeout: duration.optional(),
});

const sleepSchema = z.strictObject({
  sleep: z.union([
    z.number().min(0, 'expected 0 or more seconds'),
    z.tuple([z.number().min(0), z.number().min(0)]).refine(([a, b]) => a <= b, 'expected [min, max] with min ≤ max'),
  ]),
});

/** A step is a sleep when it has `sleep`, else a request: choosing first gives errors about the right shape. */
export const stepSchema = z.unknown().superRefine((value, ctx) => {
  const isSleep = typeof value === 'object' && value !== null && 'sleep' in value;
  const result = (isSleep ? sleepSchema : requestSchema).safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
    const message = keys
      ? `unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`
      : issue.message;
    ctx.addIssue({ code: 'custom', message, path: issue.path });
  }
});

const stageSchema = z.strictObject({ duration, target: count });

const scenarioBase = {
  startTime: duration.optional(),
  gracefulStop: duration.optional(),
  tags: tags.optional(),
  steps: z.array(stepSchema).optional(),
};
const arrivalBase = {
  ...scenarioBase,
  timeUnit: duration.refine((v) => (parseDuration(v) ?? 0) > 0, 'expected a duration above 0').optional(),
  preAllocatedVUs: count,
  maxVUs: count.optional(),
};

export const scenarioSchema = z.discriminatedUnion(
  'executor',
  [
    z.strictObject({ executor: z.literal('constant-vus'), vus: count.optional(), duration, ...scenarioBase }),
    z.strictObject({
      executor: z.literal('ramping-vus'),
      startVUs: count.optional(),
      stages: z.array(stageSchema).min(1, 'expected at least one stage'),
      gracefulRampDown: duration.optional(),
      ...scenarioBase,
    }),
    z.strictObject({ executor: z.literal('constant-arrival-rate'), rate: positive, duration, ...arrivalBase }),
    z.strictObject({
      executor: z.literal('ramping-arrival-rate'),
      startRate: z.number().min(0, 'expected 0 or more').optional(),
      stages: z.array(stageSchema).min(1, 'expected at least one stage'),
      ...arrivalBase,
    }),
  ],
  { message: `expected executor to be one of ${EXECUTORS.join(', ')}` },
);

const thresholdObject = z.strictObject({
  threshold: z.string(),
  abortOnFail: z.boolean().optional(),
  delayAbortEval: duration.optional(),
});

export const optionsSchema = z.strictObject({
  vus: count.optional(),
  duration: duration.optional(),
  stages: z.array(stageSchema).min(1, 'expected at least one stage').optional(),
  scenarios: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a scenario name of letters, digits, "-" and "_"'),
      scenarioSchema,
    )
    .optional(),
  thresholds: z.record(z.string(), z.union([z.string(), z.array(z.union([z.string(), thresholdObject]))])).optional(),
  summaryTrendStats: z.array(z.string()).min(1).optional(),
  userAgent: z.string().optional(),
});

export const loadScenarioSchema = z.strictObject({
  options: optionsSchema.optional(),
  steps: z.array(stepSchema).optional(),
});
