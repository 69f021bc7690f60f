/**
 * The local OIDC issuer of `gantry dev`: one signing key kept under `.gantry/`, its JWKS and discovery
 * document, and access tokens minted for the JWT authorizers it stands in for (`gantry token`).
 */
export { type IssuerEndpoint, issuerDocuments, localIssuerEndpoints } from './discovery.ts';
export { type IssuerKey, keySetOf, loadIssuerKey, signingKeyPath } from './keys.ts';
export { type LocalTokenOptions, localToken } from './local-token.ts';
export { DEFAULT_SUBJECT, localAuthorizer, MintError, type MintOptions, mintToken } from './mint.ts';
