/**
 * CloudWatch's alarm evaluation as a pure function of the datapoints in the evaluation range.
 * The rules follow the CloudWatch user guide ("How alarm state is evaluated when data is missing"):
 * the evaluation range holds more periods than Evaluation Periods (N + 2 here, 5 for N = 3 as in
 * the guide's tables); when at least N datapoints exist, the newest N decide and missing data is
 * ignored; otherwise missing datapoints are filled by the TreatMissingData rule, using real datapoints
 * wherever they exist. The guide's two tables are the unit test vectors for this file.
 */
import type { ComparisonOperator, TreatMissingData } from '../config/index.ts';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmRule {
  threshold: number;
  comparison: ComparisonOperator;
  /** N */
  evaluationPeriods: number;
  /** M */
  datapointsToAlarm: number;
  treatMissingData: TreatMissingData;
}

export interface Datapoint {
  /** Period start, epoch ms. */
  timestamp: number;
  /** undefined: no datapoint for this period. */
  value: number | undefined;
}

export interface Evaluation {
  state: AlarmState;
  reason: string;
  /** The datapoints that decided, newest first (what CloudWatch lists in its reason). */
  evaluated: { timestamp: number; value: number }[];
}

/** Periods fetched per evaluation: more than N, so an older real datapoint can stand in for a missing one. */
export function evaluationRange(evaluationPeriods: number): number {
  return evaluationPeriods + 2;
}

const WORDS: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function breaches(value: number, rule: Pick<AlarmRule, 'comparison' | 'threshold'>): boolean {
  switch (rule.comparison) {
    case 'GreaterThanThreshold':
      return value > rule.threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= rule.threshold;
    case 'LessThanThreshold':
      return value < rule.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= rule.threshold;
  }
}

/** `datapoints`: the evaluation range, oldest first, one entry per period. */
export function evaluateAlarm(rule: AlarmRule, datapoints: Datapoint[], current: AlarmState): Evaluation {
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  const existing = datapoints.filter((d): d is { timestamp: number; value: number } => d.value !== undefined);
  const newestFirst = existing.slice().reverse();

  if (existing.length >= n) {
    const evaluated = newestFirst.slice(0, n);
    const count = evaluated.filter((d) => breaches(d.value, rule)).length;
    return decided(count >= m ? 'ALARM' : 'OK', rule, evaluated, count, n);
  }

  const breaching = existing.filter((d) => breaches(d.value, rule)).length;
  const filled = n - existing.length;
  const treatedAs = `${filled} missing datapoint${filled === 1 ? ' was' : 's were'} treated as [${label(rule.treatMissingData)}]`;

  switch (rule.treatMissingData) {
    case 'breaching': {
      const count = breaching + filled;
      return withNote(decided(count >= m ? 'ALARM' : 'OK', rule, newestFirst, count, n), treatedAs);
    }
    case 'notBreaching':
      return withNote(decided(breaching >= m ? 'ALARM' : 'OK', rule, newestFirst, breaching, n), treatedAs);
    case 'missing':
    case 'ignore': {
      if (breaching >= m) return decided('ALARM', rule, newestFirst, breaching, n);
      if (existing.length > breaching) return decided('OK', rule, newestFirst, breaching, n);
      // Only breaching datapoints (or none). The guide's sixth example: with `missing`, a breaching
      // datapoint at the oldest end of the range and nothing non-breaching still means ALARM.
      const oldest = datapoints[0];
      if (rule.treatMissingData === 'missing' && oldest?.value !== undefined && breaches(oldest.value, rule)) {
        return decided('ALARM', rule, newestFirst, breaching, n);
      }
      const reason =
        existing.length === 0
          ? `Insufficient Data: no datapoints were received for ${datapoints.length} periods and ${treatedAs}.`
          : `Insufficient Data: ${existing.length} datapoint${existing.length === 1 ? '' : 's'} for ${n} evaluation periods and ${treatedAs}.`;
      if (rule.treatMissingData === 'ignore')
        return { state: current, reason: `${reason} Current state kept.`, evaluated: newestFirst };
      return { state: 'INSUFFICIENT_DATA', reason, evaluated: newestFirst };
    }
  }
}

function label(treat: TreatMissingData): string {
  return treat === 'notBreaching'
    ? 'NonBreaching'
    : treat === 'breaching'
      ? 'Breaching'
      : treat === 'ignore'
        ? 'Ignore'
        : 'Missing';
}

function withNote(evaluation: Evaluation, note: string): Evaluation {
  return { ...evaluation, reason: `${evaluation.reason.slice(0, -1)}; ${note}.` };
}

function decided(
  state: AlarmState,
  rule: AlarmRule,
  evaluated: { timestamp: number; value: number }[],
  breachingCount: number,
  n: number,
): Evaluation {
  const listed = evaluated.map((d) => `${formatValue(d.value)} (${formatTime(d.timestamp)})`).join(', ');
  const verb = breachingCount === 1 ? 'was' : 'were';
  const reason =
    `Threshold Crossed: ${breachingCount} out of the last ${n} datapoints [${listed}] ${verb} ` +
    `${WORDS[rule.comparison]} the threshold (${formatValue(rule.threshold)}) ` +
    `(minimum ${rule.datapointsToAlarm} datapoint${rule.datapointsToAlarm === 1 ? '' : 's'} for OK -> ALARM transition).`;
  return { state, reason, evaluated };
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(Number(value.toPrecision(6)));
}

/** CloudWatch writes `24/11/26 05:52:00` (dd/MM/yy HH:mm:ss, UTC) in reasons. */
function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
