import { loadConfig } from '../../config/index.ts';
import { DEFAULT_SUBJECT, loadIssuerKey, MintError, mintToken } from '../../identity/index.ts';
import { parseDuration } from '../../loadtest/scenario/duration.ts';
import { parseFlags, UsageError } from '../args.ts';
import type { Command } from '../command.ts';

const usage = `Usage: gantry token [--authorizer NAME] [--scope S]… [--sub S] [--claim k=v]… [--expires 1h] [flags]

Prints one access token, signed by gantry dev's local issuer, that gantry dev accepts for a JWT
authorizer it stands in for (one with cognitoUserPool: true or localIssuer: true). Needs no running
gantry dev: the signing key is kept in .gantry/issuer/ beside the config (created on first use), and
the token's iss is the authorizer's issuer, not a local address. Cognito authorizers get a Cognito
user pool access token's claims (token_use, client_id, scope, username).

Flags:
  --config PATH       api.config.ts (default ./api.config.ts)
  --authorizer NAME   the JWT authorizer (default: the only one using the local issuer)
  --scope S           a scope the token grants; repeat for more (route scopes need one of them)
  --sub S             the subject (and Cognito username) (default ${DEFAULT_SUBJECT})
  --claim k=v         an extra claim; a JSON value (5, true, ["a","b"]) is taken as JSON, anything else
                      as a string; repeat for more
  --expires D         lifetime: 30s, 15m, 1h, 12h (default 1h)

Exit code: 0 with the token on stdout; 1 when no token can be minted (the reason on stderr).

Example:
  TOKEN=$(gantry token --config examples/orders/api.config.ts --scope orders/write)
  curl -H "Authorization: Bearer $TOKEN" -X POST http://127.0.0.1:3000/api/orders -d '{…}'`;

function claimsOf(pairs: string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--claim ${pair}: expected NAME=VALUE, e.g. --claim tenant=acme`);
    const value = pair.slice(eq + 1);
    let parsed: unknown = value;
    try {
      parsed = JSON.parse(value);
    } catch {
      // Not JSON: the text itself.
    }
    Object.defineProperty(claims, pair.slice(0, eq), { value: parsed, enumerable: true, writable: true });
  }
  return claims;
}

export const command: Command = {
  name: 'token',
  summary: "print an access token from gantry dev's local issuer, for a route's JWT authorizer",
  usage,
  async run(args) {
    const { values, positionals } = parseFlags(
      args,
      {
        config: { type: 'string', default: 'api.config.ts' },
        authorizer: { type: 'string' },
        scope: { type: 'string', multiple: true },
        sub: { type: 'string' },
        claim: { type: 'string', multiple: true },
        expires: { type: 'string', default: '1h' },
      },
      usage,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n\n${usage}`);
    const expiresMs = parseDuration(values.expires);
    if (expiresMs === undefined || expiresMs < 1000) {
      throw new UsageError(`--expires ${values.expires}: expected a duration of at least 1s, e.g. 15m or 1h`);
    }
    const config = await loadConfig(values.config);
    try {
      const key = await loadIssuerKey(config.dir);
      const token = await mintToken(config, key, {
        authorizer: values.authorizer,
        scopes: values.scope,
        subject: values.sub,
        claims: claimsOf(values.claim ?? []),
        expiresInSeconds: Math.floor(expiresMs / 1000),
      });
      console.log(token);
      return 0;
    } catch (error) {
      if (!(error instanceof MintError)) throw error;
      console.error(`gantry token: ${error.message}`);
      return 1;
    }
  },
};
