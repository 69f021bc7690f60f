/** Plain-text tables of cost reports for the terminal (`gantry cost`). */
import type { CostReport } from './meter.ts';
import type { LineItem, PricedMonth } from './model.ts';
import { PRICES } from './prices.ts';
import type { TrafficCostReport } from './traffic.ts';

const number = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const usd = (n: number) => (n !== 0 && Math.abs(n) < 0.01 ? `$${n.toFixed(4)}` : `$${number(n, 2)}`);

function quantity(item: LineItem): string {
  return item.quantity >= 100 || Number.isInteger(item.quantity) ? number(item.quantity) : number(item.quantity, 4);
}

function table(month: PricedMonth, header: string): string[] {
  const rows = [
    ['service', 'item', 'quantity', 'unit', header],
    ...month.items.map((i) => [i.service, i.item, quantity(i), i.unit, usd(i.usd)]),
  ];
  rows.push(['total', '', '', '', usd(month.totalUsd)]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 2 || c === 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

function alertLines(
  budgetUsd: number,
  percent: number,
  alerts: { percent: number; on: string; thresholdUsd: number; hit: boolean }[],
) {
  const lines = [`budget ${usd(budgetUsd)} a month: projection is ${number(percent, 1)} % of it`];
  for (const alert of alerts) {
    lines.push(
      `  alert at ${alert.percent} % (${alert.on}, ${usd(alert.thresholdUsd)}): ${alert.hit ? 'REACHED' : 'not reached'}`,
    );
  }
  return lines;
}

export function formatTrafficReport(name: string, report: TrafficCostReport): string {
  const a = report.assumptions;
  const lines = [
    `${name} at ${number(a.rps, 2)} requests/s, ${PRICES.region} prices of ${PRICES.apiGateway.httpApiRequests.date} (src/cost/prices.ts)`,
    `assumed: ${number(a.requestsPerMonth)} requests a month (${a.hoursPerMonth} h), Lambda ${number(a.durationMs, 1)} ms average, ` +
      `${number(a.payloadBytes)} B request + response, ${number(a.logBytesPerRequest)} B of logs per request, ` +
      `${a.readUnitsPerRequest} RRU / ${a.writeUnitsPerRequest} WRU per request, free tier ${a.freeTier ? 'applied' : 'not applied'}`,
    `invocations a month: ${
      Object.entries(report.invocationsPerMonth)
        .map(([fn, n]) => `${fn} ${number(n)}`)
        .join(', ') || 'none (no Lambda routes)'
    }`,
    '',
    ...table(report.monthly, 'monthly'),
    '',
    ...alertLines(
      report.budget.monthlyUsd,
      report.budget.percent,
      report.budget.alerts.map((al) => ({ ...al, hit: al.reached })),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function formatCostReport(name: string, report: CostReport): string {
  const lines = [
    `${name}: traffic observed by gantry dev over ${number(report.elapsedSeconds)} s, projected from the last ${number(report.windowSeconds)} s`,
    '',
    'so far',
    ...table(report.soFar, 'cost'),
    '',
    `projected month (free tier ${report.freeTier ? 'applied' : 'not applied'})`,
    ...table(report.projectedMonthly, 'monthly'),
    '',
    ...alertLines(
      report.budget.monthlyUsd,
      report.budget.projectedPercent,
      report.budget.alerts.map((al) => ({ ...al, hit: al.triggered })),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
