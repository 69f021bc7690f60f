/**
 * Every price the cost model uses, us-east-1, in one place, each with its source and the date it was
 * recorded. `basis` says how sure we are:
 *   reference  - from shared/reference/apigw-http-api.md (taken from the AWS price pages);
 *   secondary  - AWS's page not read directly; confirmed by recent third-party write-ups (named in `note`);
 *   unverified - from memory of the AWS page; check before relying on it.
 * Update a figure by editing it here, with a new date.
 */

export type PriceBasis = 'reference' | 'secondary' | 'unverified';

export interface Price {
  usd: number;
  /** What one `usd` buys, e.g. "per million requests". */
  unit: string;
  source: string;
  date: string;
  basis: PriceBasis;
  note?: string;
}

export interface TieredPrice {
  /** Ascending; the last tier has `upTo: null` (no upper bound). */
  tiers: { upTo: number | null; usd: number }[];
  unit: string;
  source: string;
  date: string;
  basis: PriceBasis;
  note?: string;
}

export interface Allowance {
  quantity: number;
  unit: string;
  source: string;
  date: string;
  basis: PriceBasis;
}

const DATE = '2026-11-24';
const APIGW = 'https://aws.amazon.com/api-gateway/pricing/';
const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const DYNAMODB = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
const FREE_TIER = 'https://aws.amazon.com/free/';
const ROUTE53 = 'https://aws.amazon.com/route53/pricing/';
const WAF = 'https://aws.amazon.com/waf/pricing/';
const DEPLOY_DATE = '2026-12-07';

