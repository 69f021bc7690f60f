/** Errors as the Lambda Node.js runtime reports them (its "Unhandled" function error JSON). */
import { types } from 'node:util';

export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
}

export function toErrorPayload(error: unknown): ErrorPayload {
  try {
    if (types.isNativeError(error) || error instanceof Error) {
      return {
        errorType: String(error.name),
        errorMessage: String(error.message),
        stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
      };
    }
    // `callback('nope')` or `throw 42`: Lambda reports the value's typeof and its text.
    return { errorType: typeof error, errorMessage: String(error), stackTrace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      stackTrace: [],
    };
  }
}
