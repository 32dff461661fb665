/** Turns the CDR accumulators into the per-subscriber-month aggregate frame. */
import { daysInMonth, monthStartDay } from '../../calendar.js';
import { type Frame, makeFrame } from '../../frame.js';
import { longestClearRun, popcount32, trailingClearRun, weekendMask } from './day-mask.js';

/** CDR aggregate features, in the order they appear in the feature schema. */
export const CDR_FEATURES = [
  'voice_out_calls',
  'voice_in_calls',
  'voice_out_minutes',
  'voice_in_minutes',
  'sms_out',
  'sms_in',
  'data_mb',
  'data_sessions',
  'active_days',
  'longest_silent_run',
  'ends_silent',
  'distinct_contacts',
  'night_share',
  'weekend_share',
  'own_care_calls',
  'competitor_care_calls',
  'cdr_charges',
  'days_since_voice_out',
  'days_since_sms_out',
  'days_since_data',
  'days_since_incoming',
] as const;
export type CdrFeature = (typeof CDR_FEATURES)[number];

/** Data volumes are reported in MiB (2^20 bytes), as operators' data bundles count them. */
const BYTES_PER_MB = 1_048_576;

export interface CdrCounts {
  events: number;
  voice: number;
  sms: number;
  data: number;
  subscribers: number;
  /** Events per covered month, and the days with any (bit d-1 set for day d), months ascending. */
  byMonth: { month: number; events: number; dayMask: number }[];
}

export interface CdrAggregates {
  /**
   * One row per subscriber-month with at least one event: `subscriber_id` (DictColumn), `month`
   * (Int32 month index) and one Float64 column per name in CDR_FEATURES.
   */
  readonly frame: Frame;
  /** Months with at least one CDR event, ascending. Other months have no CDR coverage (NaN usage). */
  readonly months: readonly number[];
  readonly counts: CdrCounts;
}

/**
 * Accumulators of all slots, interleaved so that one event touches one or two cache lines (a file
 * in time order hits slots at random): slot s owns ints[s * INT_STRIDE ..] and
 * floats[s * FLOAT_STRIDE ..], fields at the offsets below. Day masks have bit d-1 set for day d.
 */
export interface SlotAccumulators {
  ints: Int32Array;
  floats: Float64Array;
}
export const INT_STRIDE = 16;
export const I_SUB = 0;
export const I_MONTH = 1;
/** Next (older) slot of the same subscriber, -1 at the end of the chain. */
export const I_NEXT = 2;
export const I_VOICE_OUT = 3;
export const I_VOICE_IN = 4;
export const I_SMS_OUT = 5;
export const I_SMS_IN = 6;
export const I_DATA_SESSIONS = 7;
export const I_ACTIVE_DAYS = 8;
export const I_VOICE_OUT_DAYS = 9;
export const I_CONTACTS = 10;
export const I_NIGHT = 11;
export const I_WEEKEND = 12;
export const I_OWN_CARE = 13;
export const I_COMPETITOR_CARE = 14;
/**
 * The last day (1-based, 0 = none) of three kinds of event, one byte each at the LAST_* shifts:
 * a day mask per kind would not fit the 64-byte record, and recency needs only the last day.
 */
export const I_LAST_DAYS = 15;
export const LAST_SMS_OUT = 0;
export const LAST_DATA = 8;
export const LAST_INCOMING = 16;
export const FLOAT_STRIDE = 4;
export const F_VOICE_OUT_SECONDS = 0;
export const F_VOICE_IN_SECONDS = 1;
export const F_DATA_BYTES = 2;
/** Charges in millionths of the currency unit (see CHARGE_UNITS). */
export const F_CHARGES = 3;
/**
 * Charges are summed as whole millionths of the currency unit: integer sums below 2^53 are exact
 * in a float64, so the total does not depend on the order of the events or on how a file was
 * split between threads (a float sum of decimal charges does, in its last bits).
 */
export const CHARGE_UNITS = 1_000_000;

/**
 * longest_silent_run and ends_silent from a month's outgoing-voice day mask: runs are bounded by
 * the month, so a silence that began last month only counts its days in this month.
 */
export function silentRun(voiceOutDays: number, month: number, silentDays: number): [number, number] {
  const days = daysInMonth(month);
  return [longestClearRun(voiceOutDays, days), trailingClearRun(voiceOutDays, days) >= silentDays ? 1 : 0];
}

/** The last day (1-based, 0 = none) recorded at `shift` in a packed I_LAST_DAYS field. */
export function lastDay(packed: number, shift: number): number {
  return (packed >>> shift) & 255;
}

/** `packed` with the day at `shift` raised to `day` when later. */
export function withLastDay(packed: number, shift: number, day: number): number {
  return lastDay(packed, shift) >= day ? packed : (packed & ~(255 << shift)) | (day << shift);
}

const LAST_SHIFTS = [LAST_SMS_OUT, LAST_DATA, LAST_INCOMING] as const;

