/**
 * What gets deployed where, derived once from the config and the deploy options: stack names,
 * regions, physical table names, the edge settings. Every construct reads this instead of
 * re-deriving names, so a name is spelt in one place.
 */
import { DEFAULT_ACCOUNT, type ResolvedConfig, type ResolvedRoute } from '../config/index.ts';
import { budgetAlerts } from './budget.ts';
import { InfraError } from './errors.ts';

/** Options of one synthesis; the CLI fills them from `--stage` and `--region`. */
export interface InfraOptions {
  /**
   * Deployment stage such as `dev` or `prod` (`gantry deploy --stage prod`). It suffixes stack and
   * table names, so several stages can live in one account. Not the HTTP API stage, which stays as
   * configured.
   * @default none
   */
  stage?: string;
  /** Overrides `regions.primary` (`--region`). @default the config's primary region */
  region?: string;
  /** Run the cdk-nag AwsSolutions checks during synthesis. @default true */
  nag?: boolean;
  /**
   * Run AWS Control Tower's cfn-guard rules during synthesis (when `@cdklabs/cdk-validator-cfnguard`
   * is installed). @default the value of `nag`
   */
  guard?: boolean;
}

export interface EdgePlan {
  /** Requests per 5 minutes from one IP address before the WAF rate-based rule blocks it. */
  wafRateLimit: number;
  /** The region of CloudFront's certificate and WAF web ACL: always us-east-1. */
  region: 'us-east-1';
}

export interface DeploymentPlan {
  config: ResolvedConfig;
  stage?: string;
  /** `orders-api` or `orders-api-prod`: the prefix of every stack and physical name. */
  prefix: string;
  primary: string;
  secondary?: string;
  /** The config's account, or undefined for CloudFormation's environment-agnostic form. */
  account?: string;
  /** Config table name → physical table name. */
  tableNames: Record<string, string>;
  /** The API's public host: `domain.name`, or `{stage}.{domain.name}` for a stage that does not own it. */
  host?: string;
  /** Host name the regional APIs answer on (the host itself, or `origin.` + it behind CloudFront). */
  regionalHost?: string;
  edge?: EdgePlan;
  /** The route key Route 53's health checks reach, when there are health checks (a domain and two regions). */
  healthRouteKey?: string;
  /**
   * Functions that serve only the health route: Route 53 calls them about 30 times a minute per
   * region, so they are not traced (X-Ray would bill ≈ 1.3 million traces a month per region).
   */
  untracedFunctions: string[];
  /** Production stages (`prod`, `production`, `prod-…`) refuse `gantry destroy` until it is turned off. */
  terminationProtection: boolean;
}

export const EDGE_REGION = 'us-east-1';
/** Route 53 publishes its health-check metrics in us-east-1 only. */
export const ROUTE53_METRICS_REGION = 'us-east-1';
export const DEFAULT_WAF_RATE_LIMIT = 2000;
const PRODUCTION_STAGES = /^prod(uction)?(-|$)/;
/** AWS Budgets takes at most 5 notifications per budget. */
export const MAX_BUDGET_NOTIFICATIONS = 5;
const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,23}$/;

/** A CloudFormation stack name allows letters, digits and `-`, starting with a letter. */
export function stackSafe(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9-]/g, '-');
  return /^[A-Za-z]/.test(safe) ? safe : `api-${safe}`;
}

export function regionalStackName(plan: Pick<DeploymentPlan, 'prefix'>, region: string): string {
  return `${plan.prefix}-${region}`;
}

export function edgeStackName(plan: Pick<DeploymentPlan, 'prefix'>): string {
  return `${plan.prefix}-edge`;
}

export function healthStackName(plan: Pick<DeploymentPlan, 'prefix'>): string {
  return `${plan.prefix}-health`;
}

