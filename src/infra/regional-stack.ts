/**
 * Everything one region serves: tables (owned by the primary), functions, authorizers, the HTTP
 * API, CloudWatch dashboard and alarms, the custom domain and its failover record, and, in the
 * primary only, the budget and any Cognito user pools.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { tableActions } from '../aws/table-access.ts';
import { functionSpec } from '../config/index.ts';
import { buildAuthorizers, type CognitoTrust, UserPools } from './authorizers.ts';
import { CostBudget } from './budget.ts';
import { RegionalDomain } from './domain.ts';
import { FisExperiments } from './fis.ts';
import { planFisExperiments } from './fis-plan.ts';
import { Functions } from './functions.ts';
import { acknowledgeInvokePermissions } from './guard.ts';
import { type OriginCheck, RegionalHttpApi } from './http-api.ts';
import { Observability } from './observability.ts';
import { OriginSecret, OriginVerifyAuthorizer, regionalSecretArn } from './origin-verify.ts';
import { type DeploymentPlan, regionalStackName } from './plan.ts';
import { Tables } from './tables.ts';
import { announceDeployWarnings } from './warnings.ts';

/** Item reads and writes; no table management, no streams: what `read-write` grants. */
export const TABLE_DATA_ACTIONS = tableActions('read-write').map((action) => `dynamodb:${action}`);

export type RegionRole = 'primary' | 'secondary';

export interface RegionalStackProps {
  plan: DeploymentPlan;
  role: RegionRole;
  /** For the secondary region: the primary's user pools its JWT authorizers trust. */
  cognito?: Record<string, CognitoTrust>;
  /** For the secondary region behind CloudFront: the primary's origin secret ARN. */
  originSecretArn?: string;
}

export class RegionalStack extends Stack {
  readonly role: RegionRole;
  readonly tables: Tables;
  readonly functions: Functions;
  readonly http: RegionalHttpApi;
  readonly observability: Observability;
  readonly userPools?: UserPools;
  readonly budget?: CostBudget;
  readonly domain?: RegionalDomain;
  readonly chaos: FisExperiments;
  /** Behind CloudFront, in the primary: the secret CloudFront sends and both regions check. */
  readonly originSecret?: OriginSecret;

  constructor(scope: Construct, props: RegionalStackProps) {
    const { plan, role } = props;
    const region = role === 'primary' ? plan.primary : plan.secondary!;
    const stackName = regionalStackName(plan, region);
    const hasUserPools = Object.values(plan.config.authorizers).some((a) => a.type === 'jwt' && a.cognitoUserPool);
    super(scope, stackName, {
      stackName,
      terminationProtection: plan.terminationProtection,
      env: { account: plan.account, region },
      description: `${plan.config.name} (${role} region${plan.stage ? `, stage ${plan.stage}` : ''}), deployed by gantry`,
      // Only the secondary's JWT authorizers read another region's values (the primary's user pool).
      // Behind CloudFront it also reads the primary's origin secret ARN.
      crossRegionReferences: (hasUserPools || plan.edge !== undefined) && plan.secondary !== undefined,
    });
    this.role = role;

    this.tables = new Tables(this, 'Tables', plan, role);
    this.functions = new Functions(this, 'Functions', plan);
    for (const deployed of Object.values(this.functions.byName)) {
      // Least privilege: a function reaches only its tables (declared, or named by its environment), as declared.
      for (const [table, access] of Object.entries(functionSpec(plan.config, deployed.config).tables)) {
        this.tables.grant(table, deployed.fn, ...tableActions(access).map((action) => `dynamodb:${action}`));
      }
    }

    let cognito = props.cognito ?? {};
    if (role === 'primary' && hasUserPools) {
      this.userPools = new UserPools(this, 'UserPools', plan);
      cognito = this.userPools.trust(region);
    }
    let originCheck: OriginCheck | undefined;
    if (plan.edge) {
      if (role === 'primary') this.originSecret = new OriginSecret(this, 'OriginSecret', plan);
      const secretArn = this.originSecret?.secret.secretArn ?? regionalSecretArn(this, props.originSecretArn!);
      const authorizer = new OriginVerifyAuthorizer(this, 'OriginVerify', { plan, secretArn });
      originCheck = { authorizer, exempt: plan.healthRouteKey };
    }
    this.http = new RegionalHttpApi(this, 'Http', {
      config: plan.config,
      apiName: stackName,
      functions: this.functions.byName,
      authorizers: buildAuthorizers(plan, this.functions.byName, cognito),
      originCheck,
    });
    this.observability = new Observability(this, 'Observability', {
      plan,
      namePrefix: stackName,
      sources: { apiId: this.http.api.apiId, stageName: this.http.stage.stageName, functions: this.functions.byName },
    });
    // The config's chaos experiments as FIS experiment templates, in each region (FIS is regional).
    this.chaos = new FisExperiments(this, 'Chaos', {
      plan,
      experiments: planFisExperiments(plan.config),
      functions: this.functions.byName,
      alarms: this.observability.alarms,
    });
    if (role === 'primary') announceDeployWarnings(this, plan.config);
    if (role === 'primary') {
      // A budget watches the whole account, so one per deployment, kept with the primary region.
      this.budget = new CostBudget(this, 'Budget', {
        budget: plan.config.budget,
        budgetName: `${plan.prefix}-monthly`,
        topic: this.observability.alarmTopic,
      });
    }
    if (plan.config.domain) {
      this.domain = new RegionalDomain(this, 'Domain', {
        plan,
        region,
        role,
        api: this.http.api,
        stage: this.http.stage,
      });
    }

    acknowledgeInvokePermissions(this);

    new CfnOutput(this, 'ApiUrl', {
      description: 'The stage URL on the execute-api endpoint',
      value: this.http.stage.url,
    });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
    if (plan.regionalHost) new CfnOutput(this, 'RegionalHost', { value: plan.regionalHost });
  }
}
