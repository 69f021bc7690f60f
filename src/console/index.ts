// The public surface of the console: the server `gantry dev` starts, its HTTP API types, and the
// client `gantry logs` / `gantry cost` use to read it from another process.
export type {
  ApiStatus,
  FaultView,
  FederationView,
  Overview,
  RouteRow,
  StatusSnapshot,
} from './api-types.ts';
export {
  ConsoleUnreachableError,
  fetchConsoleJson,
  fetchLogs,
  followLogs,
  formatLogEntry,
  type LogFilter,
  sendConsoleJson,
} from './client.ts';
export { createFederationConsole, type FederationConsole } from './federation.ts';
export {
  findConsole,
  findInstance,
  type InstanceState,
  instanceFields,
  instanceFile,
  lookupInstance,
  NoRunningInstanceError,
  writeInstance,
} from './instance.ts';
export { fetchRegionEvents, fetchRegions, fetchRegionsConsistency, setRegionStatus } from './region-client.ts';
export {
  RegionError,
  type RegionEvent,
  type RegionsControl,
  type RegionsView,
} from './regions.ts';
export { type ConsoleServerOptions, createConsoleServer } from './server.ts';
export { goldenSignals } from './signals.ts';
