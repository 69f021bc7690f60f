/**
 * The environment variables a function sees, built from scratch for each execution environment:
 * never the host's process.env, so the developer's real credentials, HOME or NODE_OPTIONS cannot leak
 * into a handler (and a handler that works locally does not depend on something Lambda lacks).
 * The function's own variables come from its FunctionSpec, as the deployed function's do; what only
 * exists locally is listed in the config's LOCAL_ONLY_ENVIRONMENT.
 */
import { localAccessKeyId } from '../aws/table-access.ts';
import type { FunctionSpec } from '../config/index.ts';
import { FUNCTION_VERSION, logGroupName } from './log-format.ts';

/**
 * Credentials that look like an execution role's but grant nothing: an SDK client in the handler
 * finds these first and never falls back to ~/.aws or the developer's shell.
 */
export const LOCAL_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAGANTRYLOCALDEV00',
  AWS_SECRET_ACCESS_KEY: 'gantry-local-secret-access-key-not-valid-in-aws',
  AWS_SESSION_TOKEN: 'gantry-local-session-token-not-valid-in-aws',
} as const;

/**
 * Lambda's runtime identifier for the Node.js that runs the handlers here, which is gantry's own
 * (`gantry deploy` may use a newer one: the dev banner says both).
 */
const EXECUTION_ENV = `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`;

/** The Node.js runtime's PATH in Lambda. */
export const LAMBDA_PATH = '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin';

export interface LambdaEnvOptions {
  region: string;
  /** Where the function's code lives: `LAMBDA_TASK_ROOT` (`/var/task` in Lambda; the project folder locally). */
  taskRoot: string;
  logStreamName: string;
  /** Extra variables for every function (endpoints of local services); they override the function's own. */
  extra?: Record<string, string>;
  /** How the environment was started: `provisioned-concurrency` ahead of requests. @default 'on-demand' */
  initializationType?: 'on-demand' | 'provisioned-concurrency';
}

/**
 * Lambda's unreserved defaults, then the function configuration's variables, then `extra`, then the
 * reserved variables Lambda sets and does not let a configuration change.
 */
export function lambdaEnvironment(spec: FunctionSpec, options: LambdaEnvOptions): Record<string, string> {
  return {
    // Unreserved: a function may override these.
    LANG: 'en_US.UTF-8',
    PATH: LAMBDA_PATH,
    // Keeps the SDK's Node-version notice out of every handler's log (toolchain.md §6).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...spec.environment,
    ...options.extra,
    // Reserved.
    _HANDLER: spec.handler,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_EXECUTION_ENV: EXECUTION_ENV,
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: FUNCTION_VERSION,
    AWS_LAMBDA_INITIALIZATION_TYPE: options.initializationType ?? 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(spec.name),
    AWS_LAMBDA_LOG_STREAM_NAME: options.logStreamName,
    LAMBDA_TASK_ROOT: options.taskRoot,
    // Informative only: the time zone is per process, so a worker's Date follows the host's. Run gantry
    // with TZ=UTC for Lambda's clock.
    TZ: ':UTC',
    ...LOCAL_CREDENTIALS,
    // One key per function: how the store knows which function calls, to apply its table access.
    AWS_ACCESS_KEY_ID: localAccessKeyId(spec.name),
  };
}
