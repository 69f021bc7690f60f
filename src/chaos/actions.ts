/**
 * The fault actions gantry knows, as one table: AWS FIS's Lambda actions with FIS's own names,
 * parameters, ranges and defaults (fis-actions-reference.html, "Lambda actions"), and gantry's own
 * for what FIS has no action for (gateway, store, concurrency). Validation turns what a user wrote
 * (CLI strings, config values, console JSON) into typed parameters, or names what was wrong.
 */

export type TargetKind = 'function' | 'route' | 'table';

export interface IntegerParameter {
  kind: 'integer';
  min: number;
  max: number;
  /** Absent: the parameter is required. */
  default?: number;
  doc: string;
}
export interface BooleanParameter {
  kind: 'boolean';
  default?: boolean;
  doc: string;
}
export interface EnumParameter {
  kind: 'enum';
  values: readonly string[];
  default?: string;
  doc: string;
}
export interface StringParameter {
  kind: 'string';
  default?: string;
  doc: string;
}
export type ParameterSpec = IntegerParameter | BooleanParameter | EnumParameter | StringParameter;

export interface ActionSpec {
  /** FIS's `actionId` for FIS's actions; `gantry:…` for gantry's own. */
  id: string;
  targetKind: TargetKind;
  /** Whether AWS FIS runs this action (synth exports only these). */
  fis: boolean;
  /** The parameter holding the share of invocations/requests hit, if the action has one. */
  percentParameter?: string;
  description: string;
  parameters: Record<string, ParameterSpec>;
}

const invocationPercentage: IntegerParameter = {
  kind: 'integer',
  min: 1,
  max: 100,
  default: 100,
  doc: 'share of invocations hit, counted per invocation',
};
const requestPercentage: IntegerParameter = {
  ...invocationPercentage,
  doc: 'share of requests hit, counted per request',
};
const preventExecution: BooleanParameter = {
  kind: 'boolean',
  doc: 'true: the handler does not run; false: it runs (its side effects happen), then its result is replaced',
};

export const ACTIONS = {
  'aws:lambda:invocation-add-delay': {
    id: 'aws:lambda:invocation-add-delay',
    targetKind: 'function',
    fis: true,
    percentParameter: 'invocationPercentage',
    description:
      'delays the start of the handler inside the invocation (billed, counted in Duration; past the timeout a real timeout)',
    parameters: {
      startupDelayMilliseconds: {
        kind: 'integer',
        min: 0,
        max: 900_000,
        default: 1000,
        doc: 'milliseconds between the invocation and the start of the handler',
      },
      invocationPercentage,
    },
  },
  'aws:lambda:invocation-error': {
    id: 'aws:lambda:invocation-error',
    targetKind: 'function',
    fis: true,
    percentParameter: 'invocationPercentage',
    description: 'marks invocations failed (API Gateway answers 500)',
    parameters: { invocationPercentage, preventExecution },
  },
  'aws:lambda:invocation-http-integration-response': {
    id: 'aws:lambda:invocation-http-integration-response',
    targetKind: 'function',
    fis: true,
    percentParameter: 'invocationPercentage',
    description: "replaces the invocation's HTTP response with a status code and content type",
    parameters: {
      statusCode: { kind: 'integer', min: 0, max: 999, doc: 'HTTP status code of the response (000 to 999)' },
      contentTypeHeader: { kind: 'string', doc: 'Content-Type header of the response' },
      preventExecution,
      invocationPercentage,
    },
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
} as const satisfies Record<string, ActionSpec>;

export type ActionId = keyof typeof ACTIONS;

export function isActionId(value: string): value is ActionId {
  return Object.hasOwn(ACTIONS, value);
}

export type ParameterValue = number | boolean | string;
export type ParameterValues = Record<string, ParameterValue>;

/** Either the value or what was wrong with it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

function checkParameter(name: string, spec: ParameterSpec, raw: unknown): Checked<ParameterValue> {
  switch (spec.kind) {
    case 'integer': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
        return { ok: false, problem: `${name}: expected an integer from ${spec.min} to ${spec.max}, got ${show(raw)}` };
      }
      return { ok: true, value };
    }
    case 'boolean': {
      if (raw === true || raw === 'true') return { ok: true, value: true };
      if (raw === false || raw === 'false') return { ok: true, value: false };
      return { ok: false, problem: `${name}: expected true or false, got ${show(raw)}` };
    }
    case 'enum': {
      if (typeof raw === 'string' && spec.values.includes(raw)) return { ok: true, value: raw };
      return { ok: false, problem: `${name}: expected one of ${spec.values.join(', ')}, got ${show(raw)}` };
    }
    case 'string': {
      if (typeof raw === 'string' && raw !== '') return { ok: true, value: raw };
      return { ok: false, problem: `${name}: expected a non-empty string, got ${show(raw)}` };
    }
  }
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

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
