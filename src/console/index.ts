// The public surface of the console: the server `gantry dev` starts, its HTTP API types, and the
// client `gantry logs` / `gantry cost` use to read it from another process.
export type {
  ApiStatus,
  ConsoleEvent,
  FaultView,
  GoldenSignals,
  Overview,
  RouteRow,
  StatusSnapshot,
} from './api-types.ts';
export { AssetBuildError } from './assets.ts';
export type { FaultControl } from './chaos.ts';
export {
  ConsoleUnreachableError,
  DEFAULT_CONSOLE_PORT,
  fetchConsoleJson,
  fetchLogs,
  followLogs,
  formatLogEntry,
  type LogFilter,
  sendConsoleJson,
} from './client.ts';
export {
  findConsole,
  findInstance,
  type InstancePorts,
  type InstanceState,
  instanceFields,
  instanceFile,
  lookupInstance,
  NoRunningInstanceError,
  type RunningInstance,
  writeInstance,
} from './instance.ts';
export { type ConsoleServer, type ConsoleServerOptions, createConsoleServer } from './server.ts';
export { buildStatus, goldenSignals, routeTable } from './signals.ts';
