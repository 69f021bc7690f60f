/**
 * The fault actions gantry knows, as one table: AWS FIS's Lambda actions with FIS's own names,
 * parameters, ranges and defaults (fis-actions-reference.html, "Lambda actions"), and gantry's own
 * for what FIS has no action for (gateway, store, concurrency). Validation turns what a user wrote
 * (CLI strings, config values, console JSON) into typed parameters, or names what was wrong.
 */

import { checkParameter, FIS_LAMBDA_ACTIONS, type IntegerParameter, type ParameterSpec } from '../aws/fis.ts';
import { REGION_OUTAGE_ACTION } from '../config/index.ts';

export type { ParameterSpec };

type ParameterValue = number | boolean | string;
type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

export type TargetKind = 'function' | 'route' | 'table' | 'region';

export interface ActionSpec {
  /** FIS's `actionId` for FIS's actions; `gantry:…` for gantry's own. */
  id: string;
  targetKind: TargetKind;
  /** Whether AWS FIS runs this action (synth exports only these). */
  fis: boolean;
  /** The parameter holding the share of invocations/requests hit, if the action has one. */
  percentParameter?: string;
  /** Without a percentage parameter: why the action has none (what `--percent` is refused with). */
  noPercentage?: string;
  description: string;
  parameters: Record<string, ParameterSpec>;
}

const requestPercentage: IntegerParameter = {
  kind: 'integer',
  min: 1,
  max: 100,
  default: 100,
  doc: 'share of requests hit, counted per request',
};

export const ACTIONS = {
  'aws:lambda:invocation-add-delay': {
    id: 'aws:lambda:invocation-add-delay',
    targetKind: 'function',
    fis: true,
    percentParameter: 'invocationPercentage',
    description:
      'delays the start of the handler inside the invocation (billed, counted in Duration; past the timeout a real timeout)',
    parameters: FIS_LAMBDA_ACTIONS['aws:lambda:invocation-add-delay'],
  },
  'aws:lambda:invocation-error': {
    id: 'aws:lambda:invocation-error',
    targetKind: 'function',
    fis: true,
    percentParameter: 'invocationPercentage',
    description: 'marks invocations failed (API Gateway answers 500)',
    parameters: FIS_LAMBDA_ACTIONS['aws:lambda:invocation-error'],
  },
  'aws:lambda:invocation-http-integration-response': {
    id: 'aws:lambda:invocation-http-integration-response',
    targetKind: 'function',
    fis: true,
    percentParameter: 'invocationPercentage',
    description: "replaces the invocation's HTTP response with a status code and content type",
    parameters: FIS_LAMBDA_ACTIONS['aws:lambda:invocation-http-integration-response'],
  },
  'gantry:apigateway:route-add-delay': {
    id: 'gantry:apigateway:route-add-delay',
    targetKind: 'route',
    fis: false,
    percentParameter: 'requestPercentage',
    description: 'holds requests in the gateway before their integration (Latency grows, IntegrationLatency not)',
    parameters: {
      delayMilliseconds: {
        kind: 'integer',
        min: 0,
        max: 30_000,
        default: 1000,
        doc: 'milliseconds the gateway holds each request hit',
      },
      requestPercentage,
    },
  },
  'gantry:apigateway:route-connection-reset': {
    id: 'gantry:apigateway:route-connection-reset',
    targetKind: 'route',
    fis: false,
    percentParameter: 'requestPercentage',
    description: "resets the client's connection (TCP RST) instead of answering",
    parameters: { requestPercentage },
  },
  'gantry:dynamodb:table-add-delay': {
    id: 'gantry:dynamodb:table-add-delay',
    targetKind: 'table',
    fis: false,
    percentParameter: 'requestPercentage',
    description: 'delays requests naming the table before the store handles them',
    parameters: {
      delayMilliseconds: {
        kind: 'integer',
        min: 0,
        max: 60_000,
        default: 100,
        doc: 'milliseconds each request hit waits',
      },
      requestPercentage,
    },
  },
  'gantry:dynamodb:table-error': {
    id: 'gantry:dynamodb:table-error',
    targetKind: 'table',
    fis: false,
    percentParameter: 'requestPercentage',
    description: "answers requests naming the table with DynamoDB's error (the AWS SDK retries it)",
    parameters: {
      errorCode: {
        kind: 'enum',
        values: ['ProvisionedThroughputExceededException', 'InternalServerError'],
        default: 'ProvisionedThroughputExceededException',
        doc: 'the DynamoDB error answered',
      },
      requestPercentage,
    },
  },
  'gantry:lambda:function-concurrency-limit': {
    id: 'gantry:lambda:function-concurrency-limit',
    targetKind: 'function',
    fis: false,
    noPercentage: 'it applies to every invocation',
    description: 'lowers the concurrency the function may use (invocations over it are throttled, 429)',
    parameters: {
      reservedConcurrentExecutions: {
        kind: 'integer',
        min: 0,
        max: 1000,
        doc: 'concurrent executions allowed while the fault lasts (0 throttles every invocation)',
      },
    },
  },
  /**
   * FIS has no region outage for a serverless stack: its nearest relatives isolate a VPC's subnets
   * (`aws:network:route-table-disrupt-cross-region-connectivity`) or bundle that with replication
   * pauses (Resilience Hub's "Multi-Region: isolation" scenario); neither reaches API Gateway or a
   * Lambda function outside a VPC.
   */
  [REGION_OUTAGE_ACTION]: {
    id: REGION_OUTAGE_ACTION,
    targetKind: 'region',
    fis: false,
    noPercentage: 'the whole region is down',
    description:
      'takes a region of a two-region gantry dev down, as `gantry region down` does: connections refused, replication held, health checks fail',
    parameters: {},
  },
} as const satisfies Record<string, ActionSpec>;

export type ActionId = keyof typeof ACTIONS;

export function isActionId(value: string): value is ActionId {
  return Object.hasOwn(ACTIONS, value);
}

export type ParameterValues = Record<string, ParameterValue>;

/**
 * The action's parameters with defaults applied. Problems name the parameter, the value and what
 * was expected; unknown parameters are refused (a typo must not silently become a default).
 */
export function checkParameters(action: ActionId, given: Record<string, unknown>): Checked<ParameterValues> {
  const spec: ActionSpec = ACTIONS[action];
  const problems: string[] = [];
  const out: ParameterValues = {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(spec.parameters, name)) {
      const known = Object.keys(spec.parameters).join(', ') || 'none';
      problems.push(`${name}: ${action} has no such parameter (its parameters: ${known})`);
    }
  }
  for (const [name, parameter] of Object.entries(spec.parameters)) {
    const raw = given[name];
    if (raw === undefined) {
      if (parameter.default === undefined) problems.push(`${name}: required by ${action} (${parameter.doc})`);
      else out[name] = parameter.default;
      continue;
    }
    const checked = checkParameter(name, parameter, raw);
    if (checked.ok) out[name] = checked.value;
    else problems.push(checked.problem);
  }
  return problems.length ? { ok: false, problem: problems.join('; ') } : { ok: true, value: out };
}
