/**
 * One Lambda function per configured function, as its FunctionSpec says (handler, runtime,
 * architecture, memory, timeout, variables, bundle): its own log group and role, X-Ray tracing, and a
 * cold-start metric.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Alias,
  Architecture,
  type IFunction,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionSpec, type ResolvedFunction } from '../config/index.ts';
import { functionCode } from './function-code.ts';
import { acknowledgeLogGroup, acknowledgeNoVpc } from './guard.ts';
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

export interface DeployedFunction {
  config: ResolvedFunction;
  fn: LambdaFunction;
  /**
   * What routes invoke: the `live` alias carrying the function's provisioned concurrency (Lambda
   * allows it only on a version or alias), or the function itself when it has none.
   */
  invokeTarget: IFunction;
  logGroup: LogGroup;
  coldStarts: Metric;
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
    acknowledgeLogGroup(logGroup);
    // Our own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    const role = new Role(scope, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${plan.prefix} function ${fnConfig.name}`,
    });
    logGroup.grantWrite(role);
    const spec = functionSpec(plan.config, fnConfig, plan.tableNames);

    const fn = new LambdaFunction(scope, 'Function', {
      code: functionCode(spec, plan.config.dir),
      handler: spec.handler,
      description: fnConfig.description,
      runtime: new Runtime(spec.runtime),
      architecture: spec.architecture === 'x86_64' ? Architecture.X86_64 : Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      reservedConcurrentExecutions: spec.reservedConcurrency,
      role,
      logGroup,
      // Text keeps the platform's REPORT line greppable by the cold-start metric filter below.
      loggingFormat: LoggingFormat.TEXT,
      // Not the health-only function: Route 53's checks would fill X-Ray with billed traces (plan.ts).
      tracing: plan.untracedFunctions.includes(fnConfig.name) ? Tracing.DISABLED : Tracing.ACTIVE,
      environment: spec.environment,
    });
    acknowledgeNoVpc(fn);
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
    const invokeTarget =
      fnConfig.provisionedConcurrency > 0
        ? new Alias(scope, 'Live', {
            aliasName: 'live',
            version: fn.currentVersion,
            provisionedConcurrentExecutions: fnConfig.provisionedConcurrency,
          })
        : fn;
    return { config: fnConfig, fn, invokeTarget, logGroup, coldStarts };
  }
}
