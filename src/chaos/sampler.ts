/**
 * Which invocations (or requests) a fault hits: one draw per invocation against the percentage, as
 * FIS counts `invocationPercentage` (use-lambda-actions.html, "Understanding invocation percentage"),
 * from a seeded generator so the same seed and the same sequence of invocations give the same hits.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export class HitSampler {
  private readonly rng;

  constructor(
    readonly seed: number,
    /** 1 to 100. */
    private readonly percent: number,
  ) {
    this.rng = xoroshiro128plus(seed);
  }

  /** Whether the next invocation is hit. At 100 % every one is, without a draw. */
  next(): boolean {
    if (this.percent >= 100) return true;
    return uniformInt(this.rng, 1, 10_000) <= this.percent * 100;
  }
}

/** A seed for a run that was given none: printed with the fault so the run can be replayed. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
