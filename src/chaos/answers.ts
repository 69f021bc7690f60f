/**
 * What a fault does to one invocation or request, in the shapes gateway, runtime and store ask for
 * (their faults.ts). Those folders define the questions; chaos may not import them, so the answers
 * are written here to the same shape and the CLI's wiring checks they fit. Built once per fault.
 */
import { REGION_OUTAGE_ACTION } from '../config/index.ts';
import type { ActionId, ParameterValues } from './actions.ts';

export interface InvocationAnswer {
  readonly delayMs: number;
  readonly replacement?:
    | { status: 'success'; payload: string }
    | { status: 'function-error'; errorType: string; errorMessage: string; stackTrace: string[] };
  readonly preventExecution: boolean;
  readonly logLines?: readonly string[];
}

export interface RouteAnswer {
  readonly delayMs: number;
  readonly reset: boolean;
}

export interface StoreAnswer {
  readonly delayMs: number;
  readonly error?: 'ProvisionedThroughputExceededException' | 'InternalServerError';
}

/** How faults of one action combine on the same target: FIS applies different actions together, and of identical or conflicting ones only the earliest. */
export type AnswerSlot = 'delay' | 'replace' | 'reset' | 'error' | 'limit' | 'outage';

export type BuiltAnswer =
  | { layer: 'runtime'; slot: 'delay' | 'replace'; answer: InvocationAnswer }
  | { layer: 'runtime'; slot: 'limit'; limit: number }
  | { layer: 'gateway'; slot: 'delay' | 'reset'; answer: RouteAnswer }
  | { layer: 'store'; slot: 'delay' | 'error'; answer: StoreAnswer }
  /** Not a per-request answer: the region is held down while the fault lasts (registry.ts). */
  | { layer: 'region'; slot: 'outage' };

/**
 * The error a failed invocation carries. The FIS extension's error document is not documented
 * (UNVERIFIED); behind an HTTP API the client sees Lambda's function-error answer either way:
 * 500 {"message":"Internal Server Error"}.
 */
export const INJECTED_ERROR = {
  status: 'function-error',
  errorType: 'FisInjectedError',
  errorMessage: 'AWS FIS injected an error into this invocation (aws:lambda:invocation-error)',
  stackTrace: [],
} as const;

/**
 * What FIS's Lambda extension writes into the function's log stream for each invocation it hits.
 * The latency line is AWS's (use-lambda-actions.html: `AWS FIS EXTENSION - adding 5000 milliseconds
 * of latency to function invocation`); the error and response lines are not documented (UNVERIFIED):
 * written in the same form, naming what was done.
 */
export const FIS_EXTENSION_LOG = {
  delay: (ms: number) => `AWS FIS EXTENSION - adding ${ms} milliseconds of latency to function invocation`,
  error: (preventExecution: boolean) =>
    `AWS FIS EXTENSION - injecting an error into function invocation (${preventExecution ? 'handler not run' : 'after the handler ran'})`,
  response: (statusCode: number, preventExecution: boolean) =>
    `AWS FIS EXTENSION - replacing the function response with HTTP status ${statusCode} (${preventExecution ? 'handler not run' : 'after the handler ran'})`,
};

export function buildAnswer(action: ActionId, p: ParameterValues): BuiltAnswer {
  switch (action) {
    case 'aws:lambda:invocation-add-delay':
      return {
        layer: 'runtime',
        slot: 'delay',
        answer: {
          delayMs: p.startupDelayMilliseconds as number,
          preventExecution: false,
          logLines: [FIS_EXTENSION_LOG.delay(p.startupDelayMilliseconds as number)],
        },
      };
    case 'aws:lambda:invocation-error':
      return {
        layer: 'runtime',
        slot: 'replace',
        answer: {
          delayMs: 0,
          replacement: { ...INJECTED_ERROR, stackTrace: [] },
          preventExecution: p.preventExecution as boolean,
          logLines: [FIS_EXTENSION_LOG.error(p.preventExecution as boolean)],
        },
      };
    case 'aws:lambda:invocation-http-integration-response': {
      // The body FIS sends is not documented (UNVERIFIED): an empty one says nothing it cannot back.
      const payload = JSON.stringify({
        statusCode: p.statusCode,
        headers: { 'Content-Type': p.contentTypeHeader },
        body: '',
      });
      return {
        layer: 'runtime',
        slot: 'replace',
        answer: {
          delayMs: 0,
          replacement: { status: 'success', payload },
          preventExecution: p.preventExecution as boolean,
          logLines: [FIS_EXTENSION_LOG.response(p.statusCode as number, p.preventExecution as boolean)],
        },
      };
    }
    case 'gantry:lambda:function-concurrency-limit':
      return { layer: 'runtime', slot: 'limit', limit: p.reservedConcurrentExecutions as number };
    case 'gantry:apigateway:route-add-delay':
      return { layer: 'gateway', slot: 'delay', answer: { delayMs: p.delayMilliseconds as number, reset: false } };
    case 'gantry:apigateway:route-connection-reset':
      return { layer: 'gateway', slot: 'reset', answer: { delayMs: 0, reset: true } };
    case 'gantry:dynamodb:table-add-delay':
      return { layer: 'store', slot: 'delay', answer: { delayMs: p.delayMilliseconds as number } };
    case 'gantry:dynamodb:table-error':
      return {
        layer: 'store',
        slot: 'error',
        answer: { delayMs: 0, error: p.errorCode as 'ProvisionedThroughputExceededException' | 'InternalServerError' },
      };
    case REGION_OUTAGE_ACTION:
      return { layer: 'region', slot: 'outage' };
  }
}
