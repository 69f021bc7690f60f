/**
 * The per-dimension-set groups of series the recorder writes on the hot path. Each group is built
 * once (per route, per function) and then written with plain method calls: no lookups by string
 * and no allocation per request.
 */
import type { MetricStore } from './metric-store.ts';
import { API_GATEWAY, GANTRY_API, LAMBDA, STATUS_METRICS, USAGE, USAGE_METRICS } from './names.ts';
import type { RequestSample } from './recorder.ts';
import type { Series } from './series.ts';
import type { Dimensions } from './types.ts';

export class ApiSeries {
  readonly count: Series;
  readonly clientErrors: Series;
  readonly serverErrors: Series;
  readonly latency: Series;
  readonly integrationLatency: Series;
  readonly dataProcessed: Series;
  /** 401 and 403 answers, kept for routes (the console's route table): written only when one is sent. */
  private readonly refusals: { unauthorized: Series; forbidden: Series } | undefined;

  constructor(store: MetricStore, dimensions: Dimensions, aliases: Dimensions[] = [], countRefusals = false) {
    const make = (metricName: string) => store.series({ namespace: API_GATEWAY, metricName, dimensions }, aliases);
    this.count = make('Count');
    this.clientErrors = make('4xx');
    this.serverErrors = make('5xx');
    this.latency = make('Latency');
    this.integrationLatency = make('IntegrationLatency');
    this.dataProcessed = make('DataProcessed');
    const own = (metricName: string) => store.series({ namespace: GANTRY_API, metricName, dimensions });
    this.refusals = countRefusals
      ? { unauthorized: own(STATUS_METRICS.unauthorized), forbidden: own(STATUS_METRICS.forbidden) }
      : undefined;
  }

  // API Gateway publishes 4xx and 5xx as 0 or 1 per request, so Average is the error rate.
  record(second: number, sample: RequestSample, bytes: number): void {
    const status = sample.status;
    this.count.add(second, 1);
    this.clientErrors.add(second, status >= 400 && status < 500 ? 1 : 0);
    this.serverErrors.add(second, status >= 500 && status < 600 ? 1 : 0);
    this.latency.add(second, sample.latencyMs);
    if (sample.integrationLatencyMs !== undefined) this.integrationLatency.add(second, sample.integrationLatencyMs);
    this.dataProcessed.add(second, bytes);
    if (status === 401) this.refusals?.unauthorized.add(second, 1);
    else if (status === 403) this.refusals?.forbidden.add(second, 1);
  }
}

export class FunctionSeries {
  readonly invocations: Series;
  readonly errors: Series;
  readonly throttles: Series;
  readonly duration: Series;
  readonly concurrentExecutions: Series;
  readonly coldStarts: Series;
  alive = 0;
  busy = 0;
  /** Concurrency changed since the last tick: the tick writes a gauge sample. */
  changed = false;
  /** Only for a function with provisioned concurrency: Lambda publishes these for those alone. */
  readonly provisioned: ProvisionedSeries | undefined;

  constructor(store: MetricStore, dimensions: Dimensions, provisionedConcurrency = 0) {
    const make = (metricName: string) => store.series({ namespace: LAMBDA, metricName, dimensions });
    this.invocations = make('Invocations');
    this.errors = make('Errors');
    this.throttles = make('Throttles');
    this.duration = make('Duration');
    this.concurrentExecutions = make('ConcurrentExecutions');
    this.coldStarts = make('ColdStarts');
    if (provisionedConcurrency > 0) this.provisioned = new ProvisionedSeries(store, dimensions, provisionedConcurrency);
  }

  recordInvocation(second: number, durationMs: number, failed: boolean, coldStart: boolean): void {
    this.invocations.add(second, 1);
    this.errors.add(second, failed ? 1 : 0);
    this.duration.add(second, durationMs);
    // Published only on a cold start, like Powertools' ColdStart metric: Sum counts them.
    if (coldStart) this.coldStarts.add(second, 1);
  }
}

/**
 * Lambda's provisioned concurrency metrics of one function: invocations served by provisioned
 * environments and those that spilled over (Sum; together they are Invocations), provisioned
 * environments busy (Maximum) and that over the allocation (Maximum; 0.5 is half in use).
 */
export class ProvisionedSeries {
  readonly executions: Series;
  readonly invocations: Series;
  readonly spillover: Series;
  readonly utilization: Series;
  busy = 0;

  constructor(
    store: MetricStore,
    dimensions: Dimensions,
    readonly allocated: number,
  ) {
    const make = (metricName: string) => store.series({ namespace: LAMBDA, metricName, dimensions });
    this.executions = make('ProvisionedConcurrentExecutions');
    this.invocations = make('ProvisionedConcurrencyInvocations');
    this.spillover = make('ProvisionedConcurrencySpilloverInvocations');
    this.utilization = make('ProvisionedConcurrencyUtilization');
  }

  recordInvocation(second: number, provisioned: boolean): void {
    this.invocations.add(second, provisioned ? 1 : 0);
    this.spillover.add(second, provisioned ? 0 : 1);
  }

  recordBusy(second: number, busy: number): void {
    this.busy = busy;
    this.executions.add(second, busy);
    this.utilization.add(second, busy / this.allocated);
  }
}

/** The billable quantities the cost model reads (namespace Gantry/Usage). */
export class UsageSeries {
  readonly meteredRequests: Series;
  readonly logBytes: Series;
  readonly lambda: Record<'arm64' | 'x86_64', { requests: Series; gbSeconds: Series; provisionedGbSeconds: Series }>;
  readonly readUnits: Series;
  readonly writeUnits: Series;

  constructor(store: MetricStore) {
    const make = (metricName: string, dimensions: Dimensions = {}) =>
      store.series({ namespace: USAGE, metricName, dimensions });
    this.meteredRequests = make(USAGE_METRICS.meteredRequests);
    this.logBytes = make(USAGE_METRICS.logBytes);
    const lambda = (Architecture: string) => ({
      requests: make(USAGE_METRICS.lambdaRequests, { Architecture }),
      gbSeconds: make(USAGE_METRICS.lambdaGbSeconds, { Architecture }),
      provisionedGbSeconds: make(USAGE_METRICS.lambdaProvisionedGbSeconds, { Architecture }),
    });
    this.lambda = { arm64: lambda('arm64'), x86_64: lambda('x86_64') };
    this.readUnits = make(USAGE_METRICS.readRequestUnits);
    this.writeUnits = make(USAGE_METRICS.writeRequestUnits);
  }
}