/** Two packed I_LAST_DAYS fields merged: the later day of each kind. */
export function laterDays(a: number, b: number): number {
  let out = a;
  for (const shift of LAST_SHIFTS) out = withLastDay(out, shift, lastDay(b, shift));
  return out;
}

/**
 * Share of voice and sms events at weekends in an average week: the rates per weekend day and per
 * weekday weighed 2 to 5, so a month with 10 weekend days does not read as a change of habit against
 * one with 8. Equals the plain share in a month of whole weeks; 0 without events.
 */
export function weekShare(weekendEvents: number, events: number, weekendDays: number, days: number): number {
  if (events === 0) return 0;
  const weekend = (2 * weekendEvents) / weekendDays;
  const weekday = (5 * (events - weekendEvents)) / (days - weekendDays);
  return weekend / (weekend + weekday);
}

export function finishAggregates(
  a: SlotAccumulators,
  n: number,
  ids: readonly string[],
  monthEvents: ReadonlyMap<number, number>,
  types: { voice: number; sms: number; data: number },
  silentDays: number,
): CdrAggregates {
  const out: Record<CdrFeature, Float64Array> = Object.fromEntries(
    CDR_FEATURES.map((name) => [name, new Float64Array(n)]),
  ) as Record<CdrFeature, Float64Array>;
  const { ints, floats } = a;
  const sub = new Int32Array(n);
  const month = new Int32Array(n);
  let lastMonth = Number.NaN;
  let days = 0;
  let weekendDays = 0;
  const monthDays = new Map<number, number>();
  for (let s = 0; s < n; s++) {
    const o = s * INT_STRIDE;
    const f = s * FLOAT_STRIDE;
    sub[s] = ints[o + I_SUB]!;
    month[s] = ints[o + I_MONTH]!;
    if (month[s] !== lastMonth) {
      lastMonth = month[s]!;
      days = daysInMonth(lastMonth);
      weekendDays = popcount32(weekendMask(monthStartDay(lastMonth), days));
    }
    out.voice_out_calls[s] = ints[o + I_VOICE_OUT]!;
    out.voice_in_calls[s] = ints[o + I_VOICE_IN]!;
    out.voice_out_minutes[s] = floats[f + F_VOICE_OUT_SECONDS]! / 60;
    out.voice_in_minutes[s] = floats[f + F_VOICE_IN_SECONDS]! / 60;
    out.sms_out[s] = ints[o + I_SMS_OUT]!;
    out.sms_in[s] = ints[o + I_SMS_IN]!;
    out.data_mb[s] = floats[f + F_DATA_BYTES]! / BYTES_PER_MB;
    out.data_sessions[s] = ints[o + I_DATA_SESSIONS]!;
    out.active_days[s] = popcount32(ints[o + I_ACTIVE_DAYS]!);
    monthDays.set(month[s]!, (monthDays.get(month[s]!) ?? 0) | ints[o + I_ACTIVE_DAYS]!);
    const voiceDays = ints[o + I_VOICE_OUT_DAYS]!;
    out.longest_silent_run[s] = longestClearRun(voiceDays, days);
    out.ends_silent[s] = trailingClearRun(voiceDays, days) >= silentDays ? 1 : 0;
    out.distinct_contacts[s] = ints[o + I_CONTACTS]!;
    const talk = ints[o + I_VOICE_OUT]! + ints[o + I_VOICE_IN]! + ints[o + I_SMS_OUT]! + ints[o + I_SMS_IN]!;
    out.night_share[s] = talk > 0 ? ints[o + I_NIGHT]! / talk : 0;
    out.weekend_share[s] = weekShare(ints[o + I_WEEKEND]!, talk, weekendDays, days);
    out.own_care_calls[s] = ints[o + I_OWN_CARE]!;
    out.competitor_care_calls[s] = ints[o + I_COMPETITOR_CARE]!;
    out.cdr_charges[s] = floats[f + F_CHARGES]! / CHARGE_UNITS;
    out.days_since_voice_out[s] = trailingClearRun(voiceDays, days);
    const last = ints[o + I_LAST_DAYS]!;
    out.days_since_sms_out[s] = days - lastDay(last, LAST_SMS_OUT);
    out.days_since_data[s] = days - lastDay(last, LAST_DATA);
    out.days_since_incoming[s] = days - lastDay(last, LAST_INCOMING);
  }
  const months = [...monthEvents.keys()].sort((x, y) => x - y);
  const frame = makeFrame(
    {
      subscriber_id: { kind: 'dict', codes: sub, dictionary: ids },
      month,
      ...out,
    },
    n,
  );
  return {
    frame,
    months,
    counts: {
      events: types.voice + types.sms + types.data,
      ...types,
      subscribers: ids.length,
      byMonth: months.map((month) => ({
        month,
        events: monthEvents.get(month)!,
        dayMask: monthDays.get(month) ?? 0,
      })),
    },
  };
}
