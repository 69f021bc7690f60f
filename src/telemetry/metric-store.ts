/**
 * The in-memory CloudWatch: series keyed by namespace, metric name and exact dimension set, and
 * GetMetricData-style queries over them. As in CloudWatch, a query names one dimension set exactly;
 * series are not aggregated across dimension sets at query time (the recorder writes each set).
 */
import { isCustomNamespace, isDistribution, KNOWN_METRICS } from './names.ts';
import { Aggregate, DEFAULT_RETENTION, type Retention, Series } from './series.ts';
import { computeStatistic, MetricQueryError, type ParsedStatistic, parseStatistic } from './statistics.ts';
import type { Dimensions, MetricDataResult, MetricIdentity, MetricQuery, Namespace, Statistic } from './types.ts';

/** CloudWatch's cap on datapoints returned by one GetMetricData call. */
const MAX_DATAPOINTS = 100_800;

export function seriesKey(namespace: string, metricName: string, dimensions: Dimensions = {}): string {
  const names = Object.keys(dimensions).sort();
  let key = `${namespace}\u0000${metricName}`;
  for (const name of names) key += `\u0000${name}=${dimensions[name]}`;
  return key;
}

export function validatePeriod(period: number): void {
  const ok = period === 1 || period === 5 || period === 10 || period === 30 || (period >= 60 && period % 60 === 0);
  if (!Number.isInteger(period) || !ok || period > 86_400) {
    throw new MetricQueryError(
      `period: ${period} is not valid (expected 1, 5, 10, 30 or a multiple of 60 up to 86400)`,
    );
  }
}

export class MetricStore {
  private readonly byKey = new Map<string, Series>();
  private readonly identities: MetricIdentity[] = [];
  private readonly scratch = { plain: new Aggregate(false), distribution: new Aggregate(true) };

  constructor(readonly retention: Retention = DEFAULT_RETENTION) {
    if (retention.seconds < 60 || retention.minutes < 1) {
      throw new RangeError('retention: expected at least 60 seconds of 1-second slots and 1 minute of 1-minute slots');
    }
  }

  /**
   * The series for `identity`, created on first use. `aliases` are other dimension sets that hold
   * exactly the same data (e.g. `{ApiId}` and `{ApiId, Stage}` for the only stage), so one write serves both.
   */
  series(identity: MetricIdentity, aliases: Dimensions[] = []): Series {
    const key = seriesKey(identity.namespace, identity.metricName, identity.dimensions);
    let series = this.byKey.get(key);
    if (series) return series;
    series = new Series(identity, isDistribution(identity.namespace, identity.metricName), this.retention);
    this.register(key, series, identity);
    for (const dimensions of aliases) {
      const alias = { ...identity, dimensions };
      this.register(seriesKey(alias.namespace, alias.metricName, dimensions), series, alias);
    }
    return series;
  }

  find(namespace: Namespace, metricName: string, dimensions: Dimensions = {}): Series | undefined {
    return this.byKey.get(seriesKey(namespace, metricName, dimensions));
  }

  /** ListMetrics: every metric with data, optionally of one namespace. */
  list(namespace?: Namespace): MetricIdentity[] {
    return namespace ? this.identities.filter((m) => m.namespace === namespace) : [...this.identities];
  }

  /** GetMetricData for one metric and statistic: datapoints for the periods that hold samples, oldest first. */
  getMetricData(query: MetricQuery): MetricDataResult {
    validatePeriod(query.period);
    const statistic = parseStatistic(query.statistic);
    if (!KNOWN_METRICS[query.namespace] && !isCustomNamespace(query.namespace)) {
      throw new MetricQueryError(
        `namespace: "${query.namespace}" is not one of ${Object.keys(KNOWN_METRICS).join(', ')} (or a custom namespace of your own)`,
      );
    }
    const periodMs = query.period * 1000;
    const start = Math.floor(query.startTime / periodMs) * periodMs;
    if (!(query.endTime > start)) throw new MetricQueryError('endTime: must be later than startTime');
    if ((query.endTime - start) / periodMs > MAX_DATAPOINTS) {
      throw new MetricQueryError(`too many datapoints: at most ${MAX_DATAPOINTS} periods per query; widen the period`);
    }
    const result: MetricDataResult = { label: query.metricName, timestamps: [], values: [] };
    const series = this.find(query.namespace, query.metricName, query.dimensions);
    if (!series) return result;
    this.checkPercentile(series, statistic, query.statistic);
    const fine = query.period < 60;
    for (let t = start; t < query.endTime; t += periodMs) {
      const value = this.collect(series, fine, t, t + periodMs, statistic);
      if (value === undefined) continue;
      result.timestamps.push(t);
      result.values.push(value);
    }
    return result;
  }

  /**
   * One statistic over an arbitrary window (e.g. "p95 of the last 60 s"). Uses 1-second slots when the
   * window fits their retention, else 1-minute slots (window edges then round out to whole minutes).
   */
  statisticOver(
    identity: { namespace: Namespace; metricName: string; dimensions?: Dimensions },
    statistic: Statistic,
    startTime: number,
    endTime: number,
  ): number | undefined {
    const parsed = parseStatistic(statistic);
    const series = this.find(identity.namespace, identity.metricName, identity.dimensions);
    if (!series) return undefined;
    this.checkPercentile(series, parsed, statistic);
    const fine = endTime - startTime <= this.retention.seconds * 1000;
    return this.collect(series, fine, startTime, endTime, parsed);
  }

  /** Approximate bytes held: the retention bound made visible. */
  footprintBytes(): number {
    let bytes = 0;
    for (const series of new Set(this.byKey.values()))
      bytes += series.seconds.footprintBytes() + series.minutes.footprintBytes();
    return bytes;
  }

  /** `fine`: read 1-second slots; otherwise 1-minute slots (window edges round out to whole minutes). */
  private collect(series: Series, fine: boolean, from: number, to: number, statistic: ParsedStatistic) {
    const aggregate = series.distribution ? this.scratch.distribution : this.scratch.plain;
    aggregate.reset();
    if (fine) series.seconds.collect(Math.floor(from / 1000), Math.ceil(to / 1000), aggregate);
    else series.collectMinutes(Math.floor(from / 60_000), Math.ceil(to / 60_000), aggregate);
    return computeStatistic(aggregate, statistic);
  }

  private checkPercentile(series: Series, statistic: ParsedStatistic, raw: string): void {
    if (statistic.kind === 'percentile' && !series.distribution) {
      throw new MetricQueryError(
        `statistic: ${raw} needs a distribution; percentiles are kept for Latency, IntegrationLatency, Duration and custom metrics, not ${series.identity.metricName}`,
      );
    }
  }

  private register(key: string, series: Series, identity: MetricIdentity): void {
    this.byKey.set(key, series);
    this.identities.push(identity);
  }
}
