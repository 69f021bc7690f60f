// The public surface of telemetry: createTelemetry and what its callers read.
export { AccessLogFormatError, compileAccessLogFormat, DEFAULT_ACCESS_LOG_FORMAT } from './access-log.ts';
export { type AlarmActions, alarmArn, alarmStateChangeEvent, formatAlarmLine, postWebhook } from './alarm-actions.ts';
export {
  type AlarmRule,
  type AlarmState,
  breaches,
  type Datapoint,
  type Evaluation,
  evaluateAlarm,
  evaluationRange,
} from './alarm-evaluation.ts';
export { type AlarmStatus, type AlarmTransition, alarmDimensions } from './alarms.ts';
export {
  type DashboardWidget,
  dashboardData,
  GOLDEN_SIGNALS_DASHBOARD,
  type WidgetData,
  type WidgetSeriesDefinition,
  widgetSeries,
} from './dashboard.ts';
export { PERCENTILE_RELATIVE_ERROR } from './histogram.ts';
export { compileFilter, FilterPatternError, structuredPayload } from './log-filter.ts';
export type { LogEntry, LogQuery, LogRecord, LogSource } from './log-store.ts';
export { MetricStore, seriesKey, validatePeriod } from './metric-store.ts';
export { API_GATEWAY, API_METRICS, DYNAMODB, LAMBDA, LAMBDA_METRICS, USAGE, USAGE_METRICS } from './names.ts';
export { PROMETHEUS_CONTENT_TYPE, type PromFamily, renderExposition, telemetryFamilies } from './prometheus.ts';
export { noopRecorder, type RequestRecorder, type RequestSample } from './recorder.ts';
export { DEFAULT_RETENTION, type Retention } from './series.ts';
export { isStatistic, MetricQueryError, parseStatistic } from './statistics.ts';
export {
  accessLogGroupName,
  createTelemetry,
  EVENTS_LOG_GROUP,
  type FunctionCounters,
  METERING_UNIT_BYTES,
  type Telemetry,
  type TelemetryOptions,
} from './telemetry.ts';
export type * from './types.ts';
