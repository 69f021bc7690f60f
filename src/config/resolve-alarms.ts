/** `alarms`: CloudWatch's defaults applied; an API with no `alarms` gets DEFAULT_ALARMS. */
import { ALARM_DEFAULTS, DEFAULT_ALARMS } from '../aws/defaults.ts';
import { LAMBDA_NAMESPACE } from '../aws/metrics.ts';
import { listKnown } from './errors.ts';
import type { ResolvedAlarm, ResolvedFunction } from './resolved.ts';
import type { ApiConfig } from './types.ts';

export function resolveAlarms(
  input: ApiConfig['alarms'],
  functions: Record<string, ResolvedFunction>,
  problems: string[],
): Record<string, ResolvedAlarm> {
  const alarms: Record<string, ResolvedAlarm> = {};
  for (const [alarmName, alarm] of Object.entries(input ?? DEFAULT_ALARMS)) {
    const periods = 'periods' in alarm && alarm.periods !== undefined ? alarm.periods : ALARM_DEFAULTS.periods;
    const full = alarm as NonNullable<ApiConfig['alarms']>[string];
    if (full.function !== undefined && !functions[full.function]) {
      problems.push(
        `alarms.${alarmName}.function: unknown function "${full.function}" (known: ${listKnown(Object.keys(functions))})`,
      );
    }
    const namespace = full.namespace ?? (full.function ? LAMBDA_NAMESPACE : ALARM_DEFAULTS.namespace);
    const custom = !namespace.startsWith('AWS/');
    if (full.dimensions !== undefined && !custom) {
      problems.push(
        `alarms.${alarmName}.dimensions: only for a custom namespace; ${namespace} alarms take their dimensions from the API${namespace === LAMBDA_NAMESPACE ? ' or `function`' : ''}`,
      );
    }
    if (full.function !== undefined && custom) {
      problems.push(
        `alarms.${alarmName}.function: not for a custom namespace ("${namespace}"); name the metric's dimensions in \`dimensions\``,
      );
    }
    const datapointsToAlarm = full.datapointsToAlarm ?? periods;
    if (datapointsToAlarm > periods) {
      problems.push(`alarms.${alarmName}.datapointsToAlarm: ${datapointsToAlarm} is more than periods (${periods})`);
    }
    alarms[alarmName] = {
      name: alarmName,
      metric: full.metric ?? alarmName,
      // An alarm about one function watches Lambda's metrics unless it says otherwise.
      namespace,
      dimensions: full.dimensions ?? {},
      statistic: full.statistic ?? ALARM_DEFAULTS.statistic,
      threshold: full.threshold,
      comparison: full.comparison ?? ALARM_DEFAULTS.comparison,
      periods,
      datapointsToAlarm,
      periodSeconds: full.periodSeconds ?? ALARM_DEFAULTS.periodSeconds,
      treatMissingData: full.treatMissingData ?? ALARM_DEFAULTS.treatMissingData,
      function: full.function,
      description: full.description,
    };
  }
  return alarms;
}
