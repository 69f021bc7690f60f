/**
 * Tokens already verified, by their exact text. Verifying an RSA signature costs tens of µs of the
 * gateway's main thread (which carries ~60–70 µs of work per request in all), so a client that sends
 * the same token again, as every client does until it expires, is served from here: a Map lookup
 * and two time comparisons. Only successes are kept; an entry is used only while the token's own
 * `exp`/`nbf` allow it, so an expired token falls through to full verification and is refused there.
 * Bounded: past MAX_ENTRIES the oldest entry goes (Map keeps insertion order).
 */
import type { VerifiedToken } from './verifier.ts';

const MAX_ENTRIES = 10_000;

export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  /** The verified token if it is still valid at `nowSeconds`. */
  get(token: string, nowSeconds: number): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (nowSeconds >= entry.exp || nowSeconds < entry.nbf) {
      this.entries.delete(token);
      return undefined;
    }
    return entry;
  }

  set(token: string, verified: VerifiedToken): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, verified);
  }

  get size(): number {
    return this.entries.size;
  }
}
