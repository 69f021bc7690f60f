/** Fault injection on the request path (AWS FIS's Lambda actions and gantry's own) and experiments with verdicts. */
export { ACTIONS, type ActionId, type ActionSpec, isActionId, type ParameterSpec } from './actions.ts';
export { parseFaultDuration } from './duration.ts';
export { ChaosError } from './errors.ts';
export { checkExperiment, PHASES, type Phase, phaseWindows } from './experiment/plan.ts';
export { renderExperimentReport } from './experiment/report.ts';
export { type ExperimentHost, type RunExperimentOptions, runExperiment } from './experiment/run.ts';
export { type ExperimentResult, formatVerdict, type PhaseResult } from './experiment/verdict.ts';
export { describeFault } from './fault.ts';
export { MANUAL_HOLD, RegionHolds, type RegionOutages } from './region-holds.ts';
export { RegionalFaults } from './regional-faults.ts';
export {
  type Fault,
  type FaultEvent,
  FaultRegistry,
  type FaultRequest,
  type FaultSlots,
  type RegistryOptions,
} from './registry.ts';
