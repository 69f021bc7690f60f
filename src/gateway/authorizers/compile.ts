/**
 * The config's authorizers, compiled once per config: one verifier (with its key cache and its cache of
 * verified tokens) per JWT authorizer and one result cache per Lambda authorizer, shared by every route
 * that uses it, and one RouteAuthorizer per protected route (its scopes bound in). A route without an
 * authorizer gets none and pays nothing on the request path.
 */

import type { JSONWebKeySet } from 'jose';
import { usesLocalIssuer } from '../../config/local-issuer.ts';
import type { ResolvedConfig, ResolvedRoute } from '../../config/resolved.ts';
import { compileIdentitySource, type IdentityReader } from './identity-source.ts';
import { RemoteKeys, staticKeys } from './jwt/keys.ts';
import { jwtRouteAuthorizer } from './jwt/route.ts';
import { JwtVerifier } from './jwt/verifier.ts';
import { LambdaAuthorizer, type LambdaAuthorizerHost } from './lambda/authorizer.ts';
import type { RouteAuthorizer } from './types.ts';

export const DEFAULT_IDENTITY_SOURCE = '$request.header.Authorization';

export interface AuthorizerOptions extends LambdaAuthorizerHost {
  /** The local issuer's public keys (`gantry dev` loads them from `.gantry/`); none: its tokens are refused. */
  localIssuerKeys?: JSONWebKeySet;
}

function reader(expression: string, where: string): IdentityReader {
  const read = compileIdentitySource(expression);
  // The config schema admits only expressions compiled here; this guards a schema that drifts.
  if (read === undefined) throw new Error(`${where}: unsupported identity source "${expression}"`);
  return read;
}

export interface CompiledAuthorizers {
  forRoute(route: ResolvedRoute): RouteAuthorizer | undefined;
}

export function compileAuthorizers(config: ResolvedConfig, options: AuthorizerOptions): CompiledAuthorizers {
  const verifiers = new Map<string, { verifier: JwtVerifier; identity: IdentityReader }>();
  const lambda = new Map<string, LambdaAuthorizer>();
  for (const [name, authorizer] of Object.entries(config.authorizers)) {
    const where = `authorizers.${name}.identitySource`;
    if (authorizer.type === 'jwt') {
      // The issuer is asked for its keys on the first request that needs them, not at startup: a
      // config whose issuer is unreachable still starts, and answers as AWS would (401).
      const keys = usesLocalIssuer(authorizer)
        ? staticKeys(options.localIssuerKeys ?? { keys: [] })
        : new RemoteKeys(authorizer.issuer);
      verifiers.set(name, {
        verifier: new JwtVerifier({ issuer: authorizer.issuer, audience: authorizer.audience, keys }),
        identity: reader(authorizer.identitySource ?? DEFAULT_IDENTITY_SOURCE, where),
      });
    } else {
      lambda.set(
        name,
        new LambdaAuthorizer(
          {
            functionName: authorizer.function,
            identity: (authorizer.identitySource ?? [DEFAULT_IDENTITY_SOURCE]).map((e) => reader(e, where)),
            resultTtlSeconds: authorizer.resultTtlSeconds ?? 0,
            simpleResponses: authorizer.enableSimpleResponses ?? true,
            payloadFormatVersion: authorizer.payloadFormatVersion ?? '2.0',
          },
          options,
        ),
      );
    }
  }
  return {
    forRoute(route) {
      if (route.authorizer === undefined) return undefined;
      const jwt = verifiers.get(route.authorizer);
      if (jwt !== undefined) return jwtRouteAuthorizer(jwt.verifier, jwt.identity, route.scopes);
      return lambda.get(route.authorizer);
    },
  };
}
