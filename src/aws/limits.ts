/**
 * AWS's documented limits and quotas that both the emulator (which enforces them) and the config
 * schema (which refuses what AWS would refuse at deploy) need. Each from the service's quota page.
 */

/** Lambda `MemorySize`, in MB ("Lambda quotas": 128 MB to 10,240 MB, 1 MB steps). */
export const LAMBDA_MEMORY_MB = { min: 128, max: 10_240 } as const;
/** Lambda `Timeout`, whole seconds ("Lambda quotas": up to 900 seconds). */
export const LAMBDA_TIMEOUT_SECONDS = { min: 1, max: 900 } as const;
/** Lambda's limit on a function's environment variables: names and values together, in bytes. */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;
/** Synchronous invocation payload, request and response ("Lambda quotas": 6 MB). */
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Set by the Lambda runtime itself: a function configuration that names one is refused at deploy. */
export const LAMBDA_RESERVED_VARIABLES: readonly string[] = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];

/** HTTP API integration timeout, ms ("API Gateway quotas for HTTP APIs": 50 ms to 30 s; 30 s by default). */
export const HTTP_API_INTEGRATION_TIMEOUT_MS = { min: 50, max: 30_000 } as const;
/** HTTP API request payload ("API Gateway quotas for HTTP APIs": 10 MB). */
export const HTTP_API_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** A throttle's steady rate (requests per second) and bucket size. */
export interface ThrottleLimits {
  rateLimit: number;
  burstLimit: number;
}

/** Account-level API Gateway quota per region: 10,000 rps steady, 5,000 burst. */
export const ACCOUNT_THROTTLE: ThrottleLimits = { rateLimit: 10_000, burstLimit: 5_000 };
/** The account quota in the regions listed below. */
const LOWER_ACCOUNT_THROTTLE: ThrottleLimits = { rateLimit: 2_500, burstLimit: 1_250 };
/**
 * The 13 regions whose default account quota is 2,500 rps / burst 1,250 ("Amazon API Gateway quotas":
 * Cape Town, Milan, Jakarta, UAE, Hyderabad, Melbourne, Spain, Zurich, Tel Aviv, Calgary, Malaysia,
 * Thailand, Mexico Central).
 */
const LOWER_QUOTA_REGIONS = new Set([
  'af-south-1',
  'eu-south-1',
  'ap-southeast-3',
  'me-central-1',
  'ap-south-2',
  'ap-southeast-4',
  'eu-south-2',
  'eu-central-2',
  'il-central-1',
  'ca-west-1',
  'ap-southeast-5',
  'ap-southeast-7',
  'mx-central-1',
]);

/** The account's default API Gateway throttle in `region`. */
export function accountThrottleFor(region: string): ThrottleLimits {
  return LOWER_QUOTA_REGIONS.has(region) ? LOWER_ACCOUNT_THROTTLE : ACCOUNT_THROTTLE;
}

/** DynamoDB's default quota of global secondary indexes per table. */
export const DYNAMODB_MAX_GSIS = 20;
/** Lambda's default concurrency quota per account and region. */
export const LAMBDA_ACCOUNT_CONCURRENCY = 1000;
/**
 * Concurrency an account always keeps unreserved for functions without reserved concurrency
 * ("Configuring reserved concurrency": reserve up to the unreserved account concurrency minus 100);
 * an account whose whole limit is lower (10 or 50 for new accounts) keeps all of it.
 */
export const LAMBDA_UNRESERVED_MINIMUM = 100;
