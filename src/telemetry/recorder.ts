/**
 * What the gateway tells telemetry about each request, once, when its response is sent.
 * The fields are API Gateway's `$context` variables, so an access log can be written from them.
 */
export interface RequestSample {
  apiId: string;
  stage: string;
  /** The matched route key, or `-` when no route matched (as AWS logs it). */
  routeKey: string;
  requestId: string;
  /** Epoch ms when the request arrived. */
  requestTimeEpoch: number;
  httpMethod: string;
  path: string;
  protocol: string;
  sourceIp: string;
  userAgent: string;
  status: number;
  /** Response body bytes. */
  responseLength: number;
  /** Request body bytes. */
  requestLength: number;
  /** Gateway-side latency, request arrival to response end, ms. */
  latencyMs: number;
  /** Time spent in the integration, ms; undefined when none ran. */
  integrationLatencyMs?: number;
  integrationStatus?: number;
  /** API Gateway's `$context.error.message` for its own answers (e.g. "Not Found"). */
  errorMessage?: string;
  /** Name of the Lambda function invoked, when any. */
  functionName?: string;
}

export interface RequestRecorder {
  recordRequest(sample: RequestSample): void;
}

/** Records nothing: the gateway's default when telemetry is off. */
export const noopRecorder: RequestRecorder = { recordRequest() {} };
