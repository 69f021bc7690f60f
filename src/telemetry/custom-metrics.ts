/**
 * Custom metrics: what a function's EMF log lines publish (emf.ts), kept in the metric store in their
 * own namespaces and dimensions, as CloudWatch keeps them. Every custom metric is a distribution:
 * CloudWatch computes percentiles for custom metrics published as raw values, which EMF values are.
 */
import { type EmfDatum, mayBeEmf, parseEmf } from './emf.ts';
import type { MetricStore } from './metric-store.ts';
import { seriesKey } from './metric-store.ts';
import type { FunctionLogSample, MetricIdentity } from './types.ts';

export interface CustomMetric extends MetricIdentity {
  /** The EMF `Unit` last published (`Count`, `Milliseconds`…), if any. */
  unit?: string;
  /** The function whose log published it first. */
  functionName: string;
}

export class CustomMetrics {
  private readonly known = new Map<string, CustomMetric>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly store: MetricStore,
    /** Says, once per function and problem, why a line that looked like EMF yielded no metric. */
    private readonly notice: (message: string) => void,
  ) {}

  /** Records the metrics of one function log line, if it is an EMF document. */
  record(event: FunctionLogSample, second: number): void {
    if (event.kind !== 'app' || !mayBeEmf(event.message)) return;
    const result = parseEmf(event.message);
    if (!result) return;
    if ('problem' in result) {
      const key = `${event.functionName}\u0000${result.problem}`;
      if (this.warned.has(key)) return;
      this.warned.add(key);
      this.notice(
        `[${event.functionName}] an Embedded Metric Format line yielded no metric (CloudWatch would drop it too): ${result.problem}`,
      );
      return;
    }
    for (const datum of result.data) this.add(datum, event.functionName, second);
  }

  /** Every custom metric seen (one per namespace, name and dimension set: CloudWatch's billing unit). */
  list(): CustomMetric[] {
    return [...this.known.values()];
  }

  get count(): number {
    return this.known.size;
  }

  private add(datum: EmfDatum, functionName: string, second: number): void {
    const identity = { namespace: datum.namespace, metricName: datum.metricName, dimensions: datum.dimensions };
    const key = seriesKey(datum.namespace, datum.metricName, datum.dimensions);
    let metric = this.known.get(key);
    if (!metric) {
      metric = { ...identity, unit: datum.unit, functionName };
      this.known.set(key, metric);
    } else if (datum.unit) metric.unit = datum.unit;
    const series = this.store.series(identity);
    for (const value of datum.values) series.add(second, value);
  }
}
