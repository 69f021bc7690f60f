/**
 * Amazon API Gateway HTTP API emulation: stages, routes, CORS, throttling, Lambda proxy integrations
 * (payload 2.0 and 1.0), HTTP proxy integrations and API Gateway's own error answers.
 */

export { answerClientError, createGateway, type Gateway, type GatewayOptions, LISTENER_TIMEOUTS } from './server.ts';
export { unenforcedFeatures } from './unenforced.ts';