export function planDeployment(config: ResolvedConfig, options: InfraOptions = {}): DeploymentPlan {
  const { stage } = options;
  if (stage !== undefined && !STAGE_PATTERN.test(stage)) {
    throw new InfraError(
      `--stage: "${stage}" is not a valid deployment stage (expected 1 to 24 lower-case letters, digits and "-", starting with a letter, e.g. "prod")`,
    );
  }
  const primary = options.region ?? config.regions.primary;
  const secondary = config.regions.secondary;
  if (secondary === primary) {
    throw new InfraError(
      `regions.secondary: "${secondary}" is also the primary region; a failover pair needs two regions (or drop regions.secondary)`,
    );
  }
  const tableNames: Record<string, string> = {};
  const naming: string[] = [];
  for (const name of Object.keys(config.tables)) tableNames[name] = physicalTableName(name, stage, naming);
  if (naming.length) throw new InfraError(naming.join('\n'));

  const domain = config.domain;
  // Two stages in one account must not claim one API Gateway domain and one Route 53 record.
  const host = domain && (stage && stage !== domain.stage ? `${stage}.${domain.name}` : domain.name);
  const cloudFront = domain?.cloudFront;
  const edge: EdgePlan | undefined = cloudFront
    ? {
        wafRateLimit: (typeof cloudFront === 'object' && cloudFront.wafRateLimit) || DEFAULT_WAF_RATE_LIMIT,
        region: EDGE_REGION,
      }
    : undefined;
  const probed = config.regions.healthCheck.path;
  const health = domain && secondary ? healthCheckRoute(config.routes, probed) : undefined;
  if (domain && secondary && !health) {
    throw new InfraError(
      `domain: Route 53 health checks call GET ${probed} on each region (regions.healthCheck.path), but no route serves it; add a route such as "GET ${probed}"`,
    );
  }
  // Route 53 sends no credentials: a health route behind an authorizer fails in both regions, and
  // with every record unhealthy Route 53 answers as if all were healthy, so it would never fail over.
  if (health?.authorizer) {
    throw new InfraError(
      `routes["${health.routeKey}"].authorizer: Route 53 health checks call GET ${probed} without credentials, so behind the authorizer "${health.authorizer}" every check fails and failover never happens; serve GET ${probed} from a route without an authorizer`,
    );
  }
  checkDeployable(config);

  return {
    config,
    stage,
    prefix: stackSafe(stage ? `${config.name}-${stage}` : config.name),
    primary,
    secondary,
    // DEFAULT_ACCOUNT is the local emulator's stand-in, never a real account to deploy to.
    account: config.account === DEFAULT_ACCOUNT ? undefined : config.account,
    tableNames,
    host,
    regionalHost: host && (edge ? `origin.${host}` : host),
    edge,
    healthRouteKey: health?.routeKey,
    untracedFunctions: health ? healthOnlyFunctions(config, health) : [],
    terminationProtection: stage !== undefined && PRODUCTION_STAGES.test(stage),
  };
}

/** Stage words a table name ported from another tool often ends with (`notes-dev`, from `${service}-${stage}`). */
const STAGE_WORDS = ['dev', 'develop', 'development', 'test', 'qa', 'uat', 'stage', 'staging', 'prod', 'production'];

/**
 * `orders` → `orders-prod` under `--stage prod`. A name that already ends in this stage keeps it (not
 * `orders-prod-prod`); one that ends in another stage (`orders-dev`) is refused rather than deployed
 * as `orders-dev-prod`.
 */
function physicalTableName(name: string, stage: string | undefined, problems: string[]): string {
  if (!stage || name.endsWith(`-${stage}`)) return name;
  const baked = STAGE_WORDS.find((word) => name.endsWith(`-${word}`));
  if (baked) {
    problems.push(
      `tables.${name}: the name already ends in a stage ("-${baked}"), so --stage ${stage} would deploy it as "${name}-${stage}"; name the table "${name.slice(0, -baked.length - 1)}" (gantry deploy --stage adds the stage)`,
    );
  }
  return `${name}-${stage}`;
}

