export { consumedCapacity, type TableRequest } from './capacity.ts';
export type { StoreFault, StoreFaultError, StoreFaults } from './faults.ts';
export type { ItemChange, Key } from './replication/changes.ts';
export {
  createGlobalTables,
  type GlobalTables,
  type ReplicaOptions,
  type ReplicaStatus,
  type ReplicationSample,
} from './replication/global-tables.ts';
export { type ReplicaPort, type Store, type StoreOptions, startStore } from './store.ts';
export { ensureTables, localClient, type TableSetup } from './tables.ts';
