/**
 * The golden-signals dashboard (src/config/dashboard.ts, shared with the CDK app) resolved against
 * this API: each widget metric becomes one series per dimension set, `api` → ApiId + Stage,
 * `function` → one series per FunctionName, and its data is read with GetMetricData semantics.
 */
import { PROVISIONED_CONCURRENCY_METRICS } from '../aws/metrics.ts';
import { type DashboardWidget, dashboardWidgets, type ResolvedConfig } from '../config/index.ts';
import type { CustomMetric } from './custom-metrics.ts';
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
  /** The golden signals' units, or a custom metric's EMF `Unit` (`Count`, `Seconds`, `None`…). */
  unit: DashboardWidget['unit'] | (string & {});
  period: number;
  /** Period starts, epoch seconds (uPlot's x axis). */
  timestamps: number[];
  series: (WidgetSeriesDefinition & { values: (number | null)[] })[];
}

export type { DashboardWidget };

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
    // Lambda publishes provisioned concurrency metrics only for functions that have it.
    const provisionedOnly = (PROVISIONED_CONCURRENCY_METRICS as readonly string[]).includes(metric.metricName);
    for (const [name, fn] of Object.entries(config.functions)) {
      if (provisionedOnly && fn.provisionedConcurrency === 0) continue;
      out.push({ ...base, label: `${name} ${metric.label}`, dimensions: { FunctionName: name } });
    }
  }
  return out;
}

/** Units that add up over a period (charted as Sum); any other unit is charted as its Average. */
const SUMMED_UNITS = new Set([undefined, 'Count', 'None', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes']);

interface ChartedWidget {
  id: string;
  title: string;
  unit: WidgetData['unit'];
  series: WidgetSeriesDefinition[];
}

/**
 * One chart per custom metric (namespace and name), one line per dimension set, as a CloudWatch
 * graph of that metric would show them. Charted after the golden signals, in the order first seen.
 */
export function customWidgets(metrics: readonly CustomMetric[]): ChartedWidget[] {
  const widgets = new Map<string, ChartedWidget>();
  for (const metric of metrics) {
    const key = `${metric.namespace}\u0000${metric.metricName}`;
    let widget = widgets.get(key);
    if (!widget) {
      const id = `custom-${metric.namespace}-${metric.metricName}`.replace(/[^A-Za-z0-9_-]/g, '_');
      widget = { id, title: `${metric.namespace} · ${metric.metricName}`, unit: metric.unit ?? 'None', series: [] };
      widgets.set(key, widget);
    }
    const chart = widget;
    const statistic: Statistic = SUMMED_UNITS.has(metric.unit) ? 'Sum' : 'Average';
    const dims = Object.entries(metric.dimensions).map(([k, v]) => `${k}=${v}`);
    chart.series.push({
      label: `${dims.length ? dims.join(', ') : 'no dimensions'} (${statistic})`,
      namespace: metric.namespace,
      metricName: metric.metricName,
      statistic,
      dimensions: metric.dimensions,
    });
  }
  return [...widgets.values()];
}

/** Every widget's series over [end - rangeSeconds, end), one value per period (null: no datapoint). */
export function dashboardData(
  config: ResolvedConfig,
  store: MetricStore,
  options: {
    end: number;
    rangeSeconds: number;
    period: number;
    widgets?: readonly DashboardWidget[];
    /** The functions' EMF metrics, charted after the golden signals. */
    custom?: readonly CustomMetric[];
  },
): WidgetData[] {
  const periodMs = options.period * 1000;
  const end = Math.floor(options.end / periodMs) * periodMs + periodMs;
  const start = end - Math.ceil((options.rangeSeconds * 1000) / periodMs) * periodMs;
  const timestamps: number[] = [];
  for (let t = start; t < end; t += periodMs) timestamps.push(t / 1000);
  const charted: ChartedWidget[] = [
    ...(options.widgets ?? dashboardWidgets(config.functions)).map((widget) => ({
      id: widget.id,
      title: widget.title,
      unit: widget.unit,
      series: widgetSeries(config, widget),
    })),
    ...customWidgets(options.custom ?? []),
  ];
  return charted.map((widget) => ({
    id: widget.id,
    title: widget.title,
    unit: widget.unit,
    period: options.period,
    timestamps,
    series: widget.series.map((definition) => {
      const data = store.getMetricData({ ...definition, period: options.period, startTime: start, endTime: end });
      const values: (number | null)[] = new Array(timestamps.length).fill(null);
      data.timestamps.forEach((t, i) => {
        values[(t - start) / periodMs] = data.values[i];
      });
      return { ...definition, values };
    }),
  }));
}
