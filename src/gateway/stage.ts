/**
 * Stage selection: the `$default` stage is served at the root; a named stage `dev` under `/dev/...`,
 * its prefix stripped for route matching (but kept in `rawPath`). A request outside the stage's
 * prefix finds no stage: API Gateway answers 404 `{"message":"Not Found"}`.
 */

export interface Stage {
  name: string;
  /** The path routes see (always starts with `/`), or undefined when the request is outside this stage. */
  routePath(rawPath: string): string | undefined;
}

export function compileStage(name: string): Stage {
  if (name === '$default') {
    return { name, routePath: (rawPath) => (rawPath === '' ? '/' : rawPath) };
  }
  const prefix = `/${name}`;
  const prefixLength = prefix.length;
  return {
    name,
    routePath(rawPath) {
      if (!rawPath.startsWith(prefix)) return undefined;
      if (rawPath.length === prefixLength) return '/';
      // `/devtools` must not be taken for the stage `dev`.
      if (rawPath.charCodeAt(prefixLength) !== 47 /* / */) return undefined;
      return rawPath.slice(prefixLength);
    },
  };
}
