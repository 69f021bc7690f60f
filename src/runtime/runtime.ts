/**
 * The Lambda emulation `gantry dev` runs handlers on: bundles every function at start, routes each
 * invoke to its function's pool, rebuilds (on demand or on file changes) and stops cleanly.
 */
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.ts';
import { bundleBootstrap, bundleFunction, functionOutDir, pruneBundles } from './bundler.ts';
import { attachCodeCache } from './code-cache.ts';
import { RuntimeBuildError, RuntimeStartError } from './errors.ts';
import type { RuntimeFaults } from './faults.ts';
import { functionArn } from './log-format.ts';
import { FunctionPool, type PoolContext } from './pool.ts';
import { SandboxReserve } from './sandbox-reserve.ts';
import type { EnvironmentSnapshot, InvokeOptions, InvokeResult, Invoker, RuntimeObserver } from './types.ts';
import { SourceWatcher } from './watcher.ts';

export interface RuntimeOptions {
  observer?: RuntimeObserver;
  /** Where bundles go. @default join(config.dir, '.gantry', 'build') */
  buildDir?: string;
  /** @default config.regions.primary */
  region?: string;
  /** Extra environment variables for every function (e.g. AWS_ENDPOINT_URL_DYNAMODB of the local store). */
  environment?: Record<string, string>;
  /** Hot reload: rebuild a function when one of its source files changes. @default false */
  watch?: boolean;
  /**
   * Compile each function once and share V8's code with its environments (code-cache.ts); worth it
   * when more than one environment starts. The `GANTRY_CODE_CACHE=off` environment variable turns it
   * off (to compare, or to rule it out). @default true
   */
  codeCache?: boolean;
  /**
   * Keep sandboxes with a started runtime ready for cold starts (prestarted.ts,
   * `local.prestartedRuntimes`); worth it when environments start at once. @default true
   */
  prestartedRuntimes?: boolean;
  /**
   * Where those sandboxes come from: give the runtimes of one process the same reserve (a two-region
   * gantry dev's regions, a reload's successor) and they share them (sandbox-reserve.ts).
   * @default a reserve of this runtime's own
   */
  sandboxReserve?: SandboxReserve;
  /**
   * Runs as each message of an environment arrives (its answer among them), before it is handed on:
   * what the handler caused elsewhere is recorded first (the CLI reads the store's request units
   * here, store/thread/units-ring.ts). Unset, nothing runs.
   */
  onAnswer?: () => void;
}

export interface Runtime extends Invoker {
  /**
   * Bundles every function and initialises their provisioned environments; rejects with a
   * RuntimeStartError listing every function that cannot run.
   */
  start(): Promise<void>;
  /**
   * Re-bundles one function (or all). New invocations use the new code; idle environments of the old
   * code retire now, busy ones after their invocation. Rejects with a RuntimeBuildError when a build
   * fails, and the last good bundle keeps serving.
   */
  rebuild(functionName?: string): Promise<void>;
  environments(): EnvironmentSnapshot[];
  /**
   * Who decides chaos faults per invocation (src/chaos, through the CLI's wiring). Set it only while a
   * fault exists and back to undefined after: with none set, invocations pay nothing for chaos.
   */
  faults: RuntimeFaults | undefined;
  /** Stops rebuilding on file changes (a successor runtime watches the same files); invocations go on. */
  unwatch(): void;
  /** Waits for in-flight invocations (at most the longest function timeout + 1 s), then ends every worker. */
  stop(): Promise<void>;
}

export function createRuntime(config: ResolvedConfig, options: RuntimeOptions = {}): Runtime {
  return new LambdaRuntime(config, options);
}

