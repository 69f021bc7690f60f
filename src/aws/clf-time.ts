/**
 * The Common Log Format time API Gateway writes in `requestContext.time` (payload 2.0),
 * `requestContext.requestTime` (payload 1.0) and `$context.requestTime` (access logs):
 * `23/Nov/2026:23:42:45 +0000`, always UTC.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** The CLF time of `epochMs`, formatted afresh. */
export function formatClfTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(
    d.getUTCMinutes(),
  )}:${two(d.getUTCSeconds())} +0000`;
}

// Every request of the same second shares one string: formatting a date per request is not free.
let cachedSecond = -1;
let cachedText = '';

/** formatClfTime, computed once per second: for the request path. */
export function clfTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedText = formatClfTime(epochMs);
  }
  return cachedText;
}