/**
 * The route `GET {path}` (regions.healthCheck.path) reaches, by API Gateway's precedence: a route of
 * literal segments (GET before ANY), then one with `{param}` segments, then a greedy `{proxy+}`, then
 * `$default`.
 */
export function healthCheckRoute(routes: readonly ResolvedRoute[], path = '/health'): ResolvedRoute | undefined {
  const wanted = path.split('?')[0].split('/').slice(1);
  const rank = (route: ResolvedRoute): number => {
    if (route.routeKey === '$default') return 6;
    if (route.method !== 'GET' && route.method !== 'ANY') return -1;
    const methodRank = route.method === 'GET' ? 0 : 1;
    const segments = (route.path ?? '').split('/').slice(1);
    let params = false;
    for (let i = 0; i < segments.length; i++) {
      // `{proxy+}` takes the rest (at least one segment); `{name}` one segment.
      if (/^\{[^}]+\+\}$/.test(segments[i])) return wanted.length > i ? 4 + methodRank : -1;
      if (i >= wanted.length) return -1;
      const param = /^\{[^}]+\}$/.test(segments[i]);
      if (segments[i] !== wanted[i] && !param) return -1;
      params ||= param;
    }
    if (segments.length !== wanted.length) return -1;
    return (params ? 2 : 0) + methodRank;
  };
  return routes
    .map((route) => ({ route, rank: rank(route) }))
    .filter(({ rank }) => rank >= 0)
    .sort((a, b) => a.rank - b.rank)[0]?.route;
}

/** The health route's function, when no other route and no authorizer uses it. */
function healthOnlyFunctions(config: ResolvedConfig, health: ResolvedRoute): string[] {
  if (health.integration.type !== 'lambda') return [];
  const name = health.integration.functionName;
  const elsewhere =
    config.routes.some((r) => r !== health && r.integration.type === 'lambda' && r.integration.functionName === name) ||
    Object.values(config.authorizers).some((a) => a.type === 'lambda' && a.function === name);
  return elsewhere ? [] : [name];
}

/** Whether `GET {path}` (regions.healthCheck.path) reaches an integration. */
export function servesHealthCheck(routes: readonly ResolvedRoute[], path = '/health'): boolean {
  return healthCheckRoute(routes, path) !== undefined;
}

/** The path Route 53 requests: the stage prefix applies on the execute-api endpoint. */
export function healthCheckPath(config: ResolvedConfig): string {
  const path = config.regions.healthCheck.path;
  return config.stage.name === '$default' ? path : `/${config.stage.name}${path}`;
}

/** What AWS refuses at deploy time although `gantry dev` runs it: refused here, before any deploy. */
function checkDeployable(config: ResolvedConfig): void {
  for (const alarm of Object.values(config.alarms)) {
    // AWS/ApiGateway and AWS/Lambda publish standard-resolution (1-minute) metrics only; a custom
    // namespace (EMF) may be high-resolution.
    if (alarm.namespace.startsWith('AWS/') && alarm.periodSeconds % 60 !== 0) {
      throw new InfraError(
        `alarms.${alarm.name}.periodSeconds: ${alarm.periodSeconds} s is finer than ${alarm.namespace} publishes (one datapoint a minute); CloudWatch accepts 10 or 30 s only on high-resolution metrics: use 60 or a multiple of it`,
      );
    }
  }
  const notifications = budgetAlerts(config.budget).length;
  if (notifications > MAX_BUDGET_NOTIFICATIONS) {
    const added =
      notifications > config.budget.alerts.length ? ' (gantry adds a 100 % forecast one when none is given)' : '';
    throw new InfraError(
      `budget.alerts: ${notifications} notifications${added}, but AWS Budgets allows at most ${MAX_BUDGET_NOTIFICATIONS} per budget; drop some alerts`,
    );
  }
}
