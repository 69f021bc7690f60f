/**
 * The Lambda runtime `gantry deploy` creates functions on. `gantry dev` runs handlers on the Node.js
 * that runs gantry itself, which may be older: the banner says both, so an API that exists only in the
 * newer Node is not a surprise after deploying.
 */
export const DEPLOYED_LAMBDA_RUNTIME = 'nodejs24.x';
