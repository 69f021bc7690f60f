/**
 * createTelemetry: the recorder the gateway and runtime write to, and the metrics, alarms and logs
 * the console, the cost meter and `gantry logs` read. One tick per second samples concurrency gauges,
 * evaluates alarms and runs tick listeners (the budget check); tests drive ticks with their own clock.
 */
import type { ResolvedConfig } from '../config/index.ts';
import { compileAccessLogFormat, DEFAULT_ACCESS_LOG_FORMAT } from './access-log.ts';
import { type AlarmActions, alarmStateChangeEvent, formatAlarmLine, postWebhook } from './alarm-actions.ts';
import { AlarmManager } from './alarms.ts';
import { CustomMetrics } from './custom-metrics.ts';
import { LogStore } from './log-store.ts';
import { MetricStore } from './metric-store.ts';
import { DYNAMODB } from './names.ts';
import type { RequestRecorder, RequestSample } from './recorder.ts';
import { ApiSeries, FunctionSeries, UsageSeries } from './recording.ts';
import { DEFAULT_RETENTION, type Retention } from './series.ts';
import type {
  FunctionLogSample,
  InvocationSample,
  MetricDataResult,
  MetricQuery,
  TableRequestSample,
  ThrottleReason,
} from './types.ts';

export interface TelemetryOptions {
  /** Epoch ms. @default Date.now */
  clock?: () => number;
  /** Milliseconds between ticks; `false` starts no timer (call `tick()` yourself). @default 1000 */
  tickIntervalMs?: number | false;
  /** How long metric slots are kept. @default { seconds: 600, minutes: 180 } */
  retention?: Partial<Retention>;
  /** Log records kept per log group. @default 5000 */
  logCapacity?: number;
  /** The stage's access log format ($context variables). @default AWS's JSON example */
  accessLogFormat?: string;
  /** Where alarm transitions go besides the console and the `gantry/events` log group. */
  alarmActions?: AlarmActions;
}

export interface FunctionCounters {
  invocations: number;
  coldStarts: number;
  throttles: number;
  errors: number;
  alive: number;
  busy: number;
  /** With provisioned concurrency: invocations its environments served, and those that spilled over. */
  provisionedInvocations?: number;
  spilloverInvocations?: number;
}

/** Log group of the stage's access log. */
export function accessLogGroupName(config: ResolvedConfig): string {
  return `/aws/apigateway/${config.name}/access-logs`;
}

/** Log group of alarm transitions, budget alerts and other gantry notices. */
export const EVENTS_LOG_GROUP = 'gantry/events';

/** API Gateway meters HTTP API requests in 512 KB increments. */
export const METERING_UNIT_BYTES = 512 * 1024;

const FAILED = new Set(['function-error', 'timeout', 'runtime-crash', 'response-too-large', 'init-error']);