export const PRICES = {
  region: 'us-east-1',
  apiGateway: {
    httpApiRequests: {
      tiers: [
        { upTo: 300_000_000, usd: 1.0 },
        { upTo: null, usd: 0.9 },
      ],
      unit: 'per million requests (per month)',
      source: APIGW,
      date: DATE,
      basis: 'reference',
      note: 'A request is metered in 512 KB increments. Which bytes count (request, response or both) is not stated; gantry meters request + response (unverified).',
    } satisfies TieredPrice,
    meteringUnitBytes: 512 * 1024,
  },
  lambda: {
    requests: {
      usd: 0.2,
      unit: 'per million requests',
      source: LAMBDA,
      date: DATE,
      basis: 'reference',
    } satisfies Price,
    gbSecondX86: {
      usd: 0.0000166667,
      unit: 'per GB-second (x86_64), billed per ms',
      source: LAMBDA,
      date: DATE,
      basis: 'reference',
      note: 'First tier (first 6 billion GB-seconds a month); cheaper tiers above it are not modelled.',
    } satisfies Price,
    gbSecondArm64: {
      usd: 0.0000133334,
      unit: 'per GB-second (arm64), billed per ms',
      source: LAMBDA,
      date: DATE,
      basis: 'reference',
      note: 'First tier (first 7.5 billion GB-seconds a month); cheaper tiers above it are not modelled.',
    } satisfies Price,
    provisionedConcurrencyX86: {
      usd: 0.0000041667,
      unit: 'per GB-second of provisioned concurrency configured (x86_64), charged while configured',
      source: LAMBDA,
      date: DATE,
      basis: 'reference',
      note: 'Charged for the memory of every provisioned environment from configuration to removal, used or not; no free tier.',
    } satisfies Price,
    provisionedConcurrencyArm64: {
      usd: 0.0000033334,
      unit: 'per GB-second of provisioned concurrency configured (arm64), charged while configured',
      source: LAMBDA,
      date: DATE,
      basis: 'reference',
      note: 'Charged for the memory of every provisioned environment from configuration to removal, used or not; no free tier.',
    } satisfies Price,
    provisionedDurationX86: {
      usd: 0.0000097222,
      unit: 'per GB-second of invocations run on provisioned environments (x86_64)',
      source: LAMBDA,
      date: DATE,
      basis: 'reference',
      note: 'Replaces the on-demand duration price for invocations served by provisioned concurrency; spillover pays the on-demand price.',
    } satisfies Price,
    provisionedDurationArm64: {
      usd: 0.0000077778,
      unit: 'per GB-second of invocations run on provisioned environments (arm64)',
      source: LAMBDA,
      date: DATE,
      basis: 'reference',
      note: 'Replaces the on-demand duration price for invocations served by provisioned concurrency; spillover pays the on-demand price.',
    } satisfies Price,
  },
  cloudWatch: {
    dashboard: {
      usd: 3,
      unit: 'per dashboard per month',
      source: CLOUDWATCH,
      date: DATE,
      basis: 'reference',
    } satisfies Price,
    standardAlarm: {
      usd: 0.1,
      unit: 'per standard-resolution alarm metric per month',
      source: CLOUDWATCH,
      date: DATE,
      basis: 'reference',
    } satisfies Price,
    highResolutionAlarm: {
      usd: 0.3,
      unit: 'per high-resolution (10 s / 30 s period) alarm metric per month',
      source: CLOUDWATCH,
      date: DATE,
      basis: 'unverified',
    } satisfies Price,
    customMetric: {
      usd: 0.3,
      unit: 'per custom metric per month (first 10,000)',
      source: CLOUDWATCH,
      date: DATE,
      basis: 'secondary',
      note: 'signoz.io "CloudWatch Pricing" guide, updated 2026-02-15.',
    } satisfies Price,
    logsIngestion: {
      usd: 0.5,
      unit: 'per GB ingested (standard log class)',
      source: CLOUDWATCH,
      date: DATE,
      basis: 'reference',
      note: 'Lambda logs delivered as vended logs are tiered from $0.50/GB down at volume; not modelled.',
    } satisfies Price,
  },
  dynamoDb: {
    writeRequestUnits: {
      usd: 0.625,
      unit: 'per million write request units (on-demand, Standard table class)',
      source: DYNAMODB,
      date: DATE,
      basis: 'secondary',
      note: 'After the 50 % on-demand price cut of 2024-11-01; airbyte.com (2025-07-21) and jusdb.com (2025-08-19) quote the AWS page.',
    } satisfies Price,
    readRequestUnits: {
      usd: 0.125,
      unit: 'per million read request units (on-demand, Standard table class)',
      source: DYNAMODB,
      date: DATE,
      basis: 'secondary',
      note: 'As writeRequestUnits. Storage ($0.25 per GB-month after 25 GB, unverified) is not modelled: gantry does not observe table size.',
    } satisfies Price,
  },
  // What a deployed gantry API adds beyond requests: its failover health checks, active tracing, and
  // the CloudFront + AWS WAF edge with its origin secret. All from memory of the AWS price pages.
  route53: {
    healthCheck: {
      usd: 1.5,
      unit: 'per HTTPS health check of an AWS endpoint per month ($0.50 + $1.00 for HTTPS)',
      source: ROUTE53,
      date: DEPLOY_DATE,
      basis: 'unverified',
    } satisfies Price,
  },
  xRay: {
    tracesRecorded: {
      usd: 5.0,
      unit: 'per million traces recorded (first 100,000 a month free); sampling: 1 request/s, then 5 %',
      source: 'https://aws.amazon.com/xray/pricing/',
      date: DEPLOY_DATE,
      basis: 'unverified',
    } satisfies Price,
  },
  waf: {
    webAcl: {
      usd: 5.0,
      unit: 'per web ACL per month',
      source: WAF,
      date: DEPLOY_DATE,
      basis: 'unverified',
    } satisfies Price,
    rule: {
      usd: 1.0,
      unit: 'per rule or managed rule group per month',
      source: WAF,
      date: DEPLOY_DATE,
      basis: 'unverified',
      note: 'A managed rule group counts as one rule, however many rules it holds (AWS Security Services Best Practices, "WAF Cost", aws.github.io/aws-security-services-best-practices); the figure itself is from memory of the price page.',
    } satisfies Price,
    requests: {
      usd: 0.6,
      unit: 'per million requests',
      source: WAF,
      date: DEPLOY_DATE,
      basis: 'unverified',
    } satisfies Price,
  },
  cloudFront: {
    httpsRequests: {
      usd: 1.0,
      unit: 'per million HTTPS requests (United States, Europe)',
      source: 'https://aws.amazon.com/cloudfront/pricing/',
      date: DEPLOY_DATE,
      basis: 'unverified',
      note: 'Data transfer out to the internet ($0.085/GB after 1 TB a month free) is not modelled.',
    } satisfies Price,
  },
  secretsManager: {
    secret: {
      usd: 0.4,
      unit: 'per secret or replica per month',
      source: 'https://aws.amazon.com/secrets-manager/pricing/',
      date: DEPLOY_DATE,
      basis: 'unverified',
    } satisfies Price,
  },
  /** Always-free allowances, applied only when asked (`freeTier: true`); AWS Budgets sees charges after them. */
  freeTier: {
    lambdaRequests: {
      quantity: 1_000_000,
      unit: 'requests per month',
      source: FREE_TIER,
      date: DATE,
      basis: 'unverified',
    } satisfies Allowance,
    lambdaGbSeconds: {
      quantity: 400_000,
      unit: 'GB-seconds per month',
      source: FREE_TIER,
      date: DATE,
      basis: 'unverified',
    } satisfies Allowance,
    cloudWatchDashboards: {
      quantity: 3,
      unit: 'dashboards (up to 50 metrics each)',
      source: CLOUDWATCH,
      date: DATE,
      basis: 'unverified',
    } satisfies Allowance,
    cloudWatchAlarms: {
      quantity: 10,
      unit: 'standard-resolution alarm metrics',
      source: CLOUDWATCH,
      date: DATE,
      basis: 'unverified',
    } satisfies Allowance,
    cloudWatchCustomMetrics: {
      quantity: 10,
      unit: 'custom metrics',
      source: CLOUDWATCH,
      date: DATE,
      basis: 'unverified',
    } satisfies Allowance,
    cloudWatchLogsGb: {
      quantity: 5,
      unit: 'GB of log ingestion per month',
      source: CLOUDWATCH,
      date: DATE,
      basis: 'unverified',
    } satisfies Allowance,
  },
} as const;

