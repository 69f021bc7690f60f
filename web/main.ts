/**
 * The console page: one Server-Sent Events stream (`/api/events`) brings a snapshot every second and
 * alarm and budget notifications the moment they happen.
 */
import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { AlarmTransition, Overview } from '../src/console/api-types.ts';
import { resizeCharts, updateCharts } from './charts.ts';
import { renderFaults } from './faults.ts';
import { watchRegions } from './regions.ts';
import { appendLogs, renderAlarms, renderCost, renderHeader, renderRoutes, renderSignals, toast } from './render.ts';

const connection = document.getElementById('connection')!;
const charts = document.getElementById('charts')!;

function render(data: Overview): void {
  renderHeader(data);
  renderSignals(data);
  renderFaults(data.faults ?? [], data.time);
  updateCharts(charts, data.widgets);
  renderAlarms(data.alarms);
  renderCost(data);
  renderRoutes(data);
  appendLogs(data.logs);
  if (data.twoRegions && !regionsWatched) {
    regionsWatched = true;
    watchRegions();
  }
}

let regionsWatched = false;

const events = new EventSource('/api/events');
events.addEventListener('open', () => {
  connection.textContent = 'live';
  connection.dataset.state = 'live';
});
events.addEventListener('error', () => {
  connection.textContent = 'reconnecting…';
  connection.dataset.state = 'down';
});
events.addEventListener('snapshot', (event) => render(JSON.parse((event as MessageEvent<string>).data) as Overview));
events.addEventListener('alarm', (event) => {
  const t = JSON.parse((event as MessageEvent<string>).data) as AlarmTransition;
  toast(`Alarm ${t.alarmName}: ${t.previousState} → ${t.state}`, t.state === 'ALARM' ? 'alarm' : 'ok');
});
events.addEventListener('budget', (event) => {
  const b = JSON.parse((event as MessageEvent<string>).data) as { line: string; raised: boolean };
  toast(b.line, b.raised ? 'budget' : 'ok');
});
window.addEventListener('resize', resizeCharts);
