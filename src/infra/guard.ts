/**
 * A second, independent validator beside cdk-nag: AWS Control Tower's proactive controls as
 * cfn-guard rules (`@cdklabs/cdk-validator-cfnguard`, which ships the cfn-guard binary, so it runs
 * offline), evaluated on the synthesized templates. A finding fails synthesis unless the resource
 * acknowledges that rule with a reason, written into its template metadata in cfn-guard's own
 * convention (`Metadata.guard.SuppressedRules`, with `Reasons` beside it) for audit.
 *
 * The validator is a development dependency of gantry: `npm test` always runs it; `gantry synth` runs
 * it when it is installed and says so when it is not.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  type App,
  CfnResource,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  Validations,
} from 'aws-cdk-lib';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

interface GuardValidator {
  readonly version?: string;
  readonly ruleIds?: string[];
  validate(context: { templatePaths: string[]; appConstruct: IConstruct }): PolicyValidationPluginReport;
}

function loadValidator(): GuardValidator | undefined {
  try {
    const { CfnGuardValidator } = createRequire(import.meta.url)('@cdklabs/cdk-validator-cfnguard') as {
      CfnGuardValidator: new (props: { controlTowerRulesEnabled: boolean }) => GuardValidator;
    };
    return new CfnGuardValidator({ controlTowerRulesEnabled: true });
  } catch {
    return undefined;
  }
}

interface GuardMetadata {
  SuppressedRules: string[];
  Reasons: Record<string, string>;
}

/** `rule` as cfn-guard names it, e.g. `lambda_inside_vpc_check`; `scope` is a resource or an L2 around one. */
export function acknowledgeGuard(scope: IConstruct, rule: string, reason: string): void {
  const resource = scope instanceof CfnResource ? scope : scope.node.defaultChild;
  if (!(resource instanceof CfnResource)) throw new Error(`acknowledgeGuard: ${scope.node.path} has no resource`);
  const guard = (resource.getMetadata('guard') as GuardMetadata | undefined) ?? { SuppressedRules: [], Reasons: {} };
  if (!guard.SuppressedRules.includes(rule)) guard.SuppressedRules.push(rule);
  guard.Reasons[rule] = reason;
  resource.addMetadata('guard', guard);
}

/** Why a log group keeps the defaults Control Tower's rules flag; shared by every log group gantry makes. */
export function acknowledgeLogGroup(logGroup: IConstruct): void {
  acknowledgeGuard(
    logGroup,
    'cloudwatch_log_group_retention_period_check',
    'Kept 30 days on purpose: request and function logs of an API are read within days, and a year of them costs more than the API itself at low traffic',
  );
  acknowledgeGuard(
    logGroup,
    'cloudwatch_log_group_encrypted_check',
    'CloudWatch Logs encrypts every log group at rest; a customer managed KMS key would add $1 a month plus requests per region for no reader that the default excludes',
  );
}

/** gantry's functions reach only AWS APIs over their public endpoints: nothing they call lives in a VPC. */
export function acknowledgeNoVpc(fn: IConstruct): void {
  acknowledgeGuard(
    fn,
    'lambda_inside_vpc_check',
    'The function calls only AWS APIs (DynamoDB, X-Ray, CloudWatch) over their public TLS endpoints; a VPC would add NAT or endpoint costs and cold-start latency for no private resource',
  );
}

/**
 * API Gateway's permissions to invoke a function carry a `SourceArn` naming this API (an
 * `Fn::Join` of partition, region, account and API id), which the rule cannot read as a string.
 */
export function acknowledgeInvokePermissions(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (!(child instanceof CfnPermission) || child.principal !== 'apigateway.amazonaws.com' || !child.sourceArn)
      continue;
    acknowledgeGuard(
      child,
      'lambda_function_public_access_prohibited_check',
      'Only apigateway.amazonaws.com may invoke, and only from this API: SourceArn names its execute-api ARN (built with Fn::Join, which the rule cannot evaluate)',
    );
  }
}

/** Rules each resource of a template acknowledges, read back from the template cfn-guard was given. */
function acknowledged(templatePath: string, cache: Map<string, Record<string, string[]>>): Record<string, string[]> {
  let byResource = cache.get(templatePath);
  if (!byResource) {
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as {
      Resources?: Record<string, { Metadata?: { guard?: GuardMetadata } }>;
    };
    byResource = {};
    for (const [id, resource] of Object.entries(template.Resources ?? {})) {
      byResource[id] = resource.Metadata?.guard?.SuppressedRules ?? [];
    }
    cache.set(templatePath, byResource);
  }
  return byResource;
}

export class ControlTowerGuard implements IPolicyValidationPlugin {
  readonly name = 'cfn-guard-control-tower';
  readonly version?: string;
  readonly ruleIds?: string[];

  constructor(private readonly validator: GuardValidator) {
    this.version = validator.version;
    this.ruleIds = validator.ruleIds;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.validator.validate({
      templatePaths: context.templatePaths,
      appConstruct: context.appConstruct,
    });
    const cache = new Map<string, Record<string, string[]>>();
    const violations = report.violations.flatMap((violation) => {
      const violatingResources = violation.violatingResources.filter((resource) => {
        if (!resource.templatePath || !resource.resourceLogicalId) return true;
        const rules = acknowledged(resource.templatePath, cache)[resource.resourceLogicalId] ?? [];
        return !rules.includes(violation.ruleName);
      });
      return violatingResources.length ? [{ ...violation, violatingResources }] : [];
    });
    return { success: violations.length === 0, violations };
  }
}

/** Adds the Control Tower rules to the app's validations; false when the validator is not installed. */
export function enableGuard(app: App): boolean {
  const validator = loadValidator();
  if (!validator) return false;
  Validations.of(app).addPlugins(new ControlTowerGuard(validator));
  return true;
}
