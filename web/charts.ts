/**
 * One uPlot chart per dashboard widget (the same widget list the CDK app deploys as a CloudWatch
 * dashboard). Each chart carries `data-points`: how many datapoints it draws, for tests and curious users.
 */
import uPlot from 'uplot';
import type { WidgetData } from '../src/console/api-types.ts';
import { h } from './dom.ts';
import { faultWindows } from './faults.ts';

const COLOURS = ['#2e7dd7', '#e07b00', '#d13212', '#1d8102', '#8f48d2', '#00828c', '#b7410e', '#6b7280'];
const charts = new Map<string, { plot: uPlot; figure: HTMLElement; signature: string }>();

function unitSuffix(unit: WidgetData['unit']): string {
  return unit === 'Milliseconds' ? ' ms' : unit === 'Percent' ? ' %' : unit === 'Bytes' ? ' B' : '';
}

/** Shades each chaos fault's window behind the series (red while active, grey once ended). */
function drawFaultBands(u: uPlot): void {
  let drawn = 0;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  for (const w of faultWindows) {
    const x0 = Math.max(left, u.valToPos(w.from, 'x', true));
    const x1 = Math.min(left + width, u.valToPos(w.to, 'x', true));
    if (x1 < x0) continue;
    ctx.fillStyle = w.active ? 'rgba(209, 50, 18, 0.14)' : 'rgba(107, 114, 128, 0.14)';
    ctx.fillRect(x0, top, Math.max(3, x1 - x0), height);
    drawn++;
  }
  ctx.restore();
  // How many bands this chart shows, for tests and curious users (as data-points counts datapoints).
  u.root.closest('figure')?.setAttribute('data-fault-bands', String(drawn));
}

function create(container: HTMLElement, widget: WidgetData) {
  const plotArea = h('div', { class: 'plot' });
  const figure = h(
    'figure',
    { class: 'chart', id: `chart-${widget.id}`, 'data-points': 0 },
    h('figcaption', {}, widget.title),
    plotArea,
  );
  const existing = charts.get(widget.id);
  if (existing) {
    existing.plot.destroy();
    existing.figure.replaceWith(figure);
  } else {
    container.append(figure);
  }
  const suffix = unitSuffix(widget.unit);
  const plot = new uPlot(
    {
      width: Math.max(280, plotArea.clientWidth || 360),
      height: 170,
      legend: { live: false },
      hooks: { drawClear: [drawFaultBands] },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, (max ?? 1) * 1.1)] },
      },
      axes: [
        { stroke: '#6b7280' },
        { stroke: '#6b7280', size: 72, values: (_u, ticks) => ticks.map((t) => `${+t.toFixed(2)}${suffix}`) },
      ],
      series: [
        {},
        ...widget.series.map((s, i) => ({
          label: s.label,
          stroke: COLOURS[i % COLOURS.length],
          width: 1.5,
          // Like a CloudWatch graph: lines join the periods that have datapoints, each one marked.
          spanGaps: true,
          points: { show: true, size: 4 },
        })),
      ],
    },
    [widget.timestamps, ...widget.series.map((s) => s.values)] as uPlot.AlignedData,
    plotArea,
  );
  return { plot, figure };
}

export function updateCharts(container: HTMLElement, widgets: WidgetData[]): void {
  for (const widget of widgets) {
    const signature = widget.series.map((s) => s.label).join('|');
    let chart = charts.get(widget.id);
    if (!chart || chart.signature !== signature) {
      const made = create(container, widget);
      chart = { ...made, signature };
      charts.set(widget.id, chart);
    } else {
      chart.plot.setData([widget.timestamps, ...widget.series.map((s) => s.values)] as uPlot.AlignedData);
    }
    const points = widget.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
    chart.figure.setAttribute('data-points', String(points));
  }
}

export function resizeCharts(): void {
  for (const { plot, figure } of charts.values()) {
    const width = figure.querySelector('.plot')?.clientWidth;
    if (width) plot.setSize({ width, height: 170 });
  }
}
