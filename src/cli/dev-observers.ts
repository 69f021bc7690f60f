/**
 * How gantry dev's parts see each other: telemetry observes the runtime before the terminal does,
 * the gateway's samples reach telemetry (and a test's recorder), and the console counts environments.
 */
import type { StatusSnapshot } from '../console/index.ts';
import type { Runtime } from '../runtime/index.ts';
import type { RuntimeObserver } from '../runtime/types.ts';
import type { Telemetry } from '../telemetry/index.ts';
import type { RequestRecorder } from '../telemetry/recorder.ts';

/** What `/api/status` needs of the runtime: environments per function, counted by state. */
export function environmentsOf(runtime: Runtime): NonNullable<StatusSnapshot['environments']> {
  const out: NonNullable<StatusSnapshot['environments']> = {};
  for (const env of runtime.environments()) {
    out[env.functionName] ??= { alive: 0, busy: 0, idle: 0 };
    const slot = out[env.functionName];
    slot.alive++;
    if (env.state === 'idle') slot.idle++;
    else slot.busy++;
  }
  return out;
}

/** Telemetry sees everything first; the caller's observer (the terminal) after. */
export function observe(telemetry: Telemetry | undefined, outer: RuntimeObserver = {}): RuntimeObserver {
  if (!telemetry) return outer;
  return {
    onLog: (event) => {
      telemetry.recordFunctionLog(event);
      outer.onLog?.(event);
    },
    onInvocation: (report) => {
      telemetry.recordInvocation(report);
      outer.onInvocation?.(report);
    },
    onThrottle: (functionName, reason) => {
      telemetry.recordThrottle(functionName, reason);
      outer.onThrottle?.(functionName, reason);
    },
    onEnvironmentChange: (functionName, alive, busy, provisionedBusy) => {
      telemetry.recordConcurrency(functionName, alive, busy, provisionedBusy);
      outer.onEnvironmentChange?.(functionName, alive, busy, provisionedBusy);
    },
    onProvisioned: outer.onProvisioned,
    onReload: outer.onReload,
    onFrozen: outer.onFrozen,
    onCallbackUsed: outer.onCallbackUsed,
  };
}

export function recorderFor(telemetry: Telemetry | undefined, onRequest?: RequestRecorder['recordRequest']) {
  if (!onRequest) return telemetry;
  return {
    recordRequest(sample: Parameters<RequestRecorder['recordRequest']>[0]) {
      onRequest(sample);
      telemetry?.recordRequest(sample);
    },
  };
}
