/**
 * One NodejsFunction per configured function: bundled by the local esbuild (never Docker), arm64 by
 * default, its own log group and role, X-Ray tracing, Powertools settings, and a cold-start metric.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ResolvedFunction } from '../config/index.ts';
import { acknowledge } from './nag.ts';
import type { DeploymentPlan } from './plan.ts';

/**
 * Lambda publishes no cold-start metric. The platform's REPORT line carries `Init Duration` only on
 * the first invocation of an execution environment, so a metric filter counting those lines is an
 * honest cold-start count. Metric filters cannot set a dimension to a constant, so each function
 * gets its own metric, named like the function, in this namespace.
 */
export const COLD_START_NAMESPACE = 'Gantry/ColdStarts';
export const LOG_RETENTION = RetentionDays.ONE_MONTH;
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** esbuild turns CommonJS `require` calls into a throwing stub in ESM output unless `require` exists. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __gantryCreateRequire } from 'node:module'; const require = __gantryCreateRequire(import.meta.url);";

export interface DeployedFunction {
  config: ResolvedFunction;
  fn: NodejsFunction;
  logGroup: LogGroup;
  coldStarts: Metric;
}

/** Environment values that name a configured table are rewritten to the deployed table's name. */
export function deployedEnvironment(
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

export class Functions extends Construct {
  readonly byName: Record<string, DeployedFunction> = {};

  constructor(scope: Construct, id: string, plan: DeploymentPlan) {
    super(scope, id);
    const { config } = plan;
    for (const fnConfig of Object.values(config.functions)) {
      this.byName[fnConfig.name] = this.create(fnConfig, plan);
    }
  }

  private create(fnConfig: ResolvedFunction, plan: DeploymentPlan): DeployedFunction {
    const scope = new Construct(this, fnConfig.name);
    const logGroup = new LogGroup(scope, 'Logs', { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });
    // Our own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    const role = new Role(scope, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${plan.prefix} function ${fnConfig.name}`,
    });
    logGroup.grantWrite(role);
    const { environment } = deployedEnvironment(fnConfig.environment, plan.tableNames);

    const fn = new NodejsFunction(scope, 'Function', {
      entry: fnConfig.modulePath,
      handler: fnConfig.exportName,
      description: fnConfig.description,
      runtime: LAMBDA_RUNTIME,
      architecture: fnConfig.architecture === 'x86_64' ? Architecture.X86_64 : Architecture.ARM_64,
      memorySize: fnConfig.memoryMb,
      timeout: Duration.seconds(fnConfig.timeoutSeconds),
      reservedConcurrentExecutions: fnConfig.reservedConcurrency,
      role,
      logGroup,
      // Text keeps the platform's REPORT line greppable by the cold-start metric filter below.
      loggingFormat: LoggingFormat.TEXT,
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: plan.config.name,
        POWERTOOLS_METRICS_NAMESPACE: plan.config.name,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      depsLockFilePath: plan.depsLockFile,
      bundling: {
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // The AWS SDK is bundled, not taken from the runtime, so AWS runs the SDK version `gantry dev` ran.
        externalModules: [],
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
      },
    });
    // Active tracing put the X-Ray statement into the role's default policy, created with the function.
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      'AwsSolutions-IAM5[Resource::*]',
      'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions; every other statement names its resource',
    );

    const filter = new MetricFilter(scope, 'ColdStartFilter', {
      logGroup,
      filterPattern: FilterPattern.allTerms('REPORT RequestId', 'Init Duration'),
      metricNamespace: COLD_START_NAMESPACE,
      metricName: fn.functionName,
      metricValue: '1',
    });
    const coldStarts = filter.metric({ statistic: 'Sum', label: fnConfig.name });
    return { config: fnConfig, fn, logGroup, coldStarts };
  }
}
