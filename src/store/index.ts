export { consumedCapacity, type TableRequest } from './capacity.ts';
export { type Store, type StoreOptions, startStore } from './store.ts';
export { ensureTables, localClient, type TableSetup } from './tables.ts';
