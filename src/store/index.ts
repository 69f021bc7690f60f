export { tableAccessPolicy } from './access.ts';
export { consumedCapacity, type TableRequest } from './capacity.ts';
export { DataDirInUseError } from './dynalite-store.ts';
export { createGlobalTables, type GlobalTables, type ReplicationSample } from './replication/global-tables.ts';
export { type Store, startStore } from './store.ts';
export { localClient, type TableSetup } from './tables.ts';
export { StoreThread, type ThreadGlobalTables } from './thread/host.ts';
