/** Fault injection on the request path (AWS FIS's Lambda actions and gantry's own) and experiments with verdicts. */
export { ACTIONS, type ActionId, type ActionSpec, isActionId, type ParameterSpec } from './actions.ts';
export { parseFaultDuration } from './duration.ts';
export { ChaosError } from './errors.ts';
export {
  describeFault,
  type Fault,
  type FaultEvent,
  FaultRegistry,
  type FaultRequest,
  type FaultSlots,
  type RegistryOptions,
} from './registry.ts';
