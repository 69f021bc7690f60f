/**
 * The Lambda Node.js runtimes a function may name (`functions.NAME.runtime`), the one `gantry deploy`
 * uses by default, and what differs between them that a handler can meet. `gantry dev` runs handlers
 * on the Node.js that runs gantry itself: when its major differs from a function's runtime, the banner
 * says so and names these differences, so an API that exists only on one side is not a surprise.
 */

export const LAMBDA_NODE_RUNTIMES = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const;
export type LambdaNodeRuntime = (typeof LAMBDA_NODE_RUNTIMES)[number];

/** The runtime of a function that names none. */
export const DEPLOYED_LAMBDA_RUNTIME: LambdaNodeRuntime = 'nodejs24.x';

export function runtimeMajor(runtime: LambdaNodeRuntime): number {
  return Number(runtime.slice(6, 8));
}

/** Whether Lambda's runtime still accepts callback-style handlers (`callback`, `context.done/succeed/fail`). */
export function hasCallbackHandlers(runtime: LambdaNodeRuntime): boolean {
  return runtimeMajor(runtime) < 24;
}

/**
 * What a handler meets differently on Node `major` than on Node `other`, newest first: Lambda's own
 * changes and the Node.js APIs handlers reach for. Not every difference: the ones a port trips on.
 */
const CHANGES: { major: number; what: string }[] = [
  {
    major: 24,
    what: 'Lambda nodejs24.x has no callback-style handlers (callback, context.done/succeed/fail): only async handlers',
  },
  { major: 24, what: 'Node 24 adds URLPattern, RegExp.escape, Float16Array and Error.isError as globals' },
  { major: 22, what: 'Node 22 adds require() of ES modules, a global WebSocket and navigator, fs.glob' },
  { major: 22, what: 'Node 22 adds Promise.withResolvers, Array.fromAsync and the new Set methods' },
];

export function behaviourDifferences(a: number, b: number): string[] {
  const [low, high] = a < b ? [a, b] : [b, a];
  return CHANGES.filter((change) => change.major > low && change.major <= high).map((change) => change.what);
}

/**
 * One line per group of functions whose runtime's Node major is not the local one's, naming what
 * behaves differently; none when every function runs on the same major here as in AWS.
 */
export function runtimeWarnings(
  functions: Record<string, { runtime: LambdaNodeRuntime }>,
  localNodeVersion: string,
): string[] {
  const local = Number(localNodeVersion.replace(/^v/, '').split('.')[0]);
  const byRuntime = new Map<LambdaNodeRuntime, string[]>();
  for (const [name, fn] of Object.entries(functions)) {
    if (runtimeMajor(fn.runtime) === local) continue;
    byRuntime.set(fn.runtime, [...(byRuntime.get(fn.runtime) ?? []), name]);
  }
  return [...byRuntime].map(([runtime, names]) => {
    const differences = behaviourDifferences(local, runtimeMajor(runtime));
    return `${runtime} (${names.join(', ')}): deployed on Node ${runtimeMajor(runtime)}, but handlers run on Node ${local} here${differences.length ? `; what differs: ${differences.join('; ')}` : ''}`;
  });
}
