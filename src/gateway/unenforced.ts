/**
 * Config features this gateway does not emulate. The CLI prints these at startup so nobody mistakes
 * local behaviour for what AWS will serve. (JWT and Lambda authorizers are enforced: src/gateway/authorizers.)
 */
import type { ResolvedConfig } from '../config/resolved.ts';
import { CONTEXT_IDENTITY_VARIABLES } from './authorizers/identity-source.ts';

const CONTEXT_VARIABLES: ReadonlySet<string> = new Set(CONTEXT_IDENTITY_VARIABLES);

/** Lambda authorizer identity sources naming a `$context` variable gantry dev does not provide. */
function missingContextSources(config: ResolvedConfig): string[] {
  const warnings: string[] = [];
  for (const [name, authorizer] of Object.entries(config.authorizers)) {
    if (authorizer.type !== 'lambda') continue;
    for (const source of authorizer.identitySource ?? []) {
      if (!source.startsWith('$context.') || CONTEXT_VARIABLES.has(source.slice('$context.'.length))) continue;
      warnings.push(
        `authorizers.${name}.identitySource "${source}" is never present under gantry dev (it provides $context.${CONTEXT_IDENTITY_VARIABLES.join(', $context.')}): every request to its routes is refused with 401 locally`,
      );
    }
  }
  return warnings;
}

export function unenforcedFeatures(config: ResolvedConfig): string[] {
  const warnings: string[] = [];
  if (config.domain) {
    warnings.push(
      `domain "${config.domain.name}" is NOT served by gantry dev: requests use the local address, and events carry the execute-api domain name, as when the API is called without its custom domain`,
    );
  }
  warnings.push(...missingContextSources(config));
  return warnings;
}
