/**
 * CloudWatch Embedded Metric Format: a log event that is one JSON object with an `_aws` member
 * becomes metrics, as CloudWatch Logs extracts them from a Lambda function's log group. Powertools
 * Metrics writes these (raw JSON lines on stdout), and so can any code.
 *
 * The specification (docs: "Specification: Embedded metric format"):
 * `_aws.CloudWatchMetrics` is an array of directives `{ Namespace, Dimensions: [[name…]…], Metrics:
 * [{ Name, Unit?, StorageResolution? }] }`; each metric's value is the root member of its name (a
 * number, or an array of up to 100 numbers); each dimension's value is the root member of its name
 * (a string). Each dimension set yields its own metric. A log event that is not valid EMF stays a log
 * event and yields no metric; CloudWatch says nothing, gantry says why once per function (a system line).
 */

/** One metric value to record: the namespace, the metric, one exact dimension set. */
export interface EmfDatum {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  values: number[];
  unit?: string;
}

/** What CloudWatch's limits allow (EMF specification). */
const MAX_DIMENSIONS_PER_SET = 30;
const MAX_METRICS_PER_DIRECTIVE = 100;
const MAX_VALUES_PER_METRIC = 100;
const NAMESPACE = /^[^:]{1,255}$/;

export type EmfResult = { data: EmfDatum[] } | { problem: string };

/** Cheap test before parsing: only lines that can be EMF are parsed at all. */
export function mayBeEmf(message: string): boolean {
  return message.charCodeAt(0) === 123 /* { */ && message.includes('"_aws"');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The metrics in one log event; `undefined` when it is not an EMF document at all. */
export function parseEmf(message: string): EmfResult | undefined {
  let root: unknown;
  try {
    root = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!isRecord(root) || !isRecord(root._aws)) return undefined;
  const directives = root._aws.CloudWatchMetrics;
  if (!Array.isArray(directives)) return { problem: '_aws.CloudWatchMetrics: expected an array of metric directives' };
  if (typeof root._aws.Timestamp !== 'number')
    return { problem: '_aws.Timestamp: expected a number (milliseconds since the epoch)' };
  const data: EmfDatum[] = [];
  for (const [d, directive] of directives.entries()) {
    const where = `_aws.CloudWatchMetrics[${d}]`;
    if (!isRecord(directive)) return { problem: `${where}: expected an object` };
    const { Namespace: namespace, Dimensions: sets, Metrics: metrics } = directive;
    if (typeof namespace !== 'string' || !NAMESPACE.test(namespace) || namespace.startsWith('AWS/'))
      return {
        problem: `${where}.Namespace: expected 1 to 255 characters without ":", not starting with "AWS/", got ${JSON.stringify(namespace)}`,
      };
    if (!Array.isArray(sets) || !sets.every((set) => Array.isArray(set)))
      return { problem: `${where}.Dimensions: expected an array of dimension-name arrays` };
    if (!Array.isArray(metrics) || metrics.length > MAX_METRICS_PER_DIRECTIVE)
      return { problem: `${where}.Metrics: expected an array of up to ${MAX_METRICS_PER_DIRECTIVE} metrics` };
    const dimensionSets: Record<string, string>[] = [];
    for (const set of sets as unknown[][]) {
      if (set.length > MAX_DIMENSIONS_PER_SET)
        return {
          problem: `${where}.Dimensions: a set has ${set.length} dimensions (at most ${MAX_DIMENSIONS_PER_SET})`,
        };
      const dimensions: Record<string, string> = {};
      for (const name of set) {
        const value = typeof name === 'string' ? root[name] : undefined;
        if (typeof value !== 'string')
          return { problem: `dimension ${JSON.stringify(name)}: expected a string member of that name at the root` };
        dimensions[name as string] = value;
      }
      dimensionSets.push(dimensions);
    }
    // No dimension set at all: the metric is published without dimensions.
    if (dimensionSets.length === 0) dimensionSets.push({});
    for (const metric of metrics) {
      if (!isRecord(metric) || typeof metric.Name !== 'string' || metric.Name.length === 0)
        return { problem: `${where}.Metrics: expected { "Name": "…" } objects` };
      const raw = root[metric.Name];
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length === 0 || values.length > MAX_VALUES_PER_METRIC || !values.every((v) => Number.isFinite(v)))
        return {
          problem: `metric "${metric.Name}": expected a number (or up to ${MAX_VALUES_PER_METRIC} numbers) in the root member of that name, got ${JSON.stringify(raw)}`,
        };
      const unit = typeof metric.Unit === 'string' ? metric.Unit : undefined;
      for (const dimensions of dimensionSets)
        data.push({ namespace, metricName: metric.Name, dimensions, values: values as number[], unit });
    }
  }
  return { data };
}
