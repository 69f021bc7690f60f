/** A config that is valid locally but cannot be deployed as written; the message says what to change. */
export class InfraError extends Error {
  readonly code = 'GANTRY_INFRA_INVALID';
  override name = 'InfraError';
}
