/**
 * History features: this month against the subscriber's earlier months, looked up by month index
 * (a month without a billing row or without CDR coverage is skipped, never taken as zero).
 * A subscriber's first month has NaN history.
 */
import type { BillingTable } from '../contract.js';
import { previousMax, previousMean, type SubscriberIndex, slope } from './subscriber-index.js';

/** Slopes are fitted over this many months, the row's own month included. */
export const SLOPE_MONTHS = 6;
const SLOPE_MIN_POINTS = 3;
/** trigger_months_3 counts the months with a trigger among this many previous months. */
export const TRIGGER_MONTHS = 3;

/** Per billing row (all rows): usage that history compares against, NaN without CDR coverage. */
export interface HistoryInputs {
  voiceMinutes: Float64Array;
  voiceCalls: Float64Array;
  activeDays: Float64Array;
  longestSilentRun: Float64Array;
  dataMb: Float64Array;
  /** 1 where any trigger fired. */
  anyTrigger: Uint8Array;
}

export interface HistoryResult {
  columns: Record<string, Float64Array>;
  /** Requested rows with no billing row in the previous triggers.history_months months. */
  withoutHistory: number;
}

export function historyFeatures(
  billing: BillingTable,
  ix: SubscriberIndex,
  rows: Int32Array,
  inputs: HistoryInputs,
  /** triggers.history_months: changes compare with the average of up to this many previous months. */
  back: number,
): HistoryResult {
  const { month, billed_amount: billed, plan_change: planChange } = billing.cols;
  const n = rows.length;
  const cols = {
    spend_change: new Float64Array(n),
    voice_minutes_change: new Float64Array(n),
    data_change: new Float64Array(n),
    voice_calls_change: new Float64Array(n),
    active_days_change: new Float64Array(n),
    silent_run_vs_usual: new Float64Array(n),
    spend_slope: new Float64Array(n),
    voice_slope: new Float64Array(n),
    data_slope: new Float64Array(n),
    months_since_plan_change: new Float64Array(n),
    trigger_months_3: new Float64Array(n),
  };
  let withoutHistory = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    cols.spend_change[i] = relativeChange(billed[r]!, previousMean(ix, month, billed, r, back));
    cols.voice_minutes_change[i] = relativeChange(
      inputs.voiceMinutes[r]!,
      previousMean(ix, month, inputs.voiceMinutes, r, back),
    );
    cols.data_change[i] = relativeChange(inputs.dataMb[r]!, previousMean(ix, month, inputs.dataMb, r, back));
    cols.voice_calls_change[i] = relativeChange(
      inputs.voiceCalls[r]!,
      previousMean(ix, month, inputs.voiceCalls, r, back),
    );
    cols.active_days_change[i] = relativeChange(
      inputs.activeDays[r]!,
      previousMean(ix, month, inputs.activeDays, r, back),
    );
    // NaN this month or in every previous one gives NaN.
    cols.silent_run_vs_usual[i] =
      inputs.longestSilentRun[r]! - previousMax(ix, month, inputs.longestSilentRun, r, back);
    cols.spend_slope[i] = slope(ix, month, billed, r, SLOPE_MONTHS, SLOPE_MIN_POINTS);
    cols.voice_slope[i] = slope(ix, month, inputs.voiceMinutes, r, SLOPE_MONTHS, SLOPE_MIN_POINTS);
    cols.data_slope[i] = slope(ix, month, inputs.dataMb, r, SLOPE_MONTHS, SLOPE_MIN_POINTS);
    cols.months_since_plan_change[i] = monthsSincePlanChange(ix, month, planChange, r);

    cols.trigger_months_3[i] = triggerMonths(ix, month, inputs.anyTrigger, r);
    const p = ix.pos[r]!;
    if (p === ix.start[ix.key[r]!]! || month[ix.order[p - 1]!]! < month[r]! - back) withoutHistory++;
  }
  return { columns: cols, withoutHistory };
}

/** this / average − 1; NaN when either is missing or the average is 0. */
export function relativeChange(value: number, average: number): number {
  if (!(average > 0) || Number.isNaN(value)) return Number.NaN;
  return value / average - 1;
}

/** Months since the latest plan change up to and including this month; NaN when none is on record. */
function monthsSincePlanChange(
  ix: SubscriberIndex,
  month: Int32Array,
  planChange: Uint8Array,
  row: number,
): number {
  const k = ix.key[row]!;
  for (let i = ix.pos[row]!; i >= ix.start[k]!; i--) {
    const r = ix.order[i]!;
    if (planChange[r] === 1) return month[row]! - month[r]!;
  }
  return Number.NaN;
}

/** Months among the previous 3 (present ones) with any trigger; NaN when none of them is present. */
function triggerMonths(ix: SubscriberIndex, month: Int32Array, anyTrigger: Uint8Array, row: number): number {
  const k = ix.key[row]!;
  const first = month[row]! - TRIGGER_MONTHS;
  let seen = 0;
  let fired = 0;
  for (let i = ix.pos[row]! - 1; i >= ix.start[k]!; i--) {
    const r = ix.order[i]!;
    if (month[r]! < first) break;
    seen++;
    fired += anyTrigger[r]!;
  }
  return seen > 0 ? fired : Number.NaN;
}