export function createTelemetry(initialConfig: ResolvedConfig, options: TelemetryOptions = {}) {
  // Replaced by reconfigure() on a config reload; everything recorded so far stays.
  let config = initialConfig;
  const clock = options.clock ?? Date.now;
  const startedAt = clock();
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const metrics = new MetricStore(retention);
  const logs = new LogStore(options.logCapacity);
  const alarms = new AlarmManager(config, metrics, startedAt);
  const compileAccessLine = (c: ResolvedConfig) =>
    compileAccessLogFormat(options.accessLogFormat ?? DEFAULT_ACCESS_LOG_FORMAT, {
      accountId: c.account,
      domainName: `${c.apiId}.execute-api.${c.regions.primary}.amazonaws.com`,
    });
  let accessGroup = accessLogGroupName(config);
  let formatAccessLine = compileAccessLine(config);

  let apiDimensions = { ApiId: config.apiId, Stage: config.stage.name };
  // One stage per `gantry dev`: the ApiId-only series holds the same data as ApiId+Stage.
  let api = new ApiSeries(metrics, apiDimensions, [{ ApiId: config.apiId }]);
  let routes = new Map<string, ApiSeries>();
  const routeSeries = (routeKey: string) => {
    let series = routes.get(routeKey);
    if (!series) {
      series = new ApiSeries(metrics, { ...apiDimensions, Route: routeKey }, [], true);
      routes.set(routeKey, series);
    }
    return series;
  };
  for (const route of config.routes) routeSeries(route.routeKey);

  const allFunctions = new FunctionSeries(metrics, {});
  const functions = new Map<string, FunctionSeries>();
  const functionSeries = (name: string) => {
    let series = functions.get(name);
    if (!series) {
      series = new FunctionSeries(metrics, { FunctionName: name }, config.functions[name]?.provisionedConcurrency);
      functions.set(name, series);
    }
    return series;
  };
  for (const name of Object.keys(config.functions)) functionSeries(name);

  const usage = new UsageSeries(metrics);

  const tickListeners = new Set<(now: number) => void>();

  function appendSystemLine(message: string): void {
    logs.append('system', {
      logGroupName: EVENTS_LOG_GROUP,
      logStreamName: 'gantry',
      timestamp: clock(),
      message,
    });
  }

  const customMetrics = new CustomMetrics(metrics, appendSystemLine);

  alarms.onTransition((transition) => {
    const line = formatAlarmLine(transition);
    appendSystemLine(line);
    options.alarmActions?.log?.(line);
    for (const url of options.alarmActions?.webhookUrls ?? []) {
      void postWebhook(url, alarmStateChangeEvent(config, transition)).then((problem) => {
        if (!problem) return;
        appendSystemLine(problem);
        options.alarmActions?.log?.(problem);
      });
    }
  });

  const telemetry = {
    /** The config being served (a reload replaces it). */
    get config() {
      return config;
    },
    clock,
    startedAt,
    metrics,
    alarms,
    logs,
    get accessLogGroupName() {
      return accessGroup;
    },
    /** Metrics the functions published in Embedded Metric Format (Powertools Metrics, or any code). */
    customMetrics,

    /** Once per request, when the response is sent (the gateway's RequestRecorder). */
    recordRequest(sample: RequestSample): void {
      const now = clock();
      const second = Math.floor(now / 1000);
      const bytes = sample.requestLength + sample.responseLength;
      api.record(second, sample, bytes);
      if (sample.routeKey !== '-') routeSeries(sample.routeKey).record(second, sample, bytes);
      usage.meteredRequests.add(second, bytes <= METERING_UNIT_BYTES ? 1 : Math.ceil(bytes / METERING_UNIT_BYTES));
      const line = formatAccessLine(sample);
      usage.logBytes.add(second, Buffer.byteLength(line));
      logs.append('access', {
        logGroupName: accessGroup,
        logStreamName: config.stage.name,
        timestamp: now,
        message: line,
        requestId: sample.requestId,
      });
    },

    /** RuntimeObserver.onInvocation: one REPORT's worth of numbers. */
    recordInvocation(report: InvocationSample): void {
      if (report.outcome === 'throttled') {
        telemetry.recordThrottle(report.functionName, 'reserved-concurrency');
        return;
      }
      const second = Math.floor(clock() / 1000);
      const failed = FAILED.has(report.outcome);
      functionSeries(report.functionName).recordInvocation(second, report.durationMs, failed, report.coldStart);
      allFunctions.recordInvocation(second, report.durationMs, failed, report.coldStart);
      functionSeries(report.functionName).provisioned?.recordInvocation(
        second,
        report.initializationType === 'provisioned-concurrency',
      );
      const architecture = config.functions[report.functionName]?.architecture ?? 'arm64';
      const target = usage.lambda[architecture];
      target.requests.add(second, 1);
      const gbSeconds = (report.billedDurationMs / 1000) * (report.memorySizeMb / 1024);
      if (report.initializationType === 'provisioned-concurrency') target.provisionedGbSeconds.add(second, gbSeconds);
      else target.gbSeconds.add(second, gbSeconds);
    },

    /** RuntimeObserver.onThrottle: an invoke refused for lack of concurrency. */
    recordThrottle(functionName: string, _reason: ThrottleReason): void {
      const second = Math.floor(clock() / 1000);
      functionSeries(functionName).throttles.add(second, 1);
      allFunctions.throttles.add(second, 1);
    },

    /**
     * RuntimeObserver.onEnvironmentChange: environments alive and busy for a function (and, with
     * provisioned concurrency, how many busy ones are provisioned).
     */
    recordConcurrency(functionName: string, alive: number, busy: number, provisionedBusy?: number): void {
      const series = functionSeries(functionName);
      series.alive = alive;
      series.busy = busy;
      series.changed = true;
      const second = Math.floor(clock() / 1000);
      series.concurrentExecutions.add(second, busy);
      if (provisionedBusy !== undefined) series.provisioned?.recordBusy(second, provisionedBusy);
      allFunctions.concurrentExecutions.add(second, totalBusy());
    },

    /** RuntimeObserver.onLog: one line of `/aws/lambda/{name}`. */
    recordFunctionLog(event: FunctionLogSample): void {
      // The event itself is stored: a START/END/REPORT line keeps its text unbuilt until read.
      logs.append('function', event);
      const bytes = event.messageBytes ?? Buffer.byteLength(event.message);
      const second = Math.floor(clock() / 1000);
      usage.logBytes.add(second, bytes);
      customMetrics.record(event, second);
    },

    /** One DynamoDB request's consumed capacity (AWS/DynamoDB metrics and the cost model). */
    recordTableRequest(sample: TableRequestSample): void {
      const second = Math.floor(clock() / 1000);
      const dimensions = { TableName: sample.tableName };
      if (sample.readUnits > 0) {
        metrics
          .series({ namespace: DYNAMODB, metricName: 'ConsumedReadCapacityUnits', dimensions })
          .add(second, sample.readUnits);
        usage.readUnits.add(second, sample.readUnits);
      }
      if (sample.writeUnits > 0) {
        metrics
          .series({ namespace: DYNAMODB, metricName: 'ConsumedWriteCapacityUnits', dimensions })
          .add(second, sample.writeUnits);
        usage.writeUnits.add(second, sample.writeUnits);
      }
    },

    /** AWS/DynamoDB ReplicationLatency of one write applied in another region (recorded in the source's). */
    recordReplicationLatency(tableName: string, receivingRegion: string, latencyMs: number): void {
      const second = Math.floor(clock() / 1000);
      metrics
        .series({
          namespace: DYNAMODB,
          metricName: 'ReplicationLatency',
          dimensions: { TableName: tableName, ReceivingRegion: receivingRegion },
        })
        .add(second, latencyMs);
    },

    getMetricData(query: MetricQuery): MetricDataResult {
      return metrics.getMetricData(query);
    },

    /** Cumulative counters and current environments per function (configured ones first). */
    functionCounters(): Record<string, FunctionCounters> {
      const out: Record<string, FunctionCounters> = {};
      for (const [name, s] of functions) {
        out[name] = {
          invocations: s.invocations.totalCount,
          coldStarts: s.coldStarts.totalCount,
          throttles: s.throttles.totalCount,
          errors: s.errors.totalSum,
          alive: s.alive,
          busy: s.busy,
        };
        if (s.provisioned) {
          out[name].provisionedInvocations = s.provisioned.invocations.totalSum;
          out[name].spilloverInvocations = s.provisioned.spillover.totalSum;
        }
      }
      return out;
    },

    /** Route keys with a series (configured routes and any other recorded). */
    routeKeys(): string[] {
      return [...routes.keys()];
    },

    /** A line in the `gantry/events` log group (budget alerts and other notices). */
    log(message: string): void {
      appendSystemLine(message);
    },

    onTick(listener: (now: number) => void): () => void {
      tickListeners.add(listener);
      return () => tickListeners.delete(listener);
    },

    /** Samples concurrency gauges, evaluates alarms, then runs tick listeners. */
    tick(): void {
      const now = clock();
      const second = Math.floor(now / 1000);
      let anyBusy = false;
      for (const series of functions.values()) {
        // A gauge sample every second while busy, and one more when it drops to 0.
        if (series.busy > 0 || series.changed) series.concurrentExecutions.add(second, series.busy);
        const provisioned = series.provisioned;
        if (provisioned && (provisioned.busy > 0 || series.changed)) provisioned.recordBusy(second, provisioned.busy);
        if (series.busy > 0 || series.changed) anyBusy = true;
        series.changed = false;
      }
      if (anyBusy) allFunctions.concurrentExecutions.add(second, totalBusy());
      alarms.evaluate(now);
      for (const listener of tickListeners) {
        try {
          listener(now);
        } catch {
          // One failing listener must not stop the others.
        }
      }
    },

    /**
     * A reloaded config: metrics, logs, alarm states and history stay (as a redeployment keeps
     * CloudWatch's); series for new routes and functions appear, alarms follow the new definitions.
     * A new API name or stage is another API: its metrics start under its own dimensions.
     */
    reconfigure(next: ResolvedConfig): void {
      const sameApi = next.apiId === config.apiId && next.stage.name === config.stage.name;
      config = next;
      accessGroup = accessLogGroupName(config);
      formatAccessLine = compileAccessLine(config);
      if (!sameApi) {
        apiDimensions = { ApiId: config.apiId, Stage: config.stage.name };
        api = new ApiSeries(metrics, apiDimensions, [{ ApiId: config.apiId }]);
        routes = new Map();
      }
      for (const route of config.routes) routeSeries(route.routeKey);
      for (const name of Object.keys(config.functions)) functionSeries(name);
      alarms.reconfigure(config, clock());
    },

    close(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
      tickListeners.clear();
    },
  };
  const recorder: RequestRecorder = telemetry;
  void recorder;

  function totalBusy(): number {
    let busy = 0;
    for (const series of functions.values()) busy += series.busy;
    return busy;
  }

  const interval = options.tickIntervalMs ?? 1000;
  let timer: NodeJS.Timeout | undefined =
    interval === false ? undefined : setInterval(() => telemetry.tick(), interval);
  timer?.unref();
  return telemetry;
}

export type Telemetry = ReturnType<typeof createTelemetry>;
