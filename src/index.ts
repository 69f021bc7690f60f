// The public surface of `import ... from 'gantry'`: what an api.config.ts needs.
export { defineApi } from './config/index.ts';
export type * from './config/types.ts';