class LambdaRuntime implements Runtime {
  private readonly buildDir: string;
  private readonly observer: RuntimeObserver;
  private readonly ctx: PoolContext;
  private readonly pools = new Map<string, FunctionPool>();
  private readonly builds = new Map<string, Promise<unknown>>();
  private watcher: SourceWatcher | undefined;
  private stopping: Promise<void> | undefined;
  private drained: (() => void) | undefined;
  private readonly codeCache: boolean;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly options: RuntimeOptions,
  ) {
    this.buildDir = options.buildDir ?? join(config.dir, '.gantry', 'build');
    this.codeCache = (options.codeCache ?? true) && process.env.GANTRY_CODE_CACHE !== 'off';
    this.observer = options.observer ?? {};
    this.ctx = {
      config,
      observer: this.observer,
      region: options.region ?? config.regions.primary,
      extraEnv: options.environment ?? {},
      bootstrapFile: '',
      account: { inFlight: 0, limit: config.local.accountConcurrency },
      onSettled: () => {
        if (this.ctx.account.inFlight === 0) this.drained?.();
      },
      faults: undefined,
      reserve: (options.prestartedRuntimes ?? true) ? (options.sandboxReserve ?? new SandboxReserve()) : undefined,
      onAnswer: options.onAnswer,
    };
    for (const fn of Object.values(config.functions)) this.pools.set(fn.name, new FunctionPool(fn, this.ctx));
  }

  async start(): Promise<void> {
    const pools = [...this.pools.values()];
    const [bootstrapFile, results] = await Promise.all([
      bundleBootstrap(this.buildDir),
      Promise.all(pools.map((pool) => bundleFunction(pool.fn, this.config.dir, this.buildDir, this.codeCache))),
    ]);
    this.ctx.bootstrapFile = bootstrapFile;
    const problems: string[] = [];
    results.forEach((result, i) => {
      if (result.ok) pools[i].bundle = result.bundle;
      else {
        pools[i].problem = result.problem;
        problems.push(result.problem);
      }
    });
    if (problems.length) throw new RuntimeStartError(problems);
    await Promise.all(
      results.map(async (r, i) => {
        if (!r.ok) return;
        if (this.codeCache) await attachCodeCache(r.bundle);
        await pruneBundles(functionOutDir(this.buildDir, pools[i].fn.name), r.bundle);
      }),
    );
    // Provisioned concurrency is allocated before the first request, as Lambda's is before traffic;
    // then the runtimes on-demand cold starts will take (prestarted.ts).
    await Promise.all(pools.map((pool) => pool.provision()));
    await Promise.all(pools.map((pool) => pool.prestart()));
    if (this.options.watch) {
      const watcher = new SourceWatcher((name) => this.reload(name));
      results.forEach((r, i) => {
        if (r.ok) watcher.update(pools[i].fn.name, r.bundle.inputs);
      });
      this.watcher = watcher;
    }
  }

  invoke(functionName: string, event: string, options?: InvokeOptions): Promise<InvokeResult> {
    const pool = this.pools.get(functionName);
    if (pool) return pool.invoke(event, options);
    return Promise.resolve(this.notFound(functionName));
  }

  invokeThen(
    functionName: string,
    event: string,
    options: InvokeOptions | undefined,
    done: (result: InvokeResult) => void,
  ): void {
    const pool = this.pools.get(functionName);
    if (pool) pool.invokeThen(event, options, done);
    else done(this.notFound(functionName));
  }

  private notFound(functionName: string): InvokeResult {
    const arn = functionArn(this.ctx.region, this.config.account, functionName);
    return {
      outcome: {
        status: 'init-error',
        errorType: 'ResourceNotFoundException',
        errorMessage: `Function not found: ${arn}`,
      },
    };
  }

  async rebuild(functionName?: string): Promise<void> {
    if (functionName !== undefined && !this.pools.has(functionName)) {
      const known = [...this.pools.keys()].join(', ') || 'none';
      throw new Error(`rebuild: unknown function "${functionName}" (known: ${known})`);
    }
    const names = functionName === undefined ? [...this.pools.keys()] : [functionName];
    const problems = (await Promise.all(names.map((name) => this.build(name)))).filter((p) => p !== undefined);
    if (problems.length) throw new RuntimeBuildError(problems);
  }

  get faults(): RuntimeFaults | undefined {
    return this.ctx.faults;
  }

  set faults(faults: RuntimeFaults | undefined) {
    this.ctx.faults = faults;
  }

  environments(): EnvironmentSnapshot[] {
    const out: EnvironmentSnapshot[] = [];
    for (const pool of this.pools.values()) pool.snapshot(out);
    return out;
  }

  unwatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.unwatch();
    for (const pool of this.pools.values()) pool.close();
    if (this.ctx.account.inFlight > 0) {
      let longest = 0;
      for (const pool of this.pools.values()) longest = Math.max(longest, pool.fn.timeoutSeconds);
      let bound: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        bound = setTimeout(resolve, longest * 1000 + 1000);
      });
      clearTimeout(bound);
    }
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
    await Promise.all(this.builds.values());
  }

  /** One build at a time per function; resolves with the problem line when it failed. */
  private build(name: string): Promise<string | undefined> {
    const previous = this.builds.get(name) ?? Promise.resolve();
    const next = previous.then(() => this.buildNow(name));
    this.builds.set(name, next);
    return next;
  }

  private async buildNow(name: string): Promise<string | undefined> {
    const pool = this.pools.get(name)!;
    let result: Awaited<ReturnType<typeof bundleFunction>>;
    try {
      result = await bundleFunction(pool.fn, this.config.dir, this.buildDir, this.codeCache);
    } catch (error) {
      return `function "${name}" (handler "${pool.fn.handler}"): could not write its bundle: ${(error as Error).message}`;
    }
    if (this.stopping) return undefined;
    if (!result.ok) {
      // Keep watching the files that failed, so fixing them triggers the next build.
      this.watcher?.update(name, [...new Set([...(pool.bundle?.inputs ?? []), ...result.inputs])]);
      return result.problem;
    }
    this.watcher?.update(name, result.bundle.inputs);
    if (this.codeCache) await attachCodeCache(result.bundle);
    if (this.stopping) return undefined;
    pool.setBundle(result.bundle);
    // The new code's provisioned environments start now; until they are ready, invocations spill over.
    void pool.provision();
    return undefined;
  }

  private reload(name: string): void {
    void this.build(name).then((problem) => {
      if (!this.stopping) this.observer.onReload?.(name, problem ? new RuntimeBuildError([problem]) : undefined);
    });
  }
}
