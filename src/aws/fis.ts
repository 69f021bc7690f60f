/**
 * AWS Fault Injection Service facts both the chaos emulation (src/chaos, which runs these actions
 * locally) and the CDK app (src/infra, which exports them as experiment templates) need. From the FIS
 * user guide: fis-actions-reference.html ("Lambda actions"), use-lambda-actions.html (the extension
 * and its variables), actions-lambda-extension-arns.html (the layer's SSM parameters).
 */

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

const invocationPercentage: IntegerParameter = {
  kind: 'integer',
  min: 1,
  max: 100,
  default: 100,
  doc: 'share of invocations hit, counted per invocation',
};
const preventExecution: BooleanParameter = {
  kind: 'boolean',
  doc: 'true: the handler does not run; false: it runs (its side effects happen), then its result is replaced',
};

/**
 * FIS's three Lambda actions, their parameters besides `duration` (every FIS action has one, ISO 8601),
 * ranges and defaults. Resource type `aws:lambda:function`; in an action the target key is `Functions`.
 */
export const FIS_LAMBDA_ACTIONS = {
  'aws:lambda:invocation-add-delay': {
    startupDelayMilliseconds: {
      kind: 'integer',
      min: 0,
      max: 900_000,
      default: 1000,
      doc: 'milliseconds between the invocation and the start of the handler',
    },
    invocationPercentage,
  },
  'aws:lambda:invocation-error': { invocationPercentage, preventExecution },
  'aws:lambda:invocation-http-integration-response': {
    statusCode: { kind: 'integer', min: 0, max: 999, doc: 'HTTP status code of the response (000 to 999)' },
    contentTypeHeader: { kind: 'string', doc: 'Content-Type header of the response' },
    preventExecution,
    invocationPercentage,
  },
} as const satisfies Record<string, Record<string, ParameterSpec>>;

export type FisLambdaAction = keyof typeof FIS_LAMBDA_ACTIONS;

export function isFisLambdaAction(id: string): id is FisLambdaAction {
  return Object.hasOwn(FIS_LAMBDA_ACTIONS, id);
}

export const FIS_LAMBDA_RESOURCE_TYPE = 'aws:lambda:function';
/** The key of a Lambda action's `targets` (terraform-provider-aws#41208 rejected it; CloudFormation takes it). */
export const FIS_LAMBDA_TARGET_KEY = 'Functions';
/** Sequencing: an action that starts later waits behind one of these (1 minute to 12 hours… for FIS's own duration check). */
export const FIS_WAIT_ACTION = 'aws:fis:wait';
/** Stop conditions per experiment template. */
export const FIS_MAX_STOP_CONDITIONS = 5;
export const FIS_ALARM_SOURCE = 'aws:cloudwatch:alarm';

/** The FIS Lambda extension layer's ARN, published per architecture as a public SSM parameter. */
export function fisExtensionLayerParameter(architecture: 'x86_64' | 'arm64'): string {
  return `/aws/service/fis/lambda-extension/AWS-FIS-extension-${architecture}/1.x.x`;
}

/** The wrapper the extension installs; `AWS_LAMBDA_EXEC_WRAPPER` must name it. */
export const FIS_EXEC_WRAPPER = '/opt/aws-fis/bootstrap';
/**
 * With `preventExecution`, AWS recommends the extension wait for a fresh configuration before each
 * invocation (default 0: it may decide on a stale one).
 */
export const FIS_POLL_MAX_WAIT_MILLISECONDS = '2000';
/** Where FIS writes fault configurations in the configuration bucket. */
export const FIS_CONFIG_PREFIX = 'FisConfigs/';

/** One parameter's value (a CLI string, a config value, JSON), checked against its spec; the problem names it. */
export function checkParameter(
  name: string,
  spec: ParameterSpec,
  raw: unknown,
): { ok: true; value: number | boolean | string } | { ok: false; problem: string } {
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
