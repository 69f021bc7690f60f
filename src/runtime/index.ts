/** Lambda emulation: bundling handlers, execution environments on worker threads, logs as CloudWatch shows them. */

export { RuntimeBuildError, RuntimeStartError } from './errors.ts';
export { createRuntime, type Runtime } from './runtime.ts';
export { SandboxReserve } from './sandbox-reserve.ts';
export type * from './types.ts';
export { SourceWatcher } from './watcher.ts';
