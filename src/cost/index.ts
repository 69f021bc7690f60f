// The public surface of the cost model: prices, pricing, the live meter and the traffic projection.

export { formatCostReport, formatTrafficReport } from './format.ts';
export { type CostMeter, type CostReport, createCostMeter } from './meter.ts';
export { priceMonth, tieredCost } from './model.ts';
export { listPrices, MONTH_MS, PRICES } from './prices.ts';
export { costForTraffic } from './traffic.ts';
