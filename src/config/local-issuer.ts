/**
 * Which JWT authorizers `gantry dev`'s local issuer stands in for: read by the gateway (which verifies
 * their tokens with the local key) and by `gantry token` (which mints them), so the two cannot disagree.
 */
import type { AuthorizerConfig } from './types.ts';

export function usesLocalIssuer(authorizer: AuthorizerConfig): boolean {
  return authorizer.type === 'jwt' && (authorizer.localIssuer ?? authorizer.cognitoUserPool ?? false);
}
