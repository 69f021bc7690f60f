/**
 * A Lambda REQUEST authorizer: its function runs in its own execution environments through the
 * runtime's Invoker (cold starts, logs, REPORT lines and metrics like any function).
 *
 * As API Gateway: every identity source must be present and non-empty, else 401 without invoking the
 * function. Answers are cached per identity-source values for `resultTtlSeconds` (0: off), shared by
 * every route of the authorizer (unless `$context.routeKey` is one of the sources, which makes it part
 * of the key); a cached IAM policy is evaluated again against each request's route ARN. A function
 * that throws, times out or answers something unreadable gives 500; a refusal gives 403.
 */
import type { Invoker } from '../../../runtime/types.ts';
import type { ApiContext } from '../../request.ts';
import { errorResponse } from '../../response.ts';
import { AUTHORIZER_ERRORS } from '../answers.ts';
import type { IdentityReader } from '../identity-source.ts';
import type { Authorization, AuthorizeInput, RouteAuthorizer } from '../types.ts';
import { authorizerEventV1, authorizerEventV2, routeArn } from './event.ts';
import { policyAllows } from './iam-policy.ts';
import { type AuthorizerAnswer, parseAuthorizerAnswer } from './response.ts';

/** How long API Gateway waits for an authorizer before answering 500 (unverified; the function's own timeout also applies). */
export const AUTHORIZER_TIMEOUT_MS = 10_000;
const MAX_CACHED = 10_000;

export interface LambdaAuthorizerSettings {
  functionName: string;
  identity: IdentityReader[];
  resultTtlSeconds: number;
  simpleResponses: boolean;
  payloadFormatVersion: '2.0' | '1.0';
}

export interface LambdaAuthorizerHost {
  readonly invoker: Invoker;
  readonly region: string;
  readonly api: ApiContext;
}

interface CachedAnswer {
  answer: AuthorizerAnswer;
  expiresAt: number;
}

const unauthorized = () => errorResponse(AUTHORIZER_ERRORS.unauthorized);
const forbidden = () => errorResponse(AUTHORIZER_ERRORS.forbidden);
const failed = () => errorResponse(AUTHORIZER_ERRORS.authorizerFailure);

export class LambdaAuthorizer implements RouteAuthorizer {
  private readonly cache = new Map<string, CachedAnswer>();

  constructor(
    private readonly settings: LambdaAuthorizerSettings,
    private readonly host: LambdaAuthorizerHost,
    private readonly now: () => number = () => performance.now(),
  ) {}

  authorize(input: AuthorizeInput): Authorization | Promise<Authorization> {
    const values: string[] = [];
    for (const read of this.settings.identity) {
      const value = read(input.view);
      if (value === undefined) return unauthorized();
      values.push(value);
    }
    const arn = routeArn(this.host.region, this.host.api, input.method, input.routePath);
    const ttlMs = this.settings.resultTtlSeconds * 1000;
    // Caching needs an identity source to key on (AWS refuses a TTL without one).
    const key = ttlMs > 0 && values.length > 0 ? values.join('\u0000') : undefined;
    if (key !== undefined) {
      const cached = this.cache.get(key);
      if (cached !== undefined) {
        if (this.now() < cached.expiresAt) return this.decide(cached.answer, arn);
        this.cache.delete(key);
      }
    }
    return this.invoke(input, arn, values).then((answer) => {
      if (answer === undefined) return failed();
      if (key !== undefined) {
        if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(key, { answer, expiresAt: this.now() + ttlMs });
      }
      return this.decide(answer, arn);
    });
  }

  private decide(answer: AuthorizerAnswer, arn: string): Authorization {
    if (answer.kind === 'simple') return answer.isAuthorized ? { lambda: answer.context } : forbidden();
    if (!policyAllows(answer.statements, arn)) return forbidden();
    return { lambda: answer.context, principalId: answer.principalId };
  }

  /** The function's answer, or undefined when it failed or answered something unreadable. */
  private async invoke(input: AuthorizeInput, arn: string, values: string[]): Promise<AuthorizerAnswer | undefined> {
    const { settings, host } = this;
    const request = input.request();
    const event =
      settings.payloadFormatVersion === '2.0'
        ? authorizerEventV2(request, input.matched, host.api, arn, values)
        : authorizerEventV1(request, input.matched, host.api, arn, values);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, AUTHORIZER_TIMEOUT_MS, undefined);
      timer.unref();
    });
    try {
      const result = await Promise.race([
        host.invoker.invoke(settings.functionName, JSON.stringify(event), { traceId: input.traceId() }),
        timeout,
      ]);
      if (result === undefined || result.outcome.status !== 'success') return undefined;
      // API Gateway's 2.0 simple responses only exist with payload 2.0.
      return parseAuthorizerAnswer(
        result.outcome.payload,
        settings.simpleResponses && settings.payloadFormatVersion === '2.0',
      );
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
