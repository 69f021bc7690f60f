/**
 * A time format computed once per second: every request of the same second shares one string, since
 * formatting a date per request is not free (the CLF time of events and access logs, the `date` header).
 */
export function perSecond(format: (secondStartMs: number) => string): (epochMs: number) => string {
  let second = Number.NaN;
  let text = '';
  return (epochMs) => {
    const now = Math.floor(epochMs / 1000);
    if (now !== second) {
      second = now;
      text = format(now * 1000);
    }
    return text;
  };
}