/** Hours in a month as AWS's monthly estimates count them. */
export const HOURS_PER_MONTH = 730;
export const MONTH_MS = HOURS_PER_MONTH * 3600 * 1000;

/** Every price with a path, for `gantry cost --prices` and the docs. */
export function listPrices(): {
  path: string;
  usd: number | string;
  unit: string;
  source: string;
  date: string;
  basis: PriceBasis;
}[] {
  const out: { path: string; usd: number | string; unit: string; source: string; date: string; basis: PriceBasis }[] =
    [];
  const walk = (value: unknown, path: string) => {
    if (value === null || typeof value !== 'object') return;
    const v = value as Record<string, unknown>;
    if ('source' in v && 'date' in v) {
      const usd =
        'usd' in v
          ? (v.usd as number)
          : 'tiers' in v
            ? (v.tiers as { upTo: number | null; usd: number }[])
                .map((t) => `$${t.usd}${t.upTo ? ` up to ${t.upTo.toLocaleString('en-US')}` : ' after'}`)
                .join(', ')
            : `${v.quantity} free`;
      out.push({
        path,
        usd,
        unit: v.unit as string,
        source: v.source as string,
        date: v.date as string,
        basis: v.basis as PriceBasis,
      });
      return;
    }
    for (const [key, child] of Object.entries(v)) walk(child, path ? `${path}.${key}` : key);
  };
  walk(PRICES, '');
  return out;
}
