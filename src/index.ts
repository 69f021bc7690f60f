// The public surface of `import ... from 'gantry'`: what an api.config.ts needs.
export { defineApi } from './config/index.ts';
export type * from './config/types.ts';
/** An access token from gantry dev's local issuer, as `gantry token` prints it (for load scenarios). */
export { type LocalTokenOptions, localToken } from './identity/index.ts';
