/**
 * Warning triggers (DATA-CONTRACT §5) for every billing row, thresholds from config.triggers.
 *
 * Decisions:
 * - CDR-based triggers (usage_shift, silent_days, zero_usage, care_calls, competitor_care) do not
 *   fire in a month without CDR coverage: no file is no evidence.
 * - "At least x% below/changed" compares with a tolerance of 1e-9, so a drop of exactly 30%
 *   fires despite binary rounding (70 against 100).
 * - History triggers need at least one previous month within triggers.history_months, and a
 *   non-zero previous average (a relative change from zero is undefined).
 * - silent_days (triggers.silent_days_rule): `relative` fires for a silent run of at least
 *   triggers.silent_days days that is also at least triggers.silent_days_factor times the longest run
 *   of the previous triggers.history_months months with CDR coverage, so it marks a change in the
 *   subscriber's habit; without such a month it does not fire (as the other history triggers).
 *   `absolute` fires for any run of at least triggers.silent_days days.
 * - plan_expiring fires for a plan end from the first day of the month up to
 *   triggers.plan_expiring_days after its last day: a plan that lapsed during the month is still
 *   actionable; one that lapsed before the month began is stale and does not fire.
 */
import type { Config } from '../config.js';
import { type BillingTable, STATUS, TRIGGERS, type Trigger } from '../contract.js';
import { assertUnreachable } from '../errors.js';
import { MonthDays } from './month-days.js';
import { previousMax, previousMean, type SubscriberIndex } from './subscriber-index.js';

const TOLERANCE = 1e-9;

/** Per billing row, the CDR values the triggers need (NaN where the month has no coverage). */
export interface TriggerUsage {
  voiceMinutes: Float64Array;
  voiceCalls: Float64Array;
  longestSilentRun: Float64Array;
  ownCare: Float64Array;
  competitorCare: Float64Array;
}

export type TriggerColumns = Record<Trigger, Uint8Array>;

/**
 * The triggers of the billing rows `rows` (every row when not given); the other rows' stay 0, for a
 * caller that reads only these.
 */
export function computeTriggers(
  billing: BillingTable,
  ix: SubscriberIndex,
  usage: TriggerUsage,
  t: Config['triggers'],
  rows?: Int32Array,
): TriggerColumns {
  const n = billing.n;
  const c = billing.cols;
  const out = Object.fromEntries(TRIGGERS.map((name) => [name, new Uint8Array(n)])) as TriggerColumns;
  const days = new MonthDays();
  const count = rows ? rows.length : n;
  for (let j = 0; j < count; j++) {
    const r = rows ? rows[j]! : j;
    const billed = c.billed_amount[r]!;
    const spendAvg = previousMean(ix, c.month, c.billed_amount, r, t.history_months);
    out.spend_drop[r] =
      spendAvg > 0 && (spendAvg - billed) / spendAvg >= t.spend_drop_share - TOLERANCE ? 1 : 0;

    const minutes = usage.voiceMinutes[r]!;
    if (!Number.isNaN(minutes)) {
      const voiceAvg = previousMean(ix, c.month, usage.voiceMinutes, r, t.history_months);
      out.usage_shift[r] =
        voiceAvg > 0 && Math.abs(minutes / voiceAvg - 1) >= t.usage_shift_share - TOLERANCE ? 1 : 0;
      out.silent_days[r] = silentDaysFired(ix, c.month, usage.longestSilentRun, r, t) ? 1 : 0;
      out.zero_usage[r] = usage.voiceCalls[r] === 0 ? 1 : 0;
      const care = usage.ownCare[r]! + usage.competitorCare[r]!;
      out.care_calls[r] = care > t.care_calls_max ? 1 : 0;
      out.competitor_care[r] = usage.competitorCare[r]! >= t.competitor_care_min ? 1 : 0;
    }

    out.suspensions[r] = c.suspension_count[r]! > t.suspensions_max ? 1 : 0;
    const status = c.status[r]!;
    out.status_change[r] =
      status === STATUS.suspended || c.ownership_change[r] === 1 || c.plan_change[r] === 1 ? 1 : 0;
    out.arrears_or_cancel[r] =
      status === STATUS.arrears_suspended || status === STATUS.pending_cancel ? 1 : 0;
    const month = c.month[r]!;
    const expiring = planExpiring(
      c.plan_end_date[r]!,
      days.start(month),
      days.end(month),
      t.plan_expiring_days,
    );
    out.plan_expiring[r] = expiring ? 1 : 0;
  }
  return out;
}

/** The silent_days rule for billing row `row` (its month has CDR coverage). */
export function silentDaysFired(
  ix: SubscriberIndex,
  month: Int32Array,
  longestSilentRun: Float64Array,
  row: number,
  t: Config['triggers'],
): boolean {
  const run = longestSilentRun[row]!;
  if (!(run >= t.silent_days)) return false;
  switch (t.silent_days_rule) {
    case 'absolute':
      return true;
    case 'relative': {
      const usual = previousMax(ix, month, longestSilentRun, row, t.history_months);
      return run >= t.silent_days_factor * usual - TOLERANCE;
    }
    default:
      return assertUnreachable(t.silent_days_rule);
  }
}

/** Whether a plan ending on day `planEnd` expires within a month of days [first, last], `days` after included. */
export function planExpiring(planEnd: number, first: number, last: number, days: number): boolean {
  return !Number.isNaN(planEnd) && planEnd >= first && planEnd <= last + days;
}

/** 1 for rows where any trigger fired, looking at the rows `rows` (every row when not given). */
export function anyTrigger(triggers: TriggerColumns, n: number, rows?: Int32Array): Uint8Array {
  const any = new Uint8Array(n);
  const cols = TRIGGERS.map((name) => triggers[name]);
  const count = rows ? rows.length : n;
  for (let j = 0; j < count; j++) {
    const r = rows ? rows[j]! : j;
    let fired = 0;
    for (const col of cols) fired |= col[r]!;
    any[r] = fired;
  }
  return any;
}
