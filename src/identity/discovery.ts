/**
 * What the local issuer publishes, as an OIDC provider does: a discovery document and the JWKS. Other
 * local services (a frontend, a second API) can verify `gantry token`'s tokens with them.
 */
import { SIGNING_ALGORITHM } from './keys.ts';

export function discoveryDocument(issuer: string, jwksUri: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: jwksUri,
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
    token_endpoint_auth_methods_supported: ['none'],
  };
}
