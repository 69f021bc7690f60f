// The public surface of telemetry: createTelemetry and what its callers read.
export { AccessLogFormatError, compileAccessLogFormat, DEFAULT_ACCESS_LOG_FORMAT } from './access-log.ts';
export { alarmStateChangeEvent } from './alarm-actions.ts';
export { type AlarmState, evaluateAlarm } from './alarm-evaluation.ts';
export type { AlarmStatus, AlarmTransition } from './alarms.ts';
export { dashboardData, type WidgetData } from './dashboard.ts';
export { PERCENTILE_RELATIVE_ERROR } from './histogram.ts';
export { compileFilter, FilterPatternError } from './log-filter.ts';
export type { LogEntry, LogQuery, LogSource } from './log-store.ts';
export { MetricStore } from './metric-store.ts';
export { GANTRY_API, STATUS_METRICS, USAGE, USAGE_METRICS } from './names.ts';
export { PROMETHEUS_CONTENT_TYPE, type PromFamily, renderExposition, telemetryFamilies } from './prometheus.ts';
export type { RequestSample } from './recorder.ts';
export { MetricQueryError } from './statistics.ts';
export { createTelemetry, EVENTS_LOG_GROUP, type Telemetry, type TelemetryOptions } from './telemetry.ts';
export type * from './types.ts';
