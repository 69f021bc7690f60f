/** A fault or experiment that cannot run as written; the message names the field and what was expected. */
export class ChaosError extends Error {
  override name = 'ChaosError';
}
