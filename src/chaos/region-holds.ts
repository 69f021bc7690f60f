/**
 * Who holds a region of a two-region `gantry dev` down: the user (`gantry region down`, the console)
 * and chaos faults (`gantry:region:outage`), each on its own. The region is down while anyone holds
 * it and comes back up when the last hold goes: a fault ending never brings up a region the user
 * took down by hand, and `gantry region up` never ends a fault behind the registry's back (the
 * caller says who still holds it). Taking a region down or up is asynchronous (a listener closes or
 * opens), so the transitions run one at a time, in the order asked.
 */

/** The holder `gantry region down|up` acts as. */
export const MANUAL_HOLD = 'manual';

/** What the fault registry needs of the regions: a hold per fault. */
export interface RegionOutages {
  /** Holds `region` down for `holder` (a fault id); resolves once it is down. */
  hold(region: string, holder: string): Promise<void>;
  /** Drops `holder`'s hold; resolves once the region is up, or at once when another holder keeps it down. */
  release(region: string, holder: string): Promise<void>;
}

/** Takes a region down or brings it back (the regions' own mechanism: listener, replication). */
export type ApplyRegionStatus = (region: string, status: 'up' | 'down') => Promise<void>;

export class RegionHolds implements RegionOutages {
  private readonly holders = new Map<string, Set<string>>();
  private readonly down = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly apply: ApplyRegionStatus) {}

  /** Down from the moment it is asked, until it is up again. */
  isDown(region: string): boolean {
    return this.down.has(region);
  }

  /** Who holds `region` down now (`manual` and fault ids), in the order they took it. */
  holdersOf(region: string): string[] {
    return [...(this.holders.get(region) ?? [])];
  }

  hold(region: string, holder: string): Promise<void> {
    const set = this.holders.get(region) ?? new Set<string>();
    this.holders.set(region, set);
    set.add(holder);
    return this.settle(region);
  }

  release(region: string, holder: string): Promise<void> {
    this.holders.get(region)?.delete(holder);
    return this.settle(region);
  }

  /** Brings the region to what its holds say, after every transition asked before. */
  private settle(region: string): Promise<void> {
    const run = async () => {
      const wanted = (this.holders.get(region)?.size ?? 0) > 0;
      if (wanted === this.down.has(region)) return;
      if (wanted) {
        // Shown down from the start: requests refused from here on are the outage's.
        this.down.add(region);
        await this.apply(region, 'down');
      } else {
        await this.apply(region, 'up');
        this.down.delete(region);
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }
}
