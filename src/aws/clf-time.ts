/**
 * The Common Log Format time API Gateway writes in `requestContext.time` (payload 2.0),
 * `requestContext.requestTime` (payload 1.0) and `$context.requestTime` (access logs):
 * `23/Nov/2026:23:42:45 +0000`, always UTC.
 */
import { perSecond } from './per-second.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** The CLF time of `epochMs`, formatted afresh. */
export function formatClfTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(
    d.getUTCMinutes(),
  )}:${two(d.getUTCSeconds())} +0000`;
}

/** formatClfTime, computed once per second: for the request path. */
export const clfTime = perSecond(formatClfTime);
