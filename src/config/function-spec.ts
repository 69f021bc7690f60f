/**
 * What a Lambda function *is* for this config, in one place: its handler, runtime, architecture,
 * memory, timeout and environment, and how its code is bundled. `gantry dev` (src/runtime) runs what
 * this says and `gantry synth`/`deploy` (src/infra) deploy what it says, so the two cannot drift; the
 * few differences that must exist locally are listed in LOCAL_ONLY_ENVIRONMENT (and docs/fidelity.md).
 */
import type { BuildOptions } from 'esbuild';
import type { TableAccess } from '../aws/table-access.ts';
import type { LambdaNodeRuntime } from './lambda-runtime.ts';
import type { ResolvedConfig, ResolvedFunction } from './resolved.ts';
import type { Architecture } from './types.ts';

/** The bundle's file name: one ESM module, so Lambda's handler is `index.{export}`. */
export const BUNDLE_MODULE = 'index';

/** esbuild turns CommonJS `require` calls into a throwing stub in ESM output unless `require` exists. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __gantryCreateRequire } from 'node:module'; const require = __gantryCreateRequire(import.meta.url);";

/**
 * esbuild options both sides bundle with, through gantry's own esbuild (never one on the user's PATH
 * or in the user's project, whose version may differ). The outputs differ only in where they go.
 * - The AWS SDK is bundled, not taken from the runtime: AWS runs the SDK version `gantry dev` ran,
 *   and one file loads faster than the SDK's hundreds of modules.
 * - Whitespace and syntax minified on both sides, identifiers not: stack traces and `constructor.name`
 *   keep the user's names, and the linked source map (with --enable-source-maps) the user's .ts lines.
 * - `node20`: the oldest Node that runs gantry; what it emits also runs on the deployed runtime.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  sourcesContent: false,
  banner: { js: ESM_REQUIRE_BANNER },
} as const satisfies BuildOptions;

export interface FunctionSpec {
  /** The function's name in the config. */
  name: string;
  /** Absolute path of the handler's module: the bundle's entry point. */
  entry: string;
  /** The handler as Lambda sees it (`index.handler`): what `_HANDLER` holds on both sides. */
  handler: string;
  exportName: string;
  runtime: LambdaNodeRuntime;
  architecture: Architecture;
  memoryMb: number;
  timeoutSeconds: number;
  reservedConcurrency?: number;
  /** The function configuration's variables: gantry's, then the config's (which win). */
  environment: Record<string, string>;
  /**
   * The configured tables it may use and how: `functions.NAME.tables` as declared, else every table
   * its environment names, read-write. The deployed role grants exactly this; the local store enforces it.
   */
  tables: Record<string, TableAccess>;
}

/**
 * Variables gantry gives every function, as a team would set them for Powertools for AWS Lambda:
 * a Logger or Metrics with no options of its own then names the API, locally as in AWS.
 */
export function gantryEnvironment(config: Pick<ResolvedConfig, 'name'>): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: config.name,
    POWERTOOLS_METRICS_NAMESPACE: config.name,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/**
 * Environment values that name a configured table become that table's deployed name (`orders` →
 * `orders-prod` under `--stage prod`); `tables` lists the tables named, which the function may use.
 */
export function withTableNames(
  environment: Record<string, string>,
  tableNames: Record<string, string>,
): { environment: Record<string, string>; tables: string[] } {
  const out: Record<string, string> = {};
  const tables = new Set<string>();
  for (const [key, value] of Object.entries(environment)) {
    if (Object.hasOwn(tableNames, value)) {
      out[key] = tableNames[value];
      tables.add(value);
    } else {
      out[key] = value;
    }
  }
  return { environment: out, tables: [...tables] };
}

/**
 * The function as deployed. `tableNames` maps configured table names to deployed ones; locally (and
 * in a deployment without a stage) they are the same.
 */
export function functionSpec(
  config: Pick<ResolvedConfig, 'name' | 'tables'>,
  fn: ResolvedFunction,
  tableNames?: Record<string, string>,
): FunctionSpec {
  const environment = tableNames ? withTableNames(fn.environment, tableNames).environment : fn.environment;
  const named = withTableNames(fn.environment, Object.fromEntries(Object.keys(config.tables).map((t) => [t, t])));
  const tables = fn.tables ?? Object.fromEntries(named.tables.map((t): [string, TableAccess] => [t, 'read-write']));
  return {
    name: fn.name,
    entry: fn.modulePath,
    handler: `${BUNDLE_MODULE}.${fn.exportName}`,
    exportName: fn.exportName,
    runtime: fn.runtime,
    architecture: fn.architecture,
    memoryMb: fn.memoryMb,
    timeoutSeconds: fn.timeoutSeconds,
    reservedConcurrency: fn.reservedConcurrency,
    environment: { ...gantryEnvironment(config), ...environment },
    tables,
  };
}

/**
 * Variables a function sees under `gantry dev` that it does not see (or sees with another value) in
 * AWS, and why. Everything else of its environment is what AWS gives it. docs/fidelity.md lists the
 * same; the parity test (test/parity) holds both sides to this list.
 */
export const LOCAL_ONLY_ENVIRONMENT = {
  AWS_ACCESS_KEY_ID: 'dummy credentials, so an SDK client never finds the developer’s own',
  AWS_SECRET_ACCESS_KEY: 'dummy credentials, so an SDK client never finds the developer’s own',
  AWS_SESSION_TOKEN: 'dummy credentials, so an SDK client never finds the developer’s own',
  AWS_ENDPOINT_URL_DYNAMODB: 'points the SDK at the embedded store',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'silences the SDK’s notice about the local Node version',
  AWS_EXECUTION_ENV: 'names the Node.js that runs gantry dev, which may be older than the deployed runtime',
  LAMBDA_TASK_ROOT: 'the project folder instead of /var/task',
  AWS_LAMBDA_FUNCTION_NAME: 'the config’s name; in AWS the name CloudFormation generates',
  AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/{config name}; in AWS the log group CloudFormation names',
  AWS_LAMBDA_LOG_STREAM_NAME: 'one per execution environment on both sides, never the same',
} as const satisfies Record<string, string>;

/**
 * Variables only the deployed function has, and why `gantry dev` does without them: the AWS FIS
 * Lambda extension's, set on functions a chaos experiment targets (src/infra/fis.ts). Locally,
 * faults are injected in-process (src/chaos), with no extension to configure.
 */
export const DEPLOY_ONLY_ENVIRONMENT = {
  AWS_LAMBDA_EXEC_WRAPPER: 'starts the AWS FIS extension’s wrapper before the runtime',
  AWS_FIS_CONFIGURATION_LOCATION: 'where the FIS extension reads its fault configurations (S3)',
  AWS_FIS_POLL_MAX_WAIT_MILLISECONDS: 'how long the FIS extension waits for its configuration',
} as const satisfies Record<string, string>;
