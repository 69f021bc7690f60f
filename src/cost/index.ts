// The public surface of the cost model: prices, pricing, the live meter and the traffic projection.

export { formatCostReport, formatTrafficReport } from './format.ts';
export {
  type BudgetAlertEvent,
  type BudgetAlertStatus,
  type CostMeter,
  type CostMeterOptions,
  type CostReport,
  createCostMeter,
  observedUsage,
} from './meter.ts';
export {
  emptyUsage,
  type FixedResources,
  fixedResources,
  type LineItem,
  type PricedMonth,
  priceMonth,
  prorateFixed,
  scaleUsage,
  tieredCost,
  type Usage,
} from './model.ts';
export { HOURS_PER_MONTH, listPrices, MONTH_MS, PRICES, type Price, type PriceBasis } from './prices.ts';
export {
  accessLogBytes,
  costForTraffic,
  platformLogBytes,
  type TrafficAssumptions,
  type TrafficCostReport,
} from './traffic.ts';
