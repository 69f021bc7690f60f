/**
 * Pre-started runtimes are this machine's capacity, not a region's: the runtimes of one `gantry dev`
 * (a two-region one's two regions, and the runtime a config reload starts beside the one it replaces)
 * draw a function's cold starts from one reserve of sandboxes instead of each keeping its own. Before,
 * the example's two regions kept 50 each: 100 idle workers of ~10 MB, each started before `gantry dev`
 * was ready, each a port on the gateway's event loop (libuv visits them all on every wake-up of that
 * thread). With one reserve it is ready in 3.8 instead of 5.1 s, with 0.76 instead of 1.24 GB of RSS
 * (docs/fidelity.md).
 *
 * A sandbox holds no function code and no region's state (sandbox.ts); what a region gives an
 * environment (its variables, its ARN) goes with the init when the sandbox was started by another
 * runtime (`Sandbox.placementFor`). A reserve is shared only by runtimes whose sandboxes would be
 * started alike: same function, handler, memory and size. The last runtime to let go ends its
 * sandboxes.
 */
import type { EnvironmentSpec } from './environment.ts';
import { PrestartedRuntimes } from './prestarted.ts';
import type { Sandbox } from './sandbox.ts';

/** What a sandbox is started with, region and variables aside: runtimes share sandboxes only alike. */
export function sandboxKind(spec: EnvironmentSpec): string {
  const { functionName, handler, exportName } = spec.workerData;
  return [functionName, handler, exportName, spec.memoryMb].join('\n');
}

/** Starts one sandbox for the reserve; `lost` is called if it ends before an environment takes it. */
export type SandboxSpawner = (lost: () => void) => Sandbox;

interface Shared {
  /** Its kind and size: where acquire() finds it. */
  id: string;
  runtimes: PrestartedRuntimes;
  /** Every holder's way to start a sandbox; the latest holder's is used (the newest config's). */
  spawners: SandboxSpawner[];
}

export class SandboxReserve {
  private readonly byId = new Map<string, Shared>();
  private readonly byRuntimes = new Map<PrestartedRuntimes, Shared>();

  /**
   * The pre-started runtimes of sandboxes described by `key` (what they are started with), `size` of
   * them; one more holder when they exist already. Give `spawner` back with release().
   */
  acquire(key: string, size: number, spawner: SandboxSpawner): PrestartedRuntimes {
    const id = `${size}\n${key}`;
    const existing = this.byId.get(id);
    if (existing) {
      existing.spawners.push(spawner);
      return existing.runtimes;
    }
    const spawners = [spawner];
    const runtimes = new PrestartedRuntimes(size, (lost) => spawners[spawners.length - 1](lost));
    const shared = { id, runtimes, spawners };
    this.byId.set(id, shared);
    this.byRuntimes.set(runtimes, shared);
    return runtimes;
  }

  /**
   * A holder lets go; the last one ends the sandboxes nobody took (and may ask again: it gets the same
   * promise, which resolves once they have ended).
   */
  release(runtimes: PrestartedRuntimes | undefined, spawner: SandboxSpawner): Promise<void> {
    if (!runtimes) return Promise.resolve();
    const shared = this.byRuntimes.get(runtimes);
    if (shared) {
      const i = shared.spawners.indexOf(spawner);
      if (i !== -1) shared.spawners.splice(i, 1);
      if (shared.spawners.length > 0) return Promise.resolve();
      this.byId.delete(shared.id);
      this.byRuntimes.delete(runtimes);
    }
    return runtimes.close();
  }
}
