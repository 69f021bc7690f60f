/**
 * The golden-signals dashboard (src/config/dashboard.ts, shared with the CDK app) resolved against
 * this API: each widget metric becomes one series per dimension set, `api` → ApiId + Stage,
 * `function` → one series per FunctionName, and its data is read with GetMetricData semantics.
 */
import { type DashboardWidget, GOLDEN_SIGNALS_DASHBOARD, type ResolvedConfig } from '../config/index.ts';
import type { MetricStore } from './metric-store.ts';
import type { Dimensions, Namespace, Statistic } from './types.ts';

export interface WidgetSeriesDefinition {
  label: string;
  namespace: Namespace;
  metricName: string;
  statistic: Statistic;
  dimensions: Dimensions;
}

export interface WidgetData {
  id: string;
  title: string;
  unit: DashboardWidget['unit'];
  period: number;
  /** Period starts, epoch seconds (uPlot's x axis). */
  timestamps: number[];
  series: (WidgetSeriesDefinition & { values: (number | null)[] })[];
}

export type { DashboardWidget };
export { GOLDEN_SIGNALS_DASHBOARD };

export function widgetSeries(config: ResolvedConfig, widget: DashboardWidget): WidgetSeriesDefinition[] {
  const out: WidgetSeriesDefinition[] = [];
  for (const metric of widget.metrics) {
    const base = {
      namespace: metric.namespace,
      metricName: metric.metricName,
      statistic: metric.statistic as Statistic,
    };
    if (metric.dimension === 'api') {
      out.push({ ...base, label: metric.label, dimensions: { ApiId: config.apiId, Stage: config.stage.name } });
      continue;
    }
    for (const name of Object.keys(config.functions)) {
      out.push({ ...base, label: `${name} ${metric.label}`, dimensions: { FunctionName: name } });
    }
  }
  return out;
}

/** Every widget's series over [end - rangeSeconds, end), one value per period (null: no datapoint). */
export function dashboardData(
  config: ResolvedConfig,
  store: MetricStore,
  options: { end: number; rangeSeconds: number; period: number; widgets?: readonly DashboardWidget[] },
): WidgetData[] {
  const periodMs = options.period * 1000;
  const end = Math.floor(options.end / periodMs) * periodMs + periodMs;
  const start = end - Math.ceil((options.rangeSeconds * 1000) / periodMs) * periodMs;
  const timestamps: number[] = [];
  for (let t = start; t < end; t += periodMs) timestamps.push(t / 1000);
  return (options.widgets ?? GOLDEN_SIGNALS_DASHBOARD).map((widget) => ({
    id: widget.id,
    title: widget.title,
    unit: widget.unit,
    period: options.period,
    timestamps,
    series: widgetSeries(config, widget).map((definition) => {
      const data = store.getMetricData({ ...definition, period: options.period, startTime: start, endTime: end });
      const values: (number | null)[] = new Array(timestamps.length).fill(null);
      data.timestamps.forEach((t, i) => {
        values[(t - start) / periodMs] = data.values[i];
      });
      return { ...definition, values };
    }),
  }));
}
