/** `authorizers`: a Lambda authorizer must name a configured function. */
import { listKnown } from './errors.ts';
import type { ResolvedFunction } from './resolved.ts';
import type { ApiConfig, AuthorizerConfig } from './types.ts';

export function resolveAuthorizers(
  input: ApiConfig['authorizers'],
  functions: Record<string, ResolvedFunction>,
  problems: string[],
): Record<string, AuthorizerConfig> {
  for (const [authName, auth] of Object.entries(input ?? {})) {
    if (auth.type === 'lambda' && !functions[auth.function]) {
      problems.push(
        `authorizers.${authName}.function: unknown function "${auth.function}" (known: ${listKnown(Object.keys(functions))})`,
      );
    }
  }
  return input ?? {};
}
