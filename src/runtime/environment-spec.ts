/** What every execution environment of one function is started with: the deployed function's handler, memory, timeout and variables. */
import { functionSpec, type ResolvedConfig, type ResolvedFunction } from '../config/index.ts';
import type { EnvironmentSpec } from './environment.ts';
import { lambdaEnvironment } from './lambda-env.ts';
import { FUNCTION_VERSION, functionArn } from './log-format.ts';

/** The runtime's shared context, as far as an environment's start needs it (pool.ts's PoolContext). */
interface SpecContext {
  config: ResolvedConfig;
  region: string;
  extraEnv: Record<string, string>;
  bootstrapFile: string;
}

export function environmentSpec(fn: ResolvedFunction, ctx: SpecContext, logGroupName: string): EnvironmentSpec {
  const { config, region } = ctx;
  // What the deployed function would be: its handler, memory, timeout and variables.
  const deployed = functionSpec(config, fn);
  return {
    functionName: fn.name,
    memoryMb: deployed.memoryMb,
    timeoutSeconds: deployed.timeoutSeconds,
    // Read at each start: the runtime sets it in start(), after its pools exist.
    get bootstrapFile() {
      return ctx.bootstrapFile;
    },
    workerData: {
      exportName: deployed.exportName,
      handler: deployed.handler,
      functionName: fn.name,
      functionVersion: FUNCTION_VERSION,
      invokedFunctionArn: functionArn(region, config.account, fn.name),
      memoryLimitInMB: String(deployed.memoryMb),
      logGroupName,
    },
    env: (logStreamName, initializationType) =>
      lambdaEnvironment(deployed, {
        region,
        taskRoot: config.dir,
        logStreamName,
        extra: ctx.extraEnv,
        initializationType,
      }),
  };
}
