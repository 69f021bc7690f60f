/**
 * The faults of a two-region `gantry dev`, as one registry to the console: each region's gateway,
 * runtime and store answer to their own FaultRegistry, and a request's `region` picks which one
 * injects (the primary's when absent). As in FIS, where an experiment runs in one Region and its Lambda
 * actions target that Region's functions, a fault on `orders` hits one region's `orders`, not both.
 * A region outage is the primary's (it holds the region itself, whichever one it names).
 */
import { ACTIONS, type ActionId } from './actions.ts';
import type { Fault } from './fault.ts';
import type { FaultRegistry } from './registry.ts';

type InjectResult = { ok: true; fault: Fault } | { ok: false; problem: string };

export class RegionalFaults {
  private readonly registries = new Map<string, FaultRegistry>();

  constructor(private readonly primary: string) {}

  /** A region's registry, once its gantry dev runs (the secondary starts after the primary's console). */
  add(region: string, registry: FaultRegistry): void {
    this.registries.set(region, registry);
  }

  tryInject(request: Record<string, unknown>): InjectResult {
    const { region, ...rest } = request;
    const outage = ACTIONS[rest.action as ActionId]?.targetKind === 'region';
    if (region !== undefined && outage) {
      return {
        ok: false,
        problem: `region: not taken by ${String(rest.action)} (--target names the region it takes down)`,
      };
    }
    const name = region === undefined || outage ? this.primary : region;
    const registry = typeof name === 'string' ? this.registries.get(name) : undefined;
    if (!registry) {
      return {
        ok: false,
        problem: `region: expected one of ${[...this.registries.keys()].join(', ')} (the regions of this gantry dev), got ${JSON.stringify(region)}`,
      };
    }
    return registry.tryInject(rest);
  }

  /** Every region's faults: the active ones first (oldest first), then those that ended (newest first). */
  list(): Fault[] {
    const all = [...this.registries.values()].flatMap((registry) => registry.list());
    const active = all.filter((f) => f.state === 'active').sort((a, b) => a.startedAt - b.startedAt);
    const ended = all.filter((f) => f.state !== 'active').sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
    return [...active, ...ended];
  }

  stop(id: string): Fault | undefined {
    for (const registry of this.registries.values()) {
      const fault = registry.stop(id);
      if (fault) return fault;
    }
    return undefined;
  }

  stopAll(): Fault[] {
    return [...this.registries.values()].flatMap((registry) => registry.stopAll());
  }

  async settled(): Promise<void> {
    await Promise.all([...this.registries.values()].map((registry) => registry.settled()));
  }
}
