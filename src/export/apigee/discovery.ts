/**
 * Apigee's VerifyJWT takes a JWKS URI, not an OIDC discovery URL: read `jwks_uri` from each JWT
 * issuer's discovery document at export time. An issuer that cannot be reached is left out, and the
 * export lists the URI it assumed instead.
 */
import type { ResolvedConfig } from '../../config/index.ts';

export async function discoverJwksUris(config: ResolvedConfig, timeoutMs = 3000): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  await Promise.all(
    Object.entries(config.authorizers).map(async ([name, auth]) => {
      if (auth.type !== 'jwt') return;
      try {
        const response = await fetch(`${auth.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
          signal: AbortSignal.timeout(timeoutMs),
        });
        const document = (await response.json()) as { jwks_uri?: unknown };
        if (response.ok && typeof document.jwks_uri === 'string') found[name] = document.jwks_uri;
      } catch {
        // Unreachable or not JSON: the export reports the assumed URI.
      }
    }),
  );
  return found;
}
