/**
 * What the local issuer publishes, as an OIDC provider does: a discovery document and the JWKS, one
 * pair per authorizer it stands in for, laid out as Cognito lays out a user pool's
 * (`{issuer}/.well-known/openid-configuration` and `{issuer}/.well-known/jwks.json`) under
 * `/issuers/{authorizer}` of the server that serves them (`gantry dev`'s console). Other local
 * services (a frontend, a second API) verify `gantry token`'s tokens with them.
 *
 * The document's `issuer` is the authorizer's configured `issuer`, not the local URL: it is what the
 * tokens carry in `iss` (so they keep verifying across restarts and ports), and what a verifier must
 * expect. A client that insists on the issuer matching the discovery URL (strict OIDC discovery) can
 * instead take `jwks_uri` directly.
 */
import type { JSONWebKeySet } from 'jose';
import { type ResolvedConfig, usesLocalIssuer } from '../config/index.ts';
import { SIGNING_ALGORITHM } from './keys.ts';

function discoveryDocument(issuer: string, jwksUri: string, scopes: string[] = []): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: jwksUri,
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
    token_endpoint_auth_methods_supported: ['none'],
    ...(scopes.length > 0 ? { scopes_supported: scopes } : {}),
  };
}

/** Where one authorizer's documents are served, relative to the serving origin. */
export interface IssuerEndpoint {
  authorizer: string;
  /** The authorizer's configured issuer: the tokens' `iss`. */
  issuer: string;
  discoveryPath: string;
  jwksPath: string;
}

/** One endpoint per authorizer the local issuer stands in for, in config order. */
export function localIssuerEndpoints(config: ResolvedConfig): IssuerEndpoint[] {
  const endpoints: IssuerEndpoint[] = [];
  for (const [name, authorizer] of Object.entries(config.authorizers)) {
    if (authorizer.type !== 'jwt' || !usesLocalIssuer(authorizer)) continue;
    const base = `/issuers/${encodeURIComponent(name)}/.well-known`;
    endpoints.push({
      authorizer: name,
      issuer: authorizer.issuer,
      discoveryPath: `${base}/openid-configuration`,
      jwksPath: `${base}/jwks.json`,
    });
  }
  return endpoints;
}

/** The documents to serve at `origin`, by path: each authorizer's discovery document and the JWKS. */
export function issuerDocuments(config: ResolvedConfig, jwks: JSONWebKeySet, origin: string): Map<string, unknown> {
  const documents = new Map<string, unknown>();
  for (const endpoint of localIssuerEndpoints(config)) {
    // The scopes its routes ask for: what a token for it may usefully carry.
    const scopes = [
      ...new Set(config.routes.filter((r) => r.authorizer === endpoint.authorizer).flatMap((r) => r.scopes)),
    ];
    documents.set(endpoint.discoveryPath, discoveryDocument(endpoint.issuer, `${origin}${endpoint.jwksPath}`, scopes));
    documents.set(endpoint.jwksPath, jwks);
  }
  return documents;
}
